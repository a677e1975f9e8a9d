"""Administration of accounts and organisations. Flush, never commit."""

from __future__ import annotations

import secrets

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from hiddengems.audit.services import record
from hiddengems.auth.models import User
from hiddengems.auth.passwords import hash_password
from hiddengems.auth.services import invite, may_email, normalise_email
from hiddengems.extensions import db
from hiddengems.timeutil import utcnow


class StaffRuleBroken(ValueError):
    """A change to an account that the rules refuse. ``field`` is the form field it is
    about; ``reason`` names the rule (the route says it in words)."""

    def __init__(self, field: str, reason: str):
        super().__init__(reason)
        self.field = field
        self.reason = reason


def _check_organisation(role: str, organisation_id: int | None) -> None:
    # HR reports on one organisation; without one there is nothing it may see.
    if role == "hr" and not organisation_id:
        raise StaffRuleBroken("organisation_id", "hr_needs_organisation")


def _other_active_admins(user: User) -> int:
    stmt = select(func.count()).select_from(User).where(User.role == "admin", User.active.is_(True), User.id != user.id)
    return db.session.scalar(stmt)


def check_staff_change(actor: User, user: User, *, role: str | None, organisation_id: int | None, active: bool) -> None:
    """Refuse a change that would lock people out: HR without an organisation, an admin
    deactivating themselves, or the last active admin losing the role or the account."""
    base_role = split_role(role)[0] if role is not None else user.role
    if role is not None:
        _check_organisation(base_role, organisation_id)
    if user.id == actor.id and not active:
        raise StaffRuleBroken("active", "self_deactivation")
    leaves_admins = base_role != "admin" or not active
    if user.role == "admin" and user.active and leaves_admins and not _other_active_admins(user):
        raise StaffRuleBroken("role" if base_role != "admin" else "active", "last_admin")


def split_role(role: str) -> tuple[str, bool]:
    """The form's "lead" is an adviser with is_lead."""
    return ("adviser", True) if role == "lead" else (role, False)


class EmailTaken(Exception):
    """Another account got this e-mail address after the form checked it."""


def create_staff_user(
    actor: User, *, name: str, email: str, role: str, organisation_id: int | None, password: str | None = None
) -> User:
    """A staff account. Without a password (the admin's form) it gets an unguessable one
    and an invitation e-mail to choose its own; with one (the CLI's first admin), none."""
    base_role, is_lead = split_role(role)
    _check_organisation(base_role, organisation_id)
    user = User(
        name=name.strip(),
        email=normalise_email(email),
        role=base_role,
        is_lead=is_lead,
        organisation_id=organisation_id if base_role == "hr" else None,
        password_hash=hash_password(password or secrets.token_urlsafe(32)),
        # The admin vouches for staff addresses.
        email_verified_at=utcnow(),
    )
    try:
        # The form checked the address, but another save may have taken it since (a
        # double click): the unique e-mail refuses this one, the savepoint keeps the
        # transaction usable.
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError as error:
        raise EmailTaken() from error
    record("admin.user_created", actor=actor, object_type="user", object_id=user.id, detail={"role": role})
    if password is None:
        invite(user, invited_by=actor)
    return user


def update_user(
    actor: User,
    user: User,
    *,
    name: str | None = None,
    role: str | None = None,
    organisation_id: int | None = None,
    active: bool,
) -> None:
    """Change a staff account (or only (de)activate a participant's). An adviser who is
    given another role keeps their cases until a lead reassigns them: those cases are
    listed as needing reassignment, like a deactivated adviser's."""
    if user.role == "spouse":
        role = None
    check_staff_change(actor, user, role=role, organisation_id=organisation_id, active=active)
    if role is not None:
        base_role, is_lead = split_role(role)
        if base_role != user.role:
            record(
                "admin.user_role_changed",
                actor=actor,
                object_type="user",
                object_id=user.id,
                detail={"from": user.role, "to": base_role},
            )
        user.name = (name or user.name).strip()
        user.role, user.is_lead = base_role, is_lead
        user.organisation_id = organisation_id if base_role == "hr" else None
    if user.active and not active:
        # Out on the next request, and every remembered session dies with the token.
        user.rotate_session()
        record("admin.user_deactivated", actor=actor, object_type="user", object_id=user.id)
    elif active and not user.active:
        record("admin.user_reactivated", actor=actor, object_type="user", object_id=user.id)
    user.active = active
    record("admin.user_updated", actor=actor, object_type="user", object_id=user.id)


def reinvite(user: User, *, invited_by: User) -> bool:
    """A new invitation for a staff account nobody has logged in to yet, at most a few an
    hour (MAIL_PER_ACCOUNT_PER_HOUR): whether one was sent. The earlier links keep working
    until one of them is used (they are bound to the password, which the first use changes)."""
    if user.role == "spouse" or user.last_login_at is not None or not user.active:
        return False
    if not may_email(user, "invitation"):
        return False
    invite(user, invited_by=invited_by)
    return True
