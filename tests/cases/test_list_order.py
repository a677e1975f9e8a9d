"""The lists sorted by time in stage walk the stage changes in time order (the intake
queue, the lead's list without a narrow filter), and the lead's list by last contact or
next follow-up walks the contacts or open follow-ups; they must order cases exactly as
computing each case's value would, on every page (cases without a value last)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from hiddengems.cases import lists, services
from hiddengems.cases.lists import CaseFilters
from hiddengems.cases.lists.columns import last_contact_expr, stage_since_expr
from hiddengems.cases.models import Case, StageChange
from hiddengems.extensions import db
from hiddengems.reminders.panels import next_follow_up_expr
from hiddengems.timeutil import utcnow


def _ids(query: lists.CaseQuery) -> list[int]:
    return [case.id for case in db.session.scalars(query.rows(limit=100))]


def _by_stage_since(where, *, oldest_first: bool, newest_id_first: bool) -> list[int]:
    rows = db.session.execute(select(Case.id, stage_since_expr()).where(*where)).all()
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
    assert _ids(lists.intake_queue()) == expected


def test_lead_list_by_days_matches_the_time_in_stage_of_each_case(app, f, desk):
    _world(f, desk)
    for desc in (False, True):
        for stage in ("", "intake"):
            filters = CaseFilters(sort="days", desc=desc, stage=stage)
            where = [Case.stage == stage] if stage else [Case.stage != "closed"]
            # desc=1 is "most days first": the oldest stage change first, ties by the newest case.
            expected = _by_stage_since(where, oldest_first=desc, newest_id_first=desc)
            assert _ids(lists.case_list(filters, with_adviser=True)) == expected, (desc, stage)


def _by_value(expr, where, *, desc: bool) -> list[int]:
    """Sorted by ``expr``, descending with ``desc``, ties by the case (the newest first with
    ``desc``), cases without a value last in both directions."""
    rows = db.session.execute(select(Case.id, expr).where(*where)).all()
    rows.sort(key=lambda r: r[0], reverse=desc)
    valued = sorted((r for r in rows if r[1] is not None), key=lambda r: r[1], reverse=desc)
    return [r[0] for r in valued] + [r[0] for r in rows if r[1] is None]


def _paged(filters: CaseFilters, per_page: int) -> list[int]:
    ids: list[int] = []
    for page in range(1, 100):
        query = lists.case_list(filters, with_adviser=True)
        found = [case.id for case in db.session.scalars(query.rows(limit=per_page, offset=(page - 1) * per_page))]
        if not found:
            return ids
        assert len(found) <= per_page
        ids += found
    raise AssertionError("too many pages")


def _contacts_and_follow_ups(f, desk) -> None:
    """Cases with contacts (ties across and within cases, planned meetings ahead, notes
    that are no contact), open and done follow-ups (ties on the date), and cases with
    neither; one closed case that must not show."""
    now = utcnow()
    base = now - timedelta(days=30)
    today = now.date()
    cases = [desk.case, desk.queued]
    for _ in range(10):
        cases.append(f.assign(f.user("spouse", organisation=desk.org), desk.adviser, "skills"))
    for i, case in enumerate(cases):
        if i % 5 != 4:
            # Every other pair of cases ties on its latest contact.
            f.activity(case, desk.adviser, kind="call", at=base + timedelta(days=i // 2))
        if i % 3 == 0:
            f.activity(case, desk.adviser, kind="meeting", at=base - timedelta(days=i))
            # The same time twice: one of them is the latest.
            f.activity(case, desk.adviser, kind="email", at=base + timedelta(days=i // 2, hours=1))
            f.activity(case, desk.adviser, kind="call", at=base + timedelta(days=i // 2, hours=1))
        if i % 4 == 1:
            f.activity(case, desk.adviser, kind="meeting", at=now + timedelta(days=3))  # planned
            f.activity(case, desk.adviser, kind="note", at=now - timedelta(days=1))  # no contact
        if i % 4 != 3:
            f.follow_up(case, desk.adviser, due_on=today + timedelta(days=i // 3))
        if i % 3 == 1:
            f.follow_up(case, desk.adviser, due_on=today + timedelta(days=i // 3))  # a tie in the case
            f.follow_up(case, desk.adviser, due_on=today - timedelta(days=20), done=True)
        if i % 4 == 3 and i % 2 == 1:
            f.follow_up(case, desk.adviser, due_on=today - timedelta(days=5), done=True)  # done only
    closed = f.assign(f.user("spouse"), desk.adviser, "closed")
    f.activity(closed, desk.adviser, kind="call", at=now - timedelta(hours=1))
    f.follow_up(closed, desk.adviser, due_on=today - timedelta(days=99))


def test_lead_list_by_last_contact_and_next_follow_up_pages_through_every_case(app, f, desk):
    _contacts_and_follow_ups(f, desk)
    open_cases = [Case.stage != "closed"]
    for sort, expr in (("last_contact", last_contact_expr()), ("next_due", next_follow_up_expr())):
        for desc in (False, True):
            expected = _by_value(expr, open_cases, desc=desc)
            values = dict(db.session.execute(select(Case.id, expr).where(*open_cases)).all())
            assert len(expected) == 12 and None in values.values(), sort
            filters = CaseFilters(sort=sort, desc=desc)
            assert _ids(lists.case_list(filters, with_adviser=True)) == expected, (sort, desc)
            for per_page in (1, 2, 3, 5, 7):
                assert _paged(filters, per_page) == expected, (sort, desc, per_page)
            # Filtered: one organisation.
            org = CaseFilters(sort=sort, desc=desc, organisation_id=desk.org.id)
            where = [*open_cases, Case.organisation_id == desk.org.id]
            assert _paged(org, 4) == _by_value(expr, where, desc=desc), (sort, desc)
