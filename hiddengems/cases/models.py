from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from hiddengems.extensions import db
from hiddengems.timeutil import UTCDateTime, utcnow
from hiddengems.vocab import ACTIVITY_KINDS, CONTACT_KINDS, OUTCOMES, SIX_MONTH_RESULTS, STAGES, sql_in

if TYPE_CHECKING:
    from hiddengems.auth.models import User
    from hiddengems.orgs.models import Organisation

_CONTACT_SQL = sql_in("kind", CONTACT_KINDS)


class Case(db.Model):
    """A spouse's case. One per spouse; the stage is the adviser's judgement."""

    __tablename__ = "case_file"
    audit_type = "case"  # what the audit log calls it
    __table_args__ = (
        Index("ix_case_file_adviser_stage", "adviser_id", "stage"),
        Index("ix_case_file_org_stage", "organisation_id", "stage"),
        CheckConstraint(sql_in("stage", STAGES), name="stage"),
        CheckConstraint(f"outcome IS NULL OR {sql_in('outcome', OUTCOMES)}", name="outcome"),
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

    spouse: Mapped[User] = relationship(foreign_keys=[spouse_id], lazy="raise")
    adviser: Mapped[User | None] = relationship(foreign_keys=[adviser_id], lazy="raise")
    organisation: Mapped[Organisation | None] = relationship(lazy="raise")

    # Derived per row by the list queries (hiddengems.cases.caseload), never stored.
    stage_since: Mapped[datetime | None] = query_expression()
    last_contact_at: Mapped[datetime | None] = query_expression()
    next_follow_up_on: Mapped[date | None] = query_expression()

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Case {self.id} {self.stage}>"

    @property
    def is_open(self) -> bool:
        return self.stage != "closed"

    @property
    def in_queue(self) -> bool:
        """Unassigned and past registration: the spouse sent the intake, so any adviser
        may look at it and take it. Before that the intake is the spouse's own draft."""
        return self.adviser_id is None and self.stage not in ("registered", "closed")

    @property
    def adviser_available(self) -> bool:
        """The case's adviser can still work it (not deactivated, still an adviser)."""
        return self.adviser is not None and self.adviser.role == "adviser" and self.adviser.active

    def can_view(self, user) -> bool:
        """Advisers see their own cases and the submitted ones nobody has taken; leads see
        all. Spouses, HR and admins never see the adviser's case file."""
        if not getattr(user, "is_authenticated", False) or user.role != "adviser":
            return False
        return user.is_lead or self.adviser_id == user.id or self.in_queue

    def can_edit(self, user) -> bool:
        """Only the case's own adviser or a lead; an unassigned case is taken first."""
        if not getattr(user, "is_authenticated", False) or user.role != "adviser":
            return False
        return user.is_lead or (self.adviser_id is not None and self.adviser_id == user.id)


class StageChange(db.Model):
    """Every stage change with who, when and why: feeds time-in-stage and the funnel."""

    __tablename__ = "stage_change"
    __table_args__ = (
        Index("ix_stage_change_case_at", "case_id", "at"),
        CheckConstraint(sql_in("to_stage", STAGES), name="to_stage"),
        CheckConstraint(f"from_stage IS NULL OR {sql_in('from_stage', STAGES)}", name="from_stage"),
        # The lists sorted by time in stage walk the stage changes in time order and stop
        # after a page (hiddengems.cases.caseload): every stage, or one (the intake queue).
        Index("ix_stage_change_at", "at", "case_id"),
        Index("ix_stage_change_stage_at", "to_stage", "at", "case_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"))
    from_stage: Mapped[str | None] = mapped_column(String(20))
    to_stage: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reason: Mapped[str | None] = mapped_column(Text)

    by: Mapped[User | None] = relationship(lazy="raise")
    outcome_record: Mapped[CaseOutcome | None] = relationship(back_populates="stage_change", lazy="raise")


class CaseOutcome(db.Model):
    """What a close recorded. One per closing stage change, so a reopened and
    closed-again case keeps both outcomes for the reports."""

    __tablename__ = "case_outcome"
    __table_args__ = (
        CheckConstraint(sql_in("outcome", OUTCOMES), name="outcome"),
        CheckConstraint(
            f"six_month_result IS NULL OR {sql_in('six_month_result', SIX_MONTH_RESULTS)}", name="six_month_result"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    stage_change_id: Mapped[int] = mapped_column(ForeignKey("stage_change.id"), unique=True)
    outcome: Mapped[str] = mapped_column(String(30))
    employer: Mapped[str | None] = mapped_column(String(200))
    occupation: Mapped[str | None] = mapped_column(String(200))
    start_date: Mapped[date | None] = mapped_column(Date)
    # Six months after the close: what the adviser found (hiddengems.vocab.SIX_MONTH_RESULTS).
    six_month_result: Mapped[str | None] = mapped_column(String(30))
    six_month_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    stage_change: Mapped[StageChange] = relationship(back_populates="outcome_record")


class Activity(db.Model):
    """A note, meeting, call or e-mail on a case. ``occurred_at`` may lie ahead for a
    planned meeting; time spent per case is reported from ``duration_minutes``."""

    __tablename__ = "activity"
    __table_args__ = (
        Index("ix_activity_case_occurred", "case_id", "occurred_at"),
        CheckConstraint(sql_in("kind", ACTIVITY_KINDS), name="kind"),
        # "Last contact": the latest meeting, call or e-mail of a case, read per row of the caseload.
        Index(
            "ix_activity_contact",
            "case_id",
            "occurred_at",
            sqlite_where=text(_CONTACT_SQL),
            postgresql_where=text(_CONTACT_SQL),
        ),
        # The lead's list by last contact walks the contacts in time order.
        Index(
            "ix_activity_contact_at",
            "occurred_at",
            "case_id",
            sqlite_where=text(_CONTACT_SQL),
            postgresql_where=text(_CONTACT_SQL),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"))
    kind: Mapped[str] = mapped_column(String(20))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int | None]
    text: Mapped[str] = mapped_column(Text, default="")
    # Internal by default: the spouse sees only what an adviser chose to share.
    shared_with_spouse: Mapped[bool] = mapped_column(default=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Its author corrected the text (the earlier texts are kept in activity_revision).
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A planned meeting of a case that closed before it took place: kept, marked, never
    # shown to the spouse as coming (timeline.cancel_future_meetings).
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User | None] = relationship(lazy="raise")

    @property
    def is_contact(self) -> bool:
        return self.kind in CONTACT_KINDS

    def can_correct(self, user) -> bool:
        """Only its author, while they may still edit the case: an adviser corrects their
        own words, never a colleague's."""
        return self.author_id is not None and self.author_id == getattr(user, "id", None)


class ActivityRevision(db.Model):
    """An activity's text before and after a correction by its author: append-only, so a
    correction never silently overwrites what was written. (The audit log records the
    correction by ids; the texts stay here, as the audit carries no note text.)"""

    __tablename__ = "activity_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id"), index=True)
    old_text: Mapped[str] = mapped_column(Text)
    new_text: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
