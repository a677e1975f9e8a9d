"""Follow-ups. Flush, never commit."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, update

from hiddengems.audit.services import record
from hiddengems.auth.models import User
from hiddengems.cases import notices
from hiddengems.cases.models import Case
from hiddengems.cases.services import case_closed, cases_reassigned, record_six_month_result
from hiddengems.cases.timeline import add_activity
from hiddengems.extensions import db
from hiddengems.reminders.models import FollowUp
from hiddengems.timeutil import HELSINKI, helsinki_today, utcnow
from hiddengems.vocab import SIX_MONTH_LABELS

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
    due_time: time | None = None,
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
        due_time=due_time,
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
    if shared_with_spouse:
        notices.follow_up_shared(case, due_on=due_on)
    return follow_up


def complete_follow_up(
    follow_up: FollowUp, *, actor: User, note: str | None = None, six_month_result: str | None = None
) -> bool:
    """Mark done once: a second click (or a second adviser) changes nothing. A note goes
    on the case's timeline, written once with the done mark (load the follow-up with its
    case: queries.load_follow_up); a six-month result (the rule "Six-month result after
    closing") goes on the case's last close, and the timeline says what it was."""
    result = db.session.execute(
        update(FollowUp)
        .where(FollowUp.id == follow_up.id, FollowUp.done_at.is_(None))
        .values(done_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if not result.rowcount:
        db.session.expire(follow_up)
        return False
    detail = {"follow_up": follow_up.id}
    lines = []
    if six_month_result and record_six_month_result(follow_up.case_id, six_month_result, actor=actor):
        lines.append(_("Six months after the close: %(result)s", result=SIX_MONTH_LABELS[six_month_result]))
    note = (note or "").strip()
    if note:
        lines.append(note)
    if lines:
        text = _("Follow-up done: %(title)s", title=follow_up.title) + "\n\n" + "\n".join(lines)
        activity = add_activity(follow_up.case, actor=actor, kind="note", occurred_at=utcnow(), text=text)
        detail["activity"] = activity.id
    db.session.expire(follow_up)
    record("case.follow_up_done", actor=actor, object_type="case", object_id=follow_up.case_id, detail=detail)
    return True


class FollowUpRefused(ValueError):
    """A change the rules refuse: ``reason`` is "closed" (done or cancelled already),
    "passed", "not_later", "too_far_ahead" (snoozing) or "not_adviser" (reassigning)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def snooze_problem(follow_up: FollowUp, until_on: date, until_time: time | None, *, now: datetime) -> str | None:
    """Why a follow-up cannot be snoozed to this day and time (Europe/Helsinki), or None."""
    here = now.astimezone(HELSINKI)
    today = here.date()
    if until_on < today or (until_on == today and until_time is not None and until_time <= here.time()):
        return "passed"
    if until_on > today + FOLLOW_UP_HORIZON:
        return "too_far_ahead"
    if (until_on, until_time) == (follow_up.due_on, follow_up.due_time):
        return None  # snoozed there already (a second click): snooze_follow_up changes nothing
    if (until_on, until_time or time.min) <= (follow_up.due_on, follow_up.due_time or time.min):
        return "not_later"
    return None


def snooze_follow_up(follow_up: FollowUp, *, actor: User, until_on: date, until_time: time | None = None) -> bool:
    """Move an open follow-up to a later day (and time). The same snooze posted twice, or
    twenty times at once, moves it once: the UPDATE matches only while it is elsewhere."""
    if not follow_up.is_open:
        raise FollowUpRefused("closed")
    problem = snooze_problem(follow_up, until_on, until_time, now=utcnow())
    if problem:
        raise FollowUpRefused(problem)
    elsewhere = or_(FollowUp.due_on != until_on, FollowUp.due_time.is_distinct_from(until_time))
    result = db.session.execute(
        update(FollowUp)
        .where(FollowUp.id == follow_up.id, FollowUp.done_at.is_(None), elsewhere)
        .values(due_on=until_on, due_time=until_time, snoozed_at=utcnow(), snooze_count=FollowUp.snooze_count + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(follow_up)
    if result.rowcount:
        detail = {"follow_up": follow_up.id, "until": until_on.isoformat()}
        record("case.follow_up_snoozed", actor=actor, object_type="case", object_id=follow_up.case_id, detail=detail)
    return bool(result.rowcount)


def reassign_follow_up(follow_up: FollowUp, *, to: User, actor: User) -> bool:
    """Give an open follow-up to another active adviser; False when it is theirs already."""
    if to.role != "adviser" or not to.active:
        raise FollowUpRefused("not_adviser")
    if not follow_up.is_open:
        raise FollowUpRefused("closed")
    before = follow_up.assignee_id
    result = db.session.execute(
        update(FollowUp)
        .where(FollowUp.id == follow_up.id, FollowUp.done_at.is_(None), FollowUp.assignee_id.is_distinct_from(to.id))
        .values(assignee_id=to.id)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(follow_up)
    if result.rowcount:
        detail = {"follow_up": follow_up.id, "from": before, "to": to.id}
        record("case.follow_up_reassigned", actor=actor, object_type="case", object_id=follow_up.case_id, detail=detail)
    return bool(result.rowcount)


# --- what happens to a case's follow-ups when the case closes or changes hands --------------


def cancel_open_follow_ups(case_id: int) -> int:
    """Cancel a case's open follow-ups: kept, marked cancelled (and no longer open)."""
    now = utcnow()
    result = db.session.execute(
        update(FollowUp)
        .where(FollowUp.case_id == case_id, FollowUp.done_at.is_(None))
        .values(done_at=now, cancelled_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def move_open_follow_ups(moves: dict[int, tuple[int | None, int]]) -> int:
    """A case given to another adviser takes its open follow-ups along: those its former
    adviser held and those of the queue. One given to someone else on purpose stays theirs.
    One UPDATE per former adviser, however many cases moved."""
    by_move: dict[tuple[int | None, int], list[int]] = {}
    for case_id, move in moves.items():
        by_move.setdefault(move, []).append(case_id)
    moved = 0
    for (from_id, to_id), case_ids in sorted(by_move.items(), key=lambda item: (item[0][0] or 0, item[0][1])):
        held = FollowUp.assignee_id.is_(None)
        if from_id is not None:
            held = or_(held, FollowUp.assignee_id == from_id)
        result = db.session.execute(
            update(FollowUp)
            .where(FollowUp.case_id.in_(sorted(case_ids)), FollowUp.done_at.is_(None), held)
            .values(assignee_id=to_id)
            .execution_options(synchronize_session=False)
        )
        moved += result.rowcount
    return moved


@case_closed.connect
def _cancel_at_close(case: Case, **_extra) -> None:
    cancel_open_follow_ups(case.id)


@cases_reassigned.connect
def _move_at_reassignment(_actor, *, moves: dict, **_extra) -> None:
    move_open_follow_ups(moves)
