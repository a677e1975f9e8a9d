"""Introductions of a spouse to an employer: the proposal, the spouse's consent, the status
with its history, the signed links sent to an employer contact and every opening of them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hiddengems.employers.models import Employer, EmployerContact, Opening
from hiddengems.extensions import db
from hiddengems.timeutil import UTCDateTime, utcnow
from hiddengems.vocab import sql_in

if TYPE_CHECKING:
    from hiddengems.cases.models import Case

STATUSES = (
    "proposed",
    "consent_requested",
    "consented",
    "introduced",
    "meeting",
    "interview",
    "work_trial",
    "offer",
    "hired",
    "declined",
    "withdrawn",
    "no_response",
)
# Where the introduction stands once the spouse has consented and the employer has the link.
PIPELINE = ("introduced", "meeting", "interview", "work_trial", "offer", "hired")
ENDED = ("hired", "declined", "withdrawn", "no_response")
LINK_OUTCOMES = ("shown", "expired", "revoked", "invalid", "answered")


class Introduction(db.Model):
    __tablename__ = "introduction"
    audit_type = "introduction"
    __table_args__ = (
        CheckConstraint(sql_in("status", STATUSES), name="status"),
        Index("ix_introduction_case", "case_id", "created_at"),
        Index("ix_introduction_employer", "employer_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"))
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"))
    opening_id: Mapped[int | None] = mapped_column(ForeignKey("opening.id"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("employer_contact.id"))
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    note: Mapped[str] = mapped_column(Text, default="")  # the adviser's word to the spouse
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # consent withdrawn
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(lazy="raise")
    employer: Mapped[Employer] = relationship(lazy="raise")
    opening: Mapped[Opening | None] = relationship(lazy="raise")
    contact: Mapped[EmployerContact | None] = relationship(lazy="raise")

    def __repr__(self) -> str:
        return f"<Introduction {self.id} {self.status}>"

    @property
    def consent_given(self) -> bool:
        return self.consented_at is not None and self.withdrawn_at is None

    # An introduction belongs to its case (load it with its case: introductions.queries).
    def can_view(self, user) -> bool:
        if getattr(user, "is_authenticated", False) and user.role == "spouse":
            return self.case.spouse_id == user.id
        return self.case.can_view(user)

    def can_edit(self, user) -> bool:
        return self.case.can_edit(user)


class IntroductionEvent(db.Model):
    """One change of an introduction's status: who, when, and a note."""

    __tablename__ = "introduction_event"
    __table_args__ = (Index("ix_introduction_event_introduction", "introduction_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    introduction_id: Mapped[int] = mapped_column(ForeignKey("introduction.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))  # None: the employer's answer
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class IntroductionLink(db.Model):
    """A link sent to an employer contact. The URL carries a signed token naming this row
    and its nonce; the row says until when it works and whether it was revoked."""

    __tablename__ = "introduction_link"
    __table_args__ = (Index("ix_introduction_link_introduction", "introduction_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    introduction_id: Mapped[int] = mapped_column(ForeignKey("introduction.id", ondelete="CASCADE"))
    nonce: Mapped[str] = mapped_column(String(64))
    sent_to: Mapped[str] = mapped_column(String(254))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LinkOpening(db.Model):
    """Every opening of an employer link, also of a guessed or altered one (no link then)."""

    __tablename__ = "link_opening"
    __table_args__ = (
        CheckConstraint(sql_in("outcome", LINK_OUTCOMES), name="outcome"),
        Index("ix_link_opening_link", "link_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[int | None] = mapped_column(ForeignKey("introduction_link.id", ondelete="CASCADE"))
    outcome: Mapped[str] = mapped_column(String(10))
    address: Mapped[str] = mapped_column(String(64), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
