"""Follow-ups. Flush, never commit."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import update

from hiddengems.audit.services import record
from hiddengems.auth.models import User
from hiddengems.cases.models import Case
from hiddengems.extensions import db
from hiddengems.reminders.models import FollowUp
from hiddengems.timeutil import helsinki_today, utcnow

# A follow-up further ahead than this is a plan for the case, not a to-do.
FOLLOW_UP_HORIZON = timedelta(days=2 * 366)


def due_date_problem(due_on: date, *, today: date) -> str | None:
    """Why a due date makes no sense for a new follow-up ("passed", "too_far_ahead"), or None."""
    if due_on < today:
        return "passed"
    if due_on > today + FOLLOW_UP_HORIZON:
        return "too_far_ahead"
    return None


class DueDateRefused(ValueError):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def add_follow_up(
    case: Case,
    *,
    actor: User,
    title: str,
    due_on: date,
    assignee: User | None = None,
    shared_with_spouse: bool = False,
) -> FollowUp:
    """A hand-written follow-up; it goes to the case's adviser unless someone is named.
    Shared ones are also listed on the spouse's home page until they are done."""
    problem = due_date_problem(due_on, today=helsinki_today())
    if problem:
        raise DueDateRefused(problem)
    assignee_id = assignee.id if assignee else (case.adviser_id or actor.id)
    follow_up = FollowUp(
        case_id=case.id,
        assignee_id=assignee_id,
        due_on=due_on,
        title=title.strip(),
        shared_with_spouse=shared_with_spouse,
        created_by_id=actor.id,
    )
    db.session.add(follow_up)
    db.session.flush()
    record(
        "case.follow_up_added",
        actor=actor,
        object_type="case",
        object_id=case.id,
        detail={"follow_up": follow_up.id, "shared": shared_with_spouse},
    )
    return follow_up


def complete_follow_up(follow_up: FollowUp, *, actor: User) -> bool:
    """Mark done once: a second click (or a second adviser) changes nothing."""
    result = db.session.execute(
        update(FollowUp)
        .where(FollowUp.id == follow_up.id, FollowUp.done_at.is_(None))
        .values(done_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.expire(follow_up)
    if result.rowcount:
        record(
            "case.follow_up_done",
            actor=actor,
            object_type="case",
            object_id=follow_up.case_id,
            detail={"follow_up": follow_up.id},
        )
    return bool(result.rowcount)
