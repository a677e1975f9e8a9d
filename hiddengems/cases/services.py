"""Cases and their stage history. Flush, never commit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from hiddengems.auth.models import User
from hiddengems.cases.models import STAGES, Case, StageChange
from hiddengems.extensions import db
from hiddengems.timeutil import utcnow


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
    counts.update(dict(db.session.execute(stmt).tuples().all()))
    return counts


def cases_needing_reassignment() -> int:
    """Open cases whose adviser has been deactivated."""
    stmt = (
        select(func.count())
        .select_from(Case)
        .join(User, Case.adviser_id == User.id)
        .where(User.active.is_(False), Case.stage != "closed")
    )
    return db.session.scalar(stmt)


def spouse_case(spouse: User) -> Case | None:
    stmt = select(Case).where(Case.spouse_id == spouse.id).options(joinedload(Case.adviser))
    return db.session.scalar(stmt)
