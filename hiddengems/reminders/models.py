from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Index, String, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hiddengems.extensions import db
from hiddengems.timeutil import UTCDateTime, utcnow

if TYPE_CHECKING:
    from hiddengems.auth.models import User
    from hiddengems.cases.models import Case


class FollowUp(db.Model):
    """An adviser's to-do item on a case, due on a day (Europe/Helsinki).

    Written by hand for now; the reminder rules of a later issue will add a
    reference to the rule and occasion that made one (with its unique key). Internal
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

    case: Mapped[Case] = relationship(lazy="raise")
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id], lazy="raise")

    @property
    def is_open(self) -> bool:
        return self.done_at is None

    # A follow-up belongs to its case: who may see or change the case may do so to it
    # (load it with its case: reminders.queries.load_follow_up).
    def can_view(self, user) -> bool:
        return self.case.can_view(user)

    def can_edit(self, user) -> bool:
        return self.case.can_edit(user)


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
