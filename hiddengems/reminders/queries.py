"""Reads of follow-ups for pages: a case's, a spouse's, an adviser's, the Today page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import case as when
from sqlalchemy import func, literal, select
from sqlalchemy.orm import aliased, joinedload

from hiddengems.auth.models import User
from hiddengems.cases.lists.columns import last_contact_expr
from hiddengems.cases.models import Case
from hiddengems.extensions import db
from hiddengems.reminders.models import FollowUp

CASE_FILE_LIMIT = 50
SPOUSE_HOME_LIMIT = 20
DESK_LIMIT = 10


def load_follow_up(follow_up_id: int, *, case_id: int) -> FollowUp | None:
    """A follow-up of this case (None if it is another case's), with the case, which
    answers who may see and change it, its spouse and the assignee (its page shows them)."""
    stmt = select(FollowUp).where(FollowUp.id == follow_up_id, FollowUp.case_id == case_id)
    options = (joinedload(FollowUp.case).joinedload(Case.spouse), joinedload(FollowUp.assignee))
    return db.session.scalar(stmt.options(*options))


def open_follow_ups(case_id: int, limit: int = CASE_FILE_LIMIT) -> list[FollowUp]:
    stmt = (
        select(FollowUp)
        .where(FollowUp.case_id == case_id, FollowUp.done_at.is_(None))
        .options(joinedload(FollowUp.assignee))
        .order_by(FollowUp.due_on, FollowUp.id)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def spouse_follow_ups(case_id: int, *, limit: int = SPOUSE_HOME_LIMIT) -> list[FollowUp]:
    """The open follow-ups an adviser marked as concerning the spouse, the earliest due
    first. Never an internal one, never one that is done."""
    # Served by ix_follow_up_open_case: a case has few open follow-ups, the flag filters those.
    stmt = (
        select(FollowUp)
        .where(FollowUp.case_id == case_id, FollowUp.done_at.is_(None), FollowUp.shared_with_spouse.is_(True))
        .order_by(FollowUp.due_on, FollowUp.id)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def due_follow_ups(assignee_id: int, *, limit: int = DESK_LIMIT) -> list[FollowUp]:
    """An adviser's open follow-ups, the earliest due first."""
    stmt = (
        select(FollowUp)
        .where(FollowUp.assignee_id == assignee_id, FollowUp.done_at.is_(None))
        .options(joinedload(FollowUp.case).joinedload(Case.spouse))
        .order_by(FollowUp.due_on, FollowUp.id)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def count_overdue(assignee_id: int, today: date) -> int:
    stmt = (
        select(func.count())
        .select_from(FollowUp)
        .where(FollowUp.assignee_id == assignee_id, FollowUp.done_at.is_(None), FollowUp.due_on < today)
    )
    return db.session.scalar(stmt)


# --- the Today page: overdue, due today and the next days, the adviser's or the team's ---------

TODAY_AHEAD = 7  # days after today that the Today page lists
TODAY_GROUP_LIMIT = 100  # rows shown per group; the group's count says how many there are
TODAY_GROUPS = ("overdue", "today", "ahead")


@dataclass(frozen=True)
class TodayRow:
    id: int
    case_id: int
    title: str
    due_on: date
    due_time: time | None
    snooze_count: int
    shared_with_spouse: bool
    spouse_name: str
    stage: str
    case_adviser_id: int | None
    assignee_id: int | None
    assignee_name: str | None
    last_contact_at: datetime | None


@dataclass
class TodayGroup:
    name: str  # one of TODAY_GROUPS
    count: int
    rows: list[TodayRow] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - len(self.rows)


def _today_range(group: str, today: date) -> tuple:
    if group == "overdue":
        return (FollowUp.due_on < today,)
    if group == "today":
        return (FollowUp.due_on == today,)
    return (FollowUp.due_on > today, FollowUp.due_on <= today + timedelta(days=TODAY_AHEAD))


def today_groups(*, today: date, assignee_id: int | None, limit: int = TODAY_GROUP_LIMIT) -> list[TodayGroup]:
    """The open follow-ups due up to TODAY_AHEAD days from today, in three groups: one
    adviser's (``assignee_id``) or, with None, the whole team's, those of the queue too.
    Four queries whatever the caseload: the counts, then each group's first rows with
    the case's stage and last contact (ix_follow_up_open_assignee or ix_follow_up_open_due)."""
    mine = () if assignee_id is None else (FollowUp.assignee_id == assignee_id,)
    open_ = (FollowUp.done_at.is_(None), *mine)
    group = when(
        (FollowUp.due_on < today, literal("overdue")), (FollowUp.due_on == today, literal("today")), else_="ahead"
    )
    counts_stmt = (
        select(group.label("name"), func.count())
        .where(*open_, FollowUp.due_on <= today + timedelta(days=TODAY_AHEAD))
        .group_by(group)
    )
    counts = dict(db.session.execute(counts_stmt).all())
    return [
        TodayGroup(name, counts.get(name, 0), _today_rows(open_, _today_range(name, today), limit))
        for name in TODAY_GROUPS
    ]


def _today_rows(open_: tuple, due: tuple, limit: int) -> list[TodayRow]:
    spouse, assignee = aliased(User), aliased(User)
    stmt = (
        select(
            FollowUp.id,
            FollowUp.case_id,
            FollowUp.title,
            FollowUp.due_on,
            FollowUp.due_time,
            FollowUp.snooze_count,
            FollowUp.shared_with_spouse,
            spouse.name.label("spouse_name"),
            Case.stage,
            Case.adviser_id.label("case_adviser_id"),
            FollowUp.assignee_id,
            assignee.name.label("assignee_name"),
            last_contact_expr().label("last_contact_at"),
        )
        .join(Case, Case.id == FollowUp.case_id)
        .join(spouse, spouse.id == Case.spouse_id)
        .outerjoin(assignee, assignee.id == FollowUp.assignee_id)
        .where(*open_, *due)
        .order_by(FollowUp.due_on, FollowUp.case_id, FollowUp.id)
        .limit(limit)
    )
    rows = [TodayRow(**row._asdict()) for row in db.session.execute(stmt)]
    # Within a day, those with a time first, by time; then the rest as they came.
    return sorted(rows, key=lambda row: (row.due_on, row.due_time is None, row.due_time or time.min))
