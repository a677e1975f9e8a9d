"""Cases and their stage history. Flush, never commit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from blinker import Namespace
from sqlalchemy import Integer, Select, bindparam, func, or_, select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.orm.util import identity_key

from hiddengems.audit.services import record
from hiddengems.auth.models import STAFF_ROLES, User
from hiddengems.auth.services import spouse_registered
from hiddengems.cases import notices
from hiddengems.cases.models import Case, CaseOutcome, StageChange
from hiddengems.cases.timeline import cancel_future_meetings
from hiddengems.extensions import db
from hiddengems.timeutil import helsinki_today, utcnow
from hiddengems.vocab import EMPLOYED_OUTCOMES, OPEN_STAGES, OUTCOMES, SIX_MONTH_RESULTS, STAGES, one_of

_signals = Namespace()
# What other domains do when a case closes or changes hands (the reminders domain cancels or
# moves its open follow-ups), without this domain importing them: sent inside the same
# transaction, so a failure there undoes the close or the reassignment too.
case_closed = _signals.signal("case-closed")  # sender: the case; actor=
cases_reassigned = _signals.signal("cases-reassigned")  # sender: the actor; moves={case_id: (from_id, to_id)}


def open_case(spouse: User, *, actor: User | None, at: datetime | None = None) -> Case:
    """Every spouse has one case from registration on."""
    at = at or utcnow()
    case = Case(spouse=spouse, organisation_id=spouse.organisation_id, stage="registered", created_at=at)
    db.session.add(case)
    db.session.flush()
    db.session.add(
        StageChange(case_id=case.id, from_stage=None, to_stage="registered", at=at, by_id=actor.id if actor else None)
    )
    return case


@spouse_registered.connect
def _open_case_at_registration(spouse: User, **_extra) -> None:
    open_case(spouse, actor=spouse)


def change_stage(
    case: Case, to_stage: str, *, actor: User | None, reason: str | None = None, at: datetime | None = None
) -> StageChange:
    change = StageChange(
        case_id=case.id,
        from_stage=case.stage,
        to_stage=to_stage,
        at=at or utcnow(),
        by_id=actor.id if actor else None,
        reason=reason,
    )
    case.stage = to_stage
    db.session.add(change)
    db.session.flush()
    return change


def stage_counts(
    *, adviser_id: int | None = None, organisation_id: int | None = None, unassigned: bool = False
) -> dict[str, int]:
    """Open and closed cases by stage, in one grouped query."""
    stmt = select(Case.stage, func.count()).group_by(Case.stage)
    if adviser_id is not None:
        stmt = stmt.where(Case.adviser_id == adviser_id)
    if unassigned:
        stmt = stmt.where(Case.adviser_id.is_(None))
    if organisation_id is not None:
        stmt = stmt.where(Case.organisation_id == organisation_id)
    counts = dict.fromkeys(STAGES, 0)
    counts.update(dict(db.session.execute(stmt).all()))
    return counts


def inactive_advisers() -> Select:
    """Accounts that hold cases but can no longer work them: deactivated advisers, and
    staff whose role changed from adviser to another (their cases need a new adviser
    just the same). Read through the role index: staff are few."""
    return select(User.id).where(one_of(User.role, STAFF_ROLES), or_(User.role != "adviser", User.active.is_(False)))


def cases_needing_reassignment() -> int:
    """Open cases whose adviser is deactivated or no longer an adviser."""
    # Driven by the few such accounts through ix_case_file_adviser_stage, not by every case.
    stmt = (
        select(func.count()).select_from(Case).where(Case.adviser_id.in_(inactive_advisers()), Case.stage != "closed")
    )
    return db.session.scalar(stmt)


def spouse_case(spouse: User) -> Case | None:
    # With what the spouse's own pages show of it: the adviser and the organisation.
    stmt = (
        select(Case).where(Case.spouse_id == spouse.id).options(joinedload(Case.adviser), joinedload(Case.organisation))
    )
    return db.session.scalar(stmt)


class CaseConflict(Exception):
    """The case was changed by someone else since the form was opened."""


def check_version(case: Case, version: int | None) -> None:
    """The form carries the version it was opened on; a stale one is refused."""
    if version is None or version != case.version:
        raise CaseConflict


@contextmanager
def _conflict_on_stale() -> Iterator[None]:
    try:
        yield
        db.session.flush()
    except StaleDataError as error:
        # Someone saved between our read and our write: version_id_col caught it.
        raise CaseConflict from error


def load_case(case_id: int) -> Case | None:
    """A case with what its header shows, in one query."""
    return db.session.scalar(load_case_statement(), {"case_id": case_id})


@cache
def load_case_statement() -> Select:
    return (
        select(Case)
        .where(Case.id == bindparam("case_id", type_=Integer))
        .options(
            joinedload(Case.spouse),
            joinedload(Case.adviser),
            joinedload(Case.organisation),
        )
    )


class StageRefused(ValueError):
    """A stage change the rules refuse: ``reason`` is "closed" (reopen it first), "same"
    (already there) or "unknown" (not an open stage)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def set_stage(case: Case, to_stage: str, *, actor: User, reason: str | None, version: int | None) -> StageChange:
    """Move an open case to another open stage (closing asks for an outcome: close_case)."""
    if not case.is_open:
        raise StageRefused("closed")
    check_version(case, version)
    if to_stage not in OPEN_STAGES:
        raise StageRefused("unknown")
    if to_stage == case.stage:
        raise StageRefused("same")
    with _conflict_on_stale():
        change = change_stage(case, to_stage, actor=actor, reason=reason or None)
    record(
        "case.stage_changed",
        actor=actor,
        object_type="case",
        object_id=case.id,
        detail={"from": change.from_stage, "to": to_stage},
    )
    return change


# An employment that starts more than this far ahead is a plan, not an outcome.
EMPLOYMENT_START_AHEAD = timedelta(days=366)


def employment_start_problem(start: date, *, opened_on: date, today: date) -> str | None:
    """Why a start date makes no sense for an employment closing this case, or None."""
    if start > today + EMPLOYMENT_START_AHEAD:
        return "too_far_ahead"
    if start < opened_on:
        return "before_registration"
    return None


class CloseRefused(ValueError):
    """A close the rules refuse; ``field`` is the form field it is about."""

    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason


def close_case(
    case: Case,
    *,
    actor: User,
    outcome: str,
    reason: str | None,
    version: int | None,
    employer: str | None = None,
    occupation: str | None = None,
    start_date: date | None = None,
) -> CaseOutcome:
    check_version(case, version)
    if outcome not in OUTCOMES or not case.is_open:
        raise ValueError(f"cannot close a {case.stage} case with {outcome}")
    employed = outcome in EMPLOYED_OUTCOMES
    if employed:
        for field, value in (("employer", employer), ("occupation", occupation), ("start_date", start_date)):
            if not (value.strip() if isinstance(value, str) else value):
                raise CloseRefused(field, "needed")
        problem = employment_start_problem(start_date, opened_on=case.created_at.date(), today=helsinki_today())
        if problem:
            raise CloseRefused("start_date", problem)
    with _conflict_on_stale():
        case.outcome = outcome
        change = change_stage(case, "closed", actor=actor, reason=reason or None)
    result = CaseOutcome(
        case_id=case.id,
        stage_change_id=change.id,
        outcome=outcome,
        employer=employer.strip() if employed else None,
        occupation=occupation.strip() if employed else None,
        start_date=start_date if employed else None,
    )
    db.session.add(result)
    db.session.flush()
    cancelled = cancel_future_meetings(case.id)
    case_closed.send(case, actor=actor)
    record("case.closed", actor=actor, object_type="case", object_id=case.id, detail={"outcome": outcome})
    notices.case_closed(case)
    for meeting in cancelled:
        notices.meeting_cancelled(case, meeting)  # its .ics takes it off the spouse's calendar
    return result


def record_six_month_result(case_id: int, result: str, *, actor: User) -> bool:
    """What the spouse's situation was six months after the case's last close, on that
    close's outcome (for the funder's figures). False when the case was never closed."""
    if result not in SIX_MONTH_RESULTS:
        raise ValueError(f"not a six-month result: {result}")
    last = db.session.scalar(select(func.max(CaseOutcome.id)).where(CaseOutcome.case_id == case_id))
    if last is None:
        return False
    db.session.execute(
        update(CaseOutcome)
        .where(CaseOutcome.id == last)
        .values(six_month_result=result, six_month_recorded_at=utcnow())
    )
    record("case.six_month_result", actor=actor, object_type="case", object_id=case_id, detail={"result": result})
    return True


def reopen_case(case: Case, *, actor: User, to_stage: str, reason: str | None, version: int | None) -> StageChange:
    """A reopened case goes back to an open stage; the earlier outcome stays in its record."""
    check_version(case, version)
    if case.is_open or to_stage not in OPEN_STAGES:
        raise ValueError(f"cannot reopen a {case.stage} case to {to_stage}")
    with _conflict_on_stale():
        case.outcome = None
        change = change_stage(case, to_stage, actor=actor, reason=reason or None)
    record("case.reopened", actor=actor, object_type="case", object_id=case.id, detail={"to": to_stage})
    notices.case_reopened(case)
    return change


@dataclass
class TakeResult:
    taken: bool
    holder: User | None = None  # who has it, when someone else was first


def take_case(case_id: int, *, actor: User) -> TakeResult:
    """Assign a case of the queue (unassigned, intake submitted) to the actor. Two advisers
    at once: the database lets exactly one conditional UPDATE match; the other learns who
    was first. A registration whose intake is still a draft is not in the queue."""
    result = db.session.execute(
        update(Case)
        .where(Case.id == case_id, Case.adviser_id.is_(None), Case.stage.not_in(("registered", "closed")))
        .values(adviser_id=actor.id, version=Case.version + 1)
        .execution_options(synchronize_session=False)
    )
    case = db.session.get(Case, case_id)
    if case is not None:
        db.session.refresh(case)
    if result.rowcount == 1:
        record("case.taken", actor=actor, object_type="case", object_id=case_id)
        cases_reassigned.send(actor, moves={case_id: (None, actor.id)})
        return TakeResult(taken=True, holder=actor)
    holder = db.session.get(User, case.adviser_id) if case is not None and case.adviser_id else None
    return TakeResult(taken=False, holder=holder)


def reassign_cases(case_ids: list[int], *, to: User, actor: User) -> list[int]:
    """Give cases to another adviser in one conditional UPDATE; an audit row per case moved."""
    if to.role != "adviser" or not to.active:
        raise ValueError("cases go to an active adviser")
    ids = sorted(set(case_ids))
    if not ids:
        return []
    before = dict(db.session.execute(select(Case.id, Case.adviser_id).where(Case.id.in_(ids)).with_for_update()).all())
    moved = db.session.execute(
        update(Case)
        .where(Case.id.in_(ids), or_(Case.adviser_id.is_(None), Case.adviser_id != to.id))
        .values(adviser_id=to.id, version=Case.version + 1)
        .returning(Case.id)
        .execution_options(synchronize_session=False)
    )
    moved_ids = sorted(row.id for row in moved)
    for case_id in moved_ids:
        record(
            "case.reassigned",
            actor=actor,
            object_type="case",
            object_id=case_id,
            detail={"from": before.get(case_id), "to": to.id},
        )
    cases_reassigned.send(actor, moves={case_id: (before.get(case_id), to.id) for case_id in moved_ids})
    # Cases already in this session must not keep their old adviser.
    for case_id in moved_ids:
        cached = db.session.identity_map.get(identity_key(Case, case_id))
        if cached is not None:
            db.session.expire(cached)
    return moved_ids
