"""The lists sorted by time in stage walk the stage changes in time order (the intake
queue, the lead's list without a narrow filter); they must order cases exactly as
computing each case's time in stage would."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from hiddengems.cases import caseload, services
from hiddengems.cases.caseload import CaseFilters
from hiddengems.cases.models import Case, StageChange
from hiddengems.extensions import db
from hiddengems.timeutil import utcnow


def _ids(query: caseload.CaseQuery) -> list[int]:
    return [case.id for case in db.session.scalars(query.rows(limit=100))]


def _by_stage_since(where, *, oldest_first: bool, newest_id_first: bool) -> list[int]:
    rows = db.session.execute(select(Case.id, caseload.stage_since_expr()).where(*where)).all()
    rows.sort(key=lambda r: r[0], reverse=newest_id_first)
    rows.sort(key=lambda r: r[1], reverse=not oldest_first)
    return [r[0] for r in rows]


def _world(f, desk) -> None:
    now = utcnow()
    for i in range(8):
        spouse = f.user("spouse", organisation=desk.org)
        case = db.session.scalar(select(Case).where(Case.spouse_id == spouse.id))
        # Registered two months ago, so that the changes below come after it.
        db.session.execute(
            update(StageChange).where(StageChange.case_id == case.id).values(at=now - timedelta(days=60))
        )
        at = now - timedelta(days=40 - i * 3)
        services.change_stage(case, "intake", actor=None, at=at)
        if i % 3 == 0:
            # Taken on to skills, then back to intake later: only the latest arrival counts.
            services.change_stage(case, "skills", actor=desk.adviser, at=at + timedelta(days=1))
            services.change_stage(case, "intake", actor=desk.adviser, at=now - timedelta(days=i))
        if i % 4 == 1:
            case.adviser_id = desk.other.id
    db.session.commit()


def test_queue_is_ordered_by_the_latest_arrival_in_intake(app, f, desk):
    _world(f, desk)
    expected = _by_stage_since(
        (Case.adviser_id.is_(None), Case.stage == "intake"), oldest_first=True, newest_id_first=False
    )
    assert len(expected) >= 5
    assert _ids(caseload.intake_queue()) == expected


def test_lead_list_by_days_matches_the_time_in_stage_of_each_case(app, f, desk):
    _world(f, desk)
    for desc in (False, True):
        for stage in ("", "intake"):
            filters = CaseFilters(sort="days", desc=desc, stage=stage)
            where = [Case.stage == stage] if stage else [Case.stage != "closed"]
            # desc=1 is "most days first": the oldest stage change first, ties by the newest case.
            expected = _by_stage_since(where, oldest_first=desc, newest_id_first=desc)
            assert _ids(caseload.case_list(filters, with_adviser=True)) == expected, (desc, stage)
