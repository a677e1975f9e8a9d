from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, String, Time, UniqueConstraint, false, text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hiddengems.extensions import db
from hiddengems.timeutil import UTCDateTime, utcnow

if TYPE_CHECKING:
    from hiddengems.auth.models import User
    from hiddengems.cases.models import Case


class FollowUp(db.Model):
    """An adviser's to-do item on a case, due on a day (Europe/Helsinki).

    Written by hand or made by a reminder rule; optionally due at a time of day, snoozed,
    given to another adviser, done (with a note on the timeline) or cancelled. Internal
    unless the adviser shows it on the spouse's page (``shared_with_spouse``)."""

    __tablename__ = "follow_up"
    __table_args__ = (
        # Only open follow-ups are ever listed or counted as due: keep their index small.
        Index(
            "ix_follow_up_open_case",
            "case_id",
            "due_on",
            sqlite_where=text("done_at IS NULL"),
            postgresql_where=text("done_at IS NULL"),
        ),
        # The lead's list by next follow-up walks the open ones by due date.
        Index(
            "ix_follow_up_open_due",
            "due_on",
            "case_id",
            sqlite_where=text("done_at IS NULL"),
            postgresql_where=text("done_at IS NULL"),
        ),
        Index(
            "ix_follow_up_open_assignee",
            "assignee_id",
            "due_on",
            sqlite_where=text("done_at IS NULL"),
            postgresql_where=text("done_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    due_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200))
    # Internal by default: the spouse sees only what an adviser marked as concerning them.
    shared_with_spouse: Mapped[bool] = mapped_column(default=False, server_default=false())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # --- reminder rules: the firing that made this follow-up (None: written by hand) ---
    firing_id: Mapped[int | None] = mapped_column(ForeignKey("reminder_firing.id"), index=True)

    # --- follow-ups for people: a time of day, snoozing, cancelling (issue 9, followups) ---
    # The time of day it is due (Europe/Helsinki), when it matters: "call at 14:00".
    due_time: Mapped[time | None] = mapped_column(Time)
    # Snoozed to a later day or time: when last, and how often (the due date is the new one).
    snoozed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    snooze_count: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    # A case closed with this follow-up open cancels it. It is kept (the history shows it) and
    # done_at is set too: done_at says when it stopped being open, so every "open" read and
    # partial index above (done_at IS NULL) leaves cancelled ones out. cancelled_at says why.
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case: Mapped[Case] = relationship(lazy="raise")
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id], lazy="raise")

    @property
    def is_open(self) -> bool:
        return self.done_at is None

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    # A follow-up belongs to its case: who may see or change the case may do so to it, and
    # so may the active adviser it was given to (load it with its case: queries.load_follow_up).
    def can_view(self, user) -> bool:
        return self.case.can_view(user) or self._is_assignee(user)

    def can_edit(self, user) -> bool:
        return self.case.can_edit(user) or self._is_assignee(user)

    def _is_assignee(self, user) -> bool:
        if not getattr(user, "is_authenticated", False) or user.role != "adviser" or not user.active:
            return False
        return self.assignee_id is not None and self.assignee_id == user.id
        return self.case.can_edit(user)


# --- reminder rules (issue 9): rules as data, and each firing of a rule ------------------

RULE_KINDS = (
    "intake_not_submitted",
    "intake_not_taken",
    "no_contact",
    "stage_stuck",
    "permit_expiring",
    "closed_check",
    "training_ended",  # registered by the training domain (hiddengems/training/reminder_kinds.py)
    "introduction_stalled",  # registered by introductions (hiddengems/introductions/reminder_kinds.py)
)
DIRECTIONS = ("after", "before")
MAX_OFFSET_DAYS = 730


class ReminderRule(db.Model):
    """A rule a lead edits: which date of a case (``kind``), how many days before or after
    it, and what firing does (a follow-up for the case's adviser, the intake queue when it
    has none; an e-mail to the spouse in their language). It never fires for an occasion
    whose due time lies before ``effective_from``: a new or changed rule does not make
    follow-ups for everything that already matched."""

    __tablename__ = "reminder_rule"
    __table_args__ = (
        CheckConstraint(f"kind IN ({', '.join(repr(k) for k in RULE_KINDS)})", name="kind"),
        CheckConstraint("direction IN ('after', 'before')", name="direction"),
        CheckConstraint(f"days >= 0 AND days <= {MAX_OFFSET_DAYS}", name="days"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The seeded defaults carry a key, so that seeding again adds only what is missing.
    key: Mapped[str | None] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(30))
    days: Mapped[int]
    direction: Mapped[str] = mapped_column(String(6), default="after")
    make_follow_up: Mapped[bool] = mapped_column(default=True, server_default=true())
    follow_up_title: Mapped[str | None] = mapped_column(String(200))
    email_spouse: Mapped[bool] = mapped_column(default=False, server_default=false())
    # {"en": {"subject": ..., "body": ...}, "fi": {...}}: English always, others optional.
    email_templates: Mapped[dict | None] = mapped_column(JSON)
    enabled: Mapped[bool] = mapped_column(default=True, server_default=true())
    effective_from: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    def __repr__(self) -> str:
        return f"<ReminderRule {self.id} {self.kind} {self.days} {self.direction}>"

    # Rules are the leads' (the route says so too); nobody else reads or changes them.
    def can_view(self, user) -> bool:
        return bool(getattr(user, "is_authenticated", False) and user.role == "adviser" and user.is_lead)

    def can_edit(self, user) -> bool:
        return self.can_view(user)


class ReminderFiring(db.Model):
    """A rule fired once for a case and an occasion (the day of the event it counts from,
    or the date it counts to). The unique key makes "exactly once" the database's job:
    the sweep inserts ignoring conflicts and acts only for the rows it inserted."""

    __tablename__ = "reminder_firing"
    __table_args__ = (
        UniqueConstraint("rule_id", "case_id", "occasion"),
        Index("ix_reminder_firing_case", "case_id", "fired_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("reminder_rule.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"))
    occasion: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    fired_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    outbox_message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_message.id"))

    rule: Mapped[ReminderRule] = relationship(lazy="raise")


# --- The daily digest and the calendar feed ---------------------------------------------


class DigestSent(db.Model):
    """An adviser's digest of one working day, queued: the natural key (adviser, day)
    makes it go out once, whichever scheduler or retry runs the job, however often."""

    __tablename__ = "digest_sent"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    follow_ups: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CalendarFeed(db.Model):
    """An adviser's secret iCalendar address: whoever has the token reads their
    follow-ups, so it is long, random, replaced on reset, and never logged."""

    __tablename__ = "calendar_feed"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
