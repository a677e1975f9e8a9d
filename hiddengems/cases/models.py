from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hiddengems.extensions import db
from hiddengems.timeutil import UTCDateTime, utcnow

if TYPE_CHECKING:
    from hiddengems.auth.models import User
    from hiddengems.orgs.models import Organisation

STAGES = ("registered", "intake", "skills", "training", "introductions", "closed")
OPEN_STAGES = STAGES[:-1]
OUTCOMES = (
    "employed_full_time",
    "employed_part_time",
    "self_employed",
    "studying",
    "left_region",
    "not_participating",
    "other",
)


class Case(db.Model):
    """A spouse's case. One per spouse; the stage is the adviser's judgement."""

    __tablename__ = "case_file"
    __table_args__ = (
        Index("ix_case_file_adviser_stage", "adviser_id", "stage"),
        Index("ix_case_file_org_stage", "organisation_id", "stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    spouse_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), unique=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    adviser_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    stage: Mapped[str] = mapped_column(String(20), default="registered", index=True)
    outcome: Mapped[str | None] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Optimistic locking: a stale save raises StaleDataError instead of overwriting.
    version: Mapped[int] = mapped_column(default=1)

    spouse: Mapped[User] = relationship(foreign_keys=[spouse_id])
    adviser: Mapped[User | None] = relationship(foreign_keys=[adviser_id])
    organisation: Mapped[Organisation | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Case {self.id} {self.stage}>"


class StageChange(db.Model):
    """Every stage change with who, when and why: feeds time-in-stage and the funnel."""

    __tablename__ = "stage_change"
    __table_args__ = (Index("ix_stage_change_case_at", "case_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"))
    from_stage: Mapped[str | None] = mapped_column(String(20))
    to_stage: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reason: Mapped[str | None] = mapped_column(Text)
