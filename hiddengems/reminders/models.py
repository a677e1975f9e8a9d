from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Index, String, Time, false, text
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
