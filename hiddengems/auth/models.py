from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hiddengems.extensions import db
from hiddengems.timeutil import UTCDateTime, utcnow

if TYPE_CHECKING:
    from hiddengems.orgs.models import Organisation

ROLES = ("spouse", "adviser", "hr", "admin")
STAFF_ROLES = ("adviser", "hr", "admin")


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, db.Model):
    __tablename__ = "user_account"
    audit_type = "user"  # what the audit log calls it
    __table_args__ = (
        # The admin's user list pages in name order.
        Index("ix_user_account_name_id", "name", "id"),
        # Per-organisation counts by role read the index alone.
        Index("ix_user_account_org_role", "organisation_id", "role"),
        # The few accounts whose e-mail is not confirmed: HR's figures leave them out
        # by subtracting them, so that counting never visits every verified account.
        Index(
            "ix_user_account_unverified",
            "id",
            sqlite_where=text("email_verified_at IS NULL"),
            postgresql_where=text("email_verified_at IS NULL"),
        ),
        # HR sees the figures of one organisation: without one, a report could not know
        # whose figures to show (and must never show everyone's).
        CheckConstraint("role <> 'hr' OR organisation_id IS NOT NULL", name="hr_organisation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), index=True)
    is_lead: Mapped[bool] = mapped_column(default=False)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    preferred_language: Mapped[str] = mapped_column(String(10), default="en")
    active: Mapped[bool] = mapped_column(default=True)
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Flask-Login's id is this token, not the primary key: rotating it on logout or
    # password change makes every earlier session cookie useless.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    privacy_notice_version: Mapped[str | None] = mapped_column(String(20))
    privacy_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A participant's choice (account settings): the e-mails about their case that they may
    # do without (a shared follow-up, the case closed or reopened). Meeting invitations are
    # essential and go whatever this says.
    email_updates: Mapped[bool] = mapped_column(default=True, server_default=true())

    # Another domain's object: never loaded behind the code's back, only where a query asks.
    organisation: Mapped[Organisation | None] = relationship(lazy="raise")

    def get_id(self) -> str:
        return self.session_token

    @property
    def is_active(self) -> bool:  # Flask-Login: deactivated users are out on their next request
        return self.active

    def has_role(self, role: str) -> bool:
        if role == "lead":
            return self.role == "adviser" and self.is_lead
        return self.role == role

    @property
    def role_label(self) -> str:
        return "lead" if self.role == "adviser" and self.is_lead else self.role

    # Accounts are managed by admins (their page is the admin's user form).
    def can_view(self, user) -> bool:
        return getattr(user, "is_authenticated", False) and user.role == "admin"

    def can_edit(self, user) -> bool:
        return self.can_view(user)

    def rotate_session(self) -> None:
        self.session_token = new_session_token()

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class LoginFailure(db.Model):
    """One failed login. Counted per account and per address over a window."""

    __tablename__ = "login_failure"
    __table_args__ = (
        Index("ix_login_failure_account_at", "account_key", "at"),
        Index("ix_login_failure_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A keyed hash of the e-mail as typed, so unknown addresses are throttled too
    # without storing an e-mail in this table.
    account_key: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
