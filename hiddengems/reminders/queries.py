"""Reads of follow-ups for pages: a case's, a spouse's, an adviser's, the Today page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache

from sqlalchemy import Date, Integer, Row, ScalarSelect, Select, bindparam, func, select
from sqlalchemy.orm import aliased, joinedload

from hiddengems.auth.models import User
from hiddengems.cases.lists.columns import last_contact_expr
from hiddengems.cases.models import Case
from hiddengems.dbsetup import plain_rows
from hiddengems.extensions import db
from hiddengems.reminders.models import FollowUp, ReminderFiring, ReminderRule
from hiddengems.timeutil import HELSINKI

CASE_FILE_LIMIT = 50
SPOUSE_HOME_LIMIT = 20
DESK_LIMIT = 10


def load_follow_up(follow_up_id: int, *, case_id: int) -> FollowUp | None:
    """A follow-up of this case (None if it is another case's), with the case, which
    answers who may see and change it, its spouse and the assignee (its page shows them)."""
    stmt = select(FollowUp).where(FollowUp.id == follow_up_id, FollowUp.case_id == case_id)
    options = (joinedload(FollowUp.case).joinedload(Case.spouse), joinedload(FollowUp.assignee))
    return db.session.scalar(stmt.options(*options))


def asks_six_month_result(follow_up: FollowUp) -> bool:
    """Whether the follow-up was made by a rule counting from the close (the six-month check)."""
    if follow_up.firing_id is None:
        return False
    stmt = (
        select(ReminderRule.kind)
        .join(ReminderFiring, ReminderFiring.rule_id == ReminderRule.id)
        .where(ReminderFiring.id == follow_up.firing_id)
    )
    return db.session.scalar(stmt) == "closed_check"


def open_follow_ups(case_id: int, limit: int = CASE_FILE_LIMIT) -> Sequence[Row]:
    """A case's open follow-ups, the earliest due first: plain rows of what the case file
    and the close page show, the assignee's name with them (dbsetup.plain_rows)."""
    return plain_rows(db.session, _open_follow_ups_statement(), {"case_id": case_id, "limit": limit})


@cache
def _open_follow_ups_statement() -> Select:
    """Built once (the case file shows it on every view): building it cost more than running it."""
    return (
        select(
            FollowUp.id,
            FollowUp.due_on,
            FollowUp.due_time,
            FollowUp.title,
            FollowUp.shared_with_spouse,
            User.name.label("assignee_name"),
        )
        .outerjoin(User, User.id == FollowUp.assignee_id)
        .where(FollowUp.case_id == bindparam("case_id", type_=Integer), FollowUp.done_at.is_(None))
        .order_by(FollowUp.due_on, FollowUp.id)
        .limit(bindparam("limit", type_=Integer))
    )


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
# Rows shown per group; the group's count says how many there are, and the overdue beyond
# these are the case lists' "only with overdue follow-ups". A worklist, not an archive: and
# rendering the rows is most of the page's time (bench/pages/reminders.py).
TODAY_GROUP_LIMIT = 50
# Counted up to this, then "999+": a team's overdue can be tens of thousands, and counting
# them all costs more than the rest of the page (a count stops at the cap, whatever the size).
TODAY_COUNT_CAP = 999
TODAY_GROUPS = ("overdue", "today", "ahead")


@dataclass(slots=True)
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

    @property
    def last_contact_on(self) -> date | None:
        """The day of the last contact in Helsinki."""
        return self.last_contact_at.astimezone(HELSINKI).date() if self.last_contact_at else None


@dataclass
class TodayGroup:
    name: str  # one of TODAY_GROUPS
    count: int  # at most TODAY_COUNT_CAP + 1: more than the cap is "999+"
    rows: list[TodayRow] = field(default_factory=list)

    @property
    def capped(self) -> bool:
        return self.count > TODAY_COUNT_CAP

    @property
    def more(self) -> int:
        """How many are not shown (at least this many, when capped)."""
        return min(self.count, TODAY_COUNT_CAP) - len(self.rows)


def today_groups(*, today: date, assignee_id: int | None, limit: int = TODAY_GROUP_LIMIT) -> list[TodayGroup]:
    """The open follow-ups due up to TODAY_AHEAD days from today, in three groups: one
    adviser's (``assignee_id``) or, with None, the whole team's, those of the queue too.
    Four queries whatever the caseload: the counts, then each group's first rows with
    the case's stage and last contact (ix_follow_up_open_assignee or ix_follow_up_open_due)."""
    mine = assignee_id is not None
    values = {"today": today, "until": today + timedelta(days=TODAY_AHEAD), "assignee_id": assignee_id}
    counts = db.session.execute(_today_counts_statement(mine), values).one()._asdict()
    groups = []
    for name in TODAY_GROUPS:
        rows = db.session.execute(_today_rows_statement(name, mine), {**values, "limit": limit})
        # Within a day, those with a time first, by time; then the rest as they came.
        found = sorted((TodayRow(*row) for row in rows), key=_within_a_day)
        groups.append(TodayGroup(name, counts[name], found))
    return groups


def _within_a_day(row: TodayRow) -> tuple:
    return (row.due_on, row.due_time is None, row.due_time or time.min)


def _today_where(mine: bool) -> list:
    where = [FollowUp.done_at.is_(None)]
    if mine:
        where.append(FollowUp.assignee_id == bindparam("assignee_id", type_=Integer))
    return where


@cache
def _today_counts_statement(mine: bool) -> Select:
    """Built once per scope (the statements cost more to build than to run): one row, each
    group's count up to TODAY_COUNT_CAP + 1, read from the index and stopped there."""
    today, until = bindparam("today", type_=Date), bindparam("until", type_=Date)
    where = _today_where(mine)

    def capped(*due) -> ScalarSelect:
        found = select(FollowUp.id).where(*where, *due).limit(TODAY_COUNT_CAP + 1).subquery()
        return select(func.count()).select_from(found).scalar_subquery()

    return select(
        capped(FollowUp.due_on < today).label("overdue"),
        capped(FollowUp.due_on == today).label("today"),
        capped(FollowUp.due_on > today, FollowUp.due_on <= until).label("ahead"),
    )


@cache
def _today_rows_statement(name: str, mine: bool) -> Select:
    today = bindparam("today", type_=Date)
    due = {
        "overdue": (FollowUp.due_on < today,),
        "today": (FollowUp.due_on == today,),
        "ahead": (FollowUp.due_on > today, FollowUp.due_on <= bindparam("until", type_=Date)),
    }[name]
    spouse, assignee = aliased(User, name="spouse"), aliased(User, name="assignee")
    return (
        select(
            FollowUp.id,
            FollowUp.case_id,
            FollowUp.title,
            FollowUp.due_on,
            FollowUp.due_time,
            FollowUp.snooze_count,
            FollowUp.shared_with_spouse,
            spouse.name,
            Case.stage,
            Case.adviser_id,
            FollowUp.assignee_id,
            assignee.name,
            last_contact_expr(),
        )
        .join(Case, Case.id == FollowUp.case_id)
        .join(spouse, spouse.id == Case.spouse_id)
        .outerjoin(assignee, assignee.id == FollowUp.assignee_id)
        .where(*_today_where(mine), *due)
        .order_by(FollowUp.due_on, FollowUp.case_id, FollowUp.id)
        .limit(bindparam("limit", type_=Integer))
    )


def all_rules() -> list[ReminderRule]:
    """The reminder rules for the lead's list (a handful: no paging)."""
    return list(db.session.scalars(select(ReminderRule).order_by(ReminderRule.name, ReminderRule.id)))
