"""Reads of follow-ups for pages: a case's, a spouse's, an adviser's."""

from __future__ import annotations

from datetime import date
from functools import cache

from sqlalchemy import Integer, Select, bindparam, func, select
from sqlalchemy.orm import joinedload

from hiddengems.cases.models import Case
from hiddengems.extensions import db
from hiddengems.reminders.models import FollowUp

CASE_FILE_LIMIT = 50
SPOUSE_HOME_LIMIT = 20
DESK_LIMIT = 10


def load_follow_up(follow_up_id: int, *, case_id: int) -> FollowUp | None:
    """A follow-up of this case (None if it is another case's), with the case, which
    answers who may see and change it."""
    stmt = select(FollowUp).where(FollowUp.id == follow_up_id, FollowUp.case_id == case_id)
    return db.session.scalar(stmt.options(joinedload(FollowUp.case)))


def open_follow_ups(case_id: int, limit: int = CASE_FILE_LIMIT) -> list[FollowUp]:
    return list(db.session.scalars(_open_follow_ups_statement(), {"case_id": case_id, "limit": limit}))


@cache
def _open_follow_ups_statement() -> Select:
    """Built once (the case file shows it on every view): building it cost more than running it."""
    return (
        select(FollowUp)
        .where(FollowUp.case_id == bindparam("case_id", type_=Integer), FollowUp.done_at.is_(None))
        .options(joinedload(FollowUp.assignee))
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
