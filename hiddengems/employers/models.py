"""The employer directory (employers and their contact people) and employers' openings
with the skills and language levels they ask for."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hiddengems.extensions import db
from hiddengems.skills.models import Occupation, Skill
from hiddengems.timeutil import UTCDateTime, utcnow
from hiddengems.vocab import CEFR_LEVELS, sql_in

SIZES = ("micro", "small", "medium", "large")
# What the workplace speaks: whether English is enough or Finnish (or Swedish) is needed.
WORKING_LANGUAGES = ("english_ok", "finnish_needed", "swedish_needed", "finnish_or_english")
OPENING_KINDS = ("job", "internship", "work_trial", "mentoring", "meeting_talent")
OPENING_STATUSES = ("draft", "open", "filled", "closed", "withdrawn")
MAX_SKILLS = 30


def _adviser(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.role == "adviser"


class Employer(db.Model):
    """An employer in the directory. ``business_id`` is the Finnish Y-tunnus, unique
    when given (foreign and public bodies may have none). A duplicate merged into
    another keeps its row, with ``merged_into_id`` pointing at the one that stays."""

    __tablename__ = "employer"
    audit_type = "employer"
    __table_args__ = (
        CheckConstraint(f"size IS NULL OR {sql_in('size', SIZES)}", name="size"),
        CheckConstraint(sql_in("working_language", WORKING_LANGUAGES), name="working_language"),
        Index("ix_employer_business_id", "business_id", unique=True),
        Index("ix_employer_name", "merged_into_id", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    business_id: Mapped[str | None] = mapped_column(String(9))
    sector: Mapped[str] = mapped_column(String(100), default="")
    size: Mapped[str | None] = mapped_column(String(10))
    city: Mapped[str] = mapped_column(String(100), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    working_language: Mapped[str] = mapped_column(String(20))
    notes: Mapped[str] = mapped_column(Text, default="")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # The current contact people; removed ones stay in the table, for the history.
    contacts: Mapped[list[EmployerContact]] = relationship(
        lazy="raise",
        primaryjoin="and_(Employer.id == EmployerContact.employer_id, EmployerContact.removed_at.is_(None))",
        order_by="EmployerContact.name",
        viewonly=True,
    )

    def __repr__(self) -> str:
        return f"<Employer {self.id}>"

    # The directory is the advisers' working list: spouses, HR and admins never see it.
    def can_view(self, user) -> bool:
        return _adviser(user)

    def can_edit(self, user) -> bool:
        return _adviser(user) and self.merged_into_id is None


class EmployerContact(db.Model):
    """A person at an employer whom advisers write to."""

    __tablename__ = "employer_contact"
    audit_type = "employer_contact"
    __table_args__ = (Index("ix_employer_contact_employer", "employer_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    employer: Mapped[Employer] = relationship(lazy="raise")

    def can_view(self, user) -> bool:
        return _adviser(user)

    def can_edit(self, user) -> bool:
        return _adviser(user)


class Opening(db.Model):
    """A job, internship, work trial, mentoring place or an employer's "open to meeting
    talent", with the ESCO skills it asks for (essential or nice to have) and the
    language levels it needs."""

    __tablename__ = "opening"
    audit_type = "opening"
    __table_args__ = (
        CheckConstraint(sql_in("kind", OPENING_KINDS), name="kind"),
        CheckConstraint(sql_in("status", OPENING_STATUSES), name="status"),
        CheckConstraint(f"min_finnish IS NULL OR {sql_in('min_finnish', CEFR_LEVELS)}", name="min_finnish"),
        CheckConstraint(f"min_english IS NULL OR {sql_in('min_english', CEFR_LEVELS)}", name="min_english"),
        Index("ix_opening_employer", "employer_id", "status"),
        Index("ix_opening_status_deadline", "status", "deadline"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"))
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    occupation_id: Mapped[int | None] = mapped_column(ForeignKey("occupation.id"))
    description: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    remote: Mapped[bool] = mapped_column(default=False, server_default=false())
    deadline: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")
    min_finnish: Mapped[str | None] = mapped_column(String(6))
    min_english: Mapped[str | None] = mapped_column(String(6))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    employer: Mapped[Employer] = relationship(lazy="raise")
    occupation: Mapped[Occupation | None] = relationship(lazy="raise")
    skills: Mapped[list[OpeningSkill]] = relationship(lazy="raise", order_by="OpeningSkill.skill_id")

    def __repr__(self) -> str:
        return f"<Opening {self.id} {self.kind}>"

    def can_view(self, user) -> bool:
        return _adviser(user)

    def can_edit(self, user) -> bool:
        return _adviser(user)


class OpeningSkill(db.Model):
    """A skill an opening asks for: essential (required) or nice to have."""

    __tablename__ = "opening_skill"
    __table_args__ = (Index("ix_opening_skill_skill", "skill_id", "opening_id"),)

    opening_id: Mapped[int] = mapped_column(ForeignKey("opening.id", ondelete="CASCADE"), primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"), primary_key=True)
    essential: Mapped[bool] = mapped_column(default=True)

    skill: Mapped[Skill] = relationship(lazy="raise")


class MatchOptOut(db.Model):
    """A spouse who does not want to be considered for openings: matching leaves their
    case out until they opt in again (one row per case)."""

    __tablename__ = "match_opt_out"

    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
