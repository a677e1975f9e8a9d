"""Reads for the admin's pages: the users list and the overview."""

from __future__ import annotations

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload

from hiddengems.audit.models import AuditEvent
from hiddengems.auth.models import User
from hiddengems.extensions import db
from hiddengems.mail.models import OutboxMessage
from hiddengems.orgs.models import Organisation

RECENT_EVENTS = 10


# The two lists of the users page: the team and the host organisations' staff, and the spouses.
PEOPLE = ("staff", "participants")


def users(q: str | None, role: str | None, people: str = "staff") -> Select:
    """Staff or participants by name, optionally only those whose name or e-mail contains
    ``q`` and (staff) of one role ("lead" and "adviser" are told apart)."""
    stmt = select(User).options(joinedload(User.organisation)).order_by(User.name, User.id)
    stmt = stmt.where(User.role == "spouse" if people == "participants" else User.role != "spouse")
    if q:
        pattern = f"%{q.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(User.name).like(pattern), User.email.like(pattern)))
    if role and people != "participants":
        base_role, is_lead = ("adviser", True) if role == "lead" else (role, False)
        stmt = stmt.where(User.role == base_role)
        if base_role == "adviser":
            stmt = stmt.where(User.is_lead.is_(is_lead))
    return stmt


def overview() -> dict:
    """What the admin's home shows: accounts by role, the outbox, organisations, recent events."""
    by_role = dict(db.session.execute(select(User.role, func.count()).group_by(User.role)).all())
    pending, failed = db.session.execute(
        select(
            func.count().filter(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None)),
            func.count().filter(OutboxMessage.failed_at.is_not(None)),
        )
    ).one()
    organisations = db.session.scalar(select(func.count()).select_from(Organisation))
    recent = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(RECENT_EVENTS)).all()
    return {
        "by_role": by_role,
        "organisations": organisations,
        "outbox_pending": pending,
        "outbox_failed": failed,
        "recent": recent,
    }
