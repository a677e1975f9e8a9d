"""The spouse's intake profile: one per case, with work history and language rows."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Select,
    String,
    Text,
    UniqueConstraint,
    and_,
    bindparam,
    literal_column,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hiddengems.extensions import db
from hiddengems.timeutil import UTCDateTime, utcnow
from hiddengems.vocab import CEFR_LEVELS, sql_in

# The profile's answers: its columns that the steps fill in.
ANSWER_COLUMNS = (
    "phone",
    "city",
    "contact_language",
    "partner_unit",
    "arrival_date",
    "stay_length",
    "right_to_work",
    "permit_type",
    "permit_expires",
    "education_level",
    "education_field",
    "degree_recognition",
    "career_goals",
    "target_occupations",
    "availability",
    "available_from",
    "gender",
    "age_group",
    "labour_status",
)


class IntakeProfile(db.Model):
    """What a careers adviser needs in the first meeting. Edited by the spouse and the adviser."""

    __tablename__ = "intake_profile"
    __table_args__ = (CheckConstraint("education_level BETWEEN 0 AND 8", name="education_level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), unique=True)

    # contact
    phone: Mapped[str | None] = mapped_column(String(40))
    city: Mapped[str | None] = mapped_column(String(100))
    contact_language: Mapped[str | None] = mapped_column(String(12))
    # host organisation (the organisation itself lives on the case)
    partner_unit: Mapped[str | None] = mapped_column(String(200))
    # arrival
    arrival_date: Mapped[date | None] = mapped_column(Date)
    stay_length: Mapped[str | None] = mapped_column(String(20))
    # right to work, as the spouse reports it
    right_to_work: Mapped[str | None] = mapped_column(String(20))
    permit_type: Mapped[str | None] = mapped_column(String(30))
    permit_expires: Mapped[date | None] = mapped_column(Date)
    # education: ISCED 2011 level and ISCED-F 2013 broad field
    education_level: Mapped[int | None]
    education_field: Mapped[str | None] = mapped_column(String(2))
    degree_recognition: Mapped[str | None] = mapped_column(String(20))
    # goals and availability
    career_goals: Mapped[str | None] = mapped_column(Text)
    target_occupations: Mapped[str | None] = mapped_column(String(500))
    availability: Mapped[str | None] = mapped_column(String(10))
    available_from: Mapped[date | None] = mapped_column(Date)
    # optional monitoring data for funder reports
    gender: Mapped[str | None] = mapped_column(String(20))
    age_group: Mapped[str | None] = mapped_column(String(10))
    labour_status: Mapped[str | None] = mapped_column(String(20))

    # Names of the steps saved at least once; the whole list is reassigned on change.
    completed_steps: Mapped[list[str]] = mapped_column(JSON, default=list)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Optimistic locking: forms carry this; a stale save is refused.
    version: Mapped[int] = mapped_column(default=1)

    work: Mapped[list[WorkExperience]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="WorkExperience.position"
    )
    languages: Mapped[list[LanguageSkill]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="LanguageSkill.position"
    )

    __mapper_args__ = {"version_id_col": version}

    def is_done(self, step: str) -> bool:
        return step in (self.completed_steps or ())

    def __repr__(self) -> str:
        return f"<IntakeProfile {self.id} case {self.case_id}>"


class WorkExperience(db.Model):
    __tablename__ = "work_experience"
    __table_args__ = (
        Index("ix_work_experience_profile", "profile_id", "position"),
        CheckConstraint("years BETWEEN 0 AND 60", name="years"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("intake_profile.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    job_title: Mapped[str] = mapped_column(String(200))
    employer: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(3))
    years: Mapped[int | None]

    profile: Mapped[IntakeProfile] = relationship(back_populates="work")


class LanguageSkill(db.Model):
    __tablename__ = "language_skill"
    __table_args__ = (
        UniqueConstraint("profile_id", "language"),
        # The queue's language filter walks the distinct languages on it (intake/panels.py).
        Index("ix_language_skill_language", "language", "profile_id"),
        CheckConstraint(sql_in("level", CEFR_LEVELS), name="level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("intake_profile.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    language: Mapped[str] = mapped_column(String(12))
    level: Mapped[str] = mapped_column(String(6))

    profile: Mapped[IntakeProfile] = relationship(back_populates="languages")


def profile_with_rows(statement: Select) -> Select:
    """``statement`` (a select from IntakeProfile) over the profile of the case bound as
    ``case_id`` and its rows, in the intake's order (position): each row of the profile
    joins either a work history row (branch 1) or a language row (branch 2), never both,
    so the two lists' rows add up instead of multiplying. The branch numbers are written
    into the SQL: the case is the statement's only bound value."""
    one, two = literal_column("1", Integer), literal_column("2", Integer)
    branch = union_all(select(one.label("n")), select(two.label("n"))).subquery("branch")
    return (
        statement.join(branch, true())
        .outerjoin(WorkExperience, and_(branch.c.n == one, WorkExperience.profile_id == IntakeProfile.id))
        .outerjoin(LanguageSkill, and_(branch.c.n == two, LanguageSkill.profile_id == IntakeProfile.id))
        .where(IntakeProfile.case_id == bindparam("case_id", type_=Integer))
        .order_by(branch.c.n, WorkExperience.position, WorkExperience.id, LanguageSkill.position, LanguageSkill.id)
    )
