"""Case services without HTTP."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import select

from hiddengems.audit.models import AuditEvent
from hiddengems.cases import lists, services, timeline
from hiddengems.cases.models import Case, CaseOutcome, StageChange
from hiddengems.extensions import db
from hiddengems.reminders import services as follow_ups
from hiddengems.timeutil import helsinki_today, utcnow


def audit(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def test_can_view_and_edit(desk, f):
    hr, admin = f.user("hr"), f.user("admin")
    assert desk.case.can_view(desk.adviser) and desk.case.can_edit(desk.adviser)
    assert not desk.case.can_view(desk.other) and not desk.case.can_edit(desk.other)
    assert desk.case.can_view(desk.lead) and desk.case.can_edit(desk.lead)
    for nobody in (desk.spouse, hr, admin):
        assert not desk.case.can_view(nobody) and not desk.case.can_edit(nobody)
    # The unassigned queue: every adviser may look, nobody edits before taking it.
    assert desk.queued.can_view(desk.other) and not desk.queued.can_edit(desk.other)


def test_a_registration_whose_intake_is_not_sent_is_nobodys_to_take(desk, f):
    draft = f.case_of(f.user("spouse", organisation=desk.org))
    assert draft.stage == "registered" and draft.adviser_id is None
    assert not draft.can_view(desk.adviser)  # the spouse's draft: not in the queue
    assert draft.can_view(desk.lead)  # a lead sees every case (but not the draft's answers)
    result = services.take_case(draft.id, actor=desk.adviser)
    db.session.commit()
    assert not result.taken and db.session.get(Case, draft.id).adviser_id is None


def test_take_case_once(desk):
    first = services.take_case(desk.queued.id, actor=desk.adviser)
    second = services.take_case(desk.queued.id, actor=desk.other)
    db.session.commit()
    assert first.taken and not second.taken
    assert second.holder.id == desk.adviser.id
    case = db.session.get(Case, desk.queued.id)
    assert case.adviser_id == desk.adviser.id
    assert case.version == 3  # 1 at opening, 2 when it moved to intake, 3 when taken
    assert [e.object_id for e in audit("case.taken")] == [desk.queued.id]


def test_set_stage_records_history_and_checks_version(desk):
    case = desk.case
    with pytest.raises(services.CaseConflict):
        services.set_stage(case, "training", actor=desk.adviser, reason="x", version=case.version - 1)
    change = services.set_stage(case, "training", actor=desk.adviser, reason="Course found", version=case.version)
    db.session.commit()
    assert (change.from_stage, change.to_stage, change.by_id, change.reason) == (
        "skills",
        "training",
        desk.adviser.id,
        "Course found",
    )
    assert audit("case.stage_changed")[-1].detail == {"from": "skills", "to": "training"}
    with pytest.raises(ValueError):
        services.set_stage(case, "closed", actor=desk.adviser, reason=None, version=case.version)


def test_stale_write_is_a_conflict_even_after_the_check(desk, app):
    """Two sessions read version N; the first saves; the second's UPDATE matches nothing."""
    case = desk.case
    version = case.version
    # Someone else saves behind this session's back.
    db.session.execute(Case.__table__.update().where(Case.id == case.id).values(version=version + 1))
    with pytest.raises(services.CaseConflict):
        services.set_stage(case, "training", actor=desk.adviser, reason=None, version=version)
    db.session.rollback()


def test_close_employed_records_outcome_and_reopen(desk):
    case = desk.case
    with pytest.raises(ValueError):
        services.close_case(
            case, actor=desk.adviser, outcome="employed_full_time", reason=None, version=case.version, employer="Nokia"
        )
    result = services.close_case(
        case,
        actor=desk.adviser,
        outcome="employed_part_time",
        reason="Offer accepted",
        version=case.version,
        employer="Nokia",
        occupation="Data analyst",
        start_date=helsinki_today(),
    )
    db.session.commit()
    assert case.stage == "closed" and case.outcome == "employed_part_time"
    assert (result.employer, result.occupation, result.start_date) == ("Nokia", "Data analyst", helsinki_today())
    services.reopen_case(case, actor=desk.adviser, to_stage="introductions", reason="Job ended", version=case.version)
    db.session.commit()
    assert case.stage == "introductions" and case.outcome is None
    history = db.session.scalars(
        select(StageChange.to_stage).where(StageChange.case_id == case.id).order_by(StageChange.id)
    ).all()
    assert history[-2:] == ["closed", "introductions"]
    # The earlier outcome stays on record for the reports.
    assert db.session.scalar(select(CaseOutcome.outcome).where(CaseOutcome.case_id == case.id)) == "employed_part_time"
    assert [e.action for e in audit("case.closed") + audit("case.reopened")] == ["case.closed", "case.reopened"]


def test_the_services_hold_the_rules_the_forms_show(desk):
    """Close, stage change, activity and follow-up rules hold without the forms in front."""
    case, today = desk.case, helsinki_today()
    employed = {"outcome": "employed_full_time", "reason": None, "employer": "Nokia", "occupation": "Analyst"}
    for start, reason in (
        (today - timedelta(days=400), "before_registration"),
        (today + timedelta(days=400), "too_far_ahead"),
    ):
        with pytest.raises(services.CloseRefused) as refused:
            services.close_case(case, actor=desk.adviser, version=case.version, start_date=start, **employed)
        assert (refused.value.field, refused.value.reason) == ("start_date", reason)
    with pytest.raises(services.StageRefused) as refused:
        services.set_stage(case, "skills", actor=desk.adviser, reason=None, version=case.version)
    assert refused.value.reason == "same"
    with pytest.raises(timeline.ActivityTimeRefused) as refused:
        timeline.add_activity(case, actor=desk.adviser, kind="call", occurred_at=utcnow() + timedelta(days=2), text="x")
    assert refused.value.reason == "in_future"
    with pytest.raises(follow_ups.DueDateRefused) as refused:
        follow_ups.add_follow_up(case, actor=desk.adviser, title="x", due_on=today - timedelta(days=1))
    assert refused.value.reason == "passed"
    db.session.rollback()
    assert db.session.get(Case, case.id).stage == "skills"


def test_other_outcomes_drop_employment_fields(desk):
    result = services.close_case(
        desk.case, actor=desk.adviser, outcome="studying", reason=None, version=desk.case.version, employer="ignored"
    )
    assert result.employer is None and result.start_date is None


def test_reassign_many_with_audit_row_each(desk, f):
    more = [f.assign(f.user("spouse"), desk.other, "training") for _ in range(3)]
    ids = [desk.case.id, *(c.id for c in more)]
    moved = services.reassign_cases(ids, to=desk.other, actor=desk.lead)
    db.session.commit()
    assert moved == [desk.case.id]  # the other three were hers already
    assert db.session.get(Case, desk.case.id).adviser_id == desk.other.id
    rows = audit("case.reassigned")
    assert [(r.object_id, r.detail) for r in rows] == [(desk.case.id, {"from": desk.adviser.id, "to": desk.other.id})]
    inactive = f.user("adviser", active=False)
    with pytest.raises(ValueError):
        services.reassign_cases(ids, to=inactive, actor=desk.lead)


def test_activity_dates_that_make_no_sense(desk):
    now, opened = utcnow(), desk.case.created_at
    problem = timeline.activity_time_problem
    assert problem("note", now, opened_at=opened, now=now) is None
    assert problem("meeting", now + timedelta(days=30), opened_at=opened, now=now) is None
    assert problem("call", now + timedelta(days=1), opened_at=opened, now=now) == "in_future"
    assert problem("meeting", now + timedelta(days=800), opened_at=opened, now=now) == "too_far_ahead"
    assert problem("note", opened - timedelta(days=30), opened_at=opened, now=now) == "before_registration"


def test_activity_audit_has_ids_not_text(desk):
    activity = timeline.add_activity(
        desk.case, actor=desk.adviser, kind="call", occurred_at=utcnow(), text="Private words", duration_minutes=15
    )
    db.session.commit()
    row = audit("case.activity_added")[-1]
    assert row.detail == {"activity": activity.id, "kind": "call"}
    assert "Private" not in str(row.detail)


def test_timeline_pages_through_activities_and_stage_changes(desk, f):
    start = utcnow() - timedelta(hours=200)
    for i in range(120):
        f.activity(desk.case, desk.adviser, text=f"n{i}", at=start + timedelta(hours=i))
    first = timeline.timeline(desk.case.id, page=1, per_page=50)
    assert len(first.items) == 50 and first.has_next
    assert [e.at for e in first.items] == sorted((e.at for e in first.items), reverse=True)
    # The stage changes happened at setup, after every activity: they lead the first page.
    assert [e.source for e in first.items[:2]] == ["stage", "stage"]
    pages = [
        first,
        timeline.timeline(desk.case.id, page=2, per_page=50),
        timeline.timeline(desk.case.id, page=3, per_page=50),
    ]
    assert [len(p.items) for p in pages] == [50, 50, 22] and not pages[-1].has_next
    texts = [e.text for p in pages for e in p.items if e.source == "activity"]
    assert texts == [f"n{i}" for i in reversed(range(120))]


def test_timeline_pages_interleave_both_sources_at_any_page_size(desk, f):
    # Each source is read only as far as the page reaches: pages of every size still
    # interleave activities and stage changes newest first, ties by source then newest id.
    start = utcnow() - timedelta(days=30)
    for i in range(12):
        at = start + timedelta(hours=i // 2)  # two activities share each time
        f.activity(desk.case, desk.adviser, text=f"n{i}", at=at)
        if i % 3 == 0:  # a stage change at that same time
            db.session.add(StageChange(case_id=desk.case.id, from_stage="skills", to_stage="skills", at=at))
    db.session.commit()
    everything = timeline.timeline(desk.case.id, page=1, per_page=100).items
    expected = sorted(everything, key=lambda e: (-e.at.timestamp(), e.source, -e.id))
    assert [(e.source, e.id) for e in everything] == [(e.source, e.id) for e in expected]
    for per_page in (1, 2, 3, 5, 7):
        seen, page = [], 1
        while True:
            shown = timeline.timeline(desk.case.id, page=page, per_page=per_page)
            seen += [(e.source, e.id) for e in shown.items]
            if not shown.has_next:
                break
            page += 1
        assert seen == [(e.source, e.id) for e in expected], per_page


@pytest.mark.parametrize("only", [None, *timeline.TIMELINE_FILTERS])
def test_a_timeline_row_is_its_entry_field_by_field(only):
    # timeline._entry reads the row by position: the columns come in the fields' order.
    columns = [column.key for column in timeline._timeline_statement(only).selected_columns]
    assert columns == [field.name for field in dataclasses.fields(timeline.TimelineEntry)]
    assert columns[timeline._SHARED] == "shared_with_spouse"


def test_a_timeline_entry_shows_what_was_written(desk, f):
    at = utcnow() - timedelta(hours=1)
    activity = f.activity(desk.case, desk.adviser, kind="call", text="Called about the CV", at=at)
    activity.duration_minutes, activity.shared_with_spouse = 25, True
    db.session.commit()
    entry = next(e for e in timeline.timeline(desk.case.id).items if e.source == "activity")
    assert (entry.id, entry.kind, entry.duration_minutes) == (activity.id, "call", 25)
    assert entry.text == "Called about the CV"
    assert entry.shared_with_spouse is True and entry.author_id == desk.adviser.id
    assert entry.person == desk.adviser.name and abs((entry.at - at).total_seconds()) < 1


def test_caseload_derived_columns(desk, f):
    now = utcnow()
    f.activity(desk.case, desk.adviser, kind="call", at=now - timedelta(days=3))
    f.activity(desk.case, desk.adviser, kind="note", at=now - timedelta(days=1))  # a note is not contact
    f.activity(desk.case, desk.adviser, kind="meeting", at=now + timedelta(days=2))  # planned, not yet contact
    f.follow_up(desk.case, desk.adviser, due_on=helsinki_today() - timedelta(days=1))
    f.follow_up(desk.case, desk.adviser, due_on=helsinki_today() - timedelta(days=5), done=True)
    query = lists.case_list(lists.CaseFilters(), adviser_id=desk.adviser.id)
    (row,) = db.session.scalars(query.rows()).all()
    assert abs((row.last_contact_at - (now - timedelta(days=3))).total_seconds()) < 1
    assert row.next_follow_up_on == helsinki_today() - timedelta(days=1)
    assert row.stage_since is not None
    overdue = lists.case_list(lists.CaseFilters(overdue=True), adviser_id=desk.adviser.id)
    assert len(db.session.scalars(overdue.rows()).all()) == 1 == db.session.scalar(overdue.count)


def test_caseload_filters_and_sorts(desk, f):
    other_org = f.org("Elsewhere")
    for name, stage in (("Bea Zed", "training"), ("Cai Able", "introductions"), ("Dan Done", "closed")):
        f.assign(f.user("spouse", name=name, organisation=other_org), desk.adviser, stage)

    def names(**kw) -> list[str]:
        query = lists.case_list(lists.CaseFilters(**kw), adviser_id=desk.adviser.id)
        found = [c.spouse.name for c in db.session.scalars(query.rows())]
        assert db.session.scalar(query.count) == len(found)
        return found

    assert sorted(names()) == ["Bea Zed", "Cai Able", "Maria Spouse"]  # open cases only
    assert names(sort="name") == ["Bea Zed", "Cai Able", "Maria Spouse"]
    assert names(sort="name", desc=True) == ["Maria Spouse", "Cai Able", "Bea Zed"]
    assert names(sort="stage") == ["Maria Spouse", "Bea Zed", "Cai Able"]
    assert names(stage="closed") == ["Dan Done"]
    assert names(organisation_id=desk.org.id) == ["Maria Spouse"]
    assert names(q="zed") == ["Bea Zed"]
    assert names(q=desk.spouse.email.upper()) == ["Maria Spouse"]
    assert names(q="%") == []  # a wildcard is searched as itself
    for key in lists.sorts():
        assert len(names(sort=key)) == 3 and len(names(sort=key, desc=True)) == 3


def test_a_page_of_plain_rows_shows_what_the_cases_show(desk, f):
    """The list pages read plain rows (lists.CaseRow): for every sort, both ways, on the
    caseload and the lead's list, each row says what the Case loaded with its spouse,
    organisation, adviser and derived columns says."""
    now = utcnow()
    gone = f.user("adviser", active=False, name="Gone Adviser")
    f.assign(f.user("spouse", name="Other Org"), gone, "training")  # an adviser to replace
    f.activity(desk.case, desk.adviser, kind="call", at=now - timedelta(days=3))
    f.follow_up(desk.case, desk.adviser, due_on=helsinki_today() + timedelta(days=2))

    def shown(c, lead: bool) -> tuple:
        adviser = (c.adviser.name, c.adviser.active, c.adviser.role) if lead and c.adviser else None
        organisation = c.organisation.name if c.organisation else None
        derived = (c.stage_since, c.last_contact_at, c.next_follow_up_on)
        return (c.id, c.stage, c.spouse.name, c.spouse.email, organisation, adviser, derived)

    checked = set()
    for lead, adviser_id in ((False, desk.adviser.id), (True, None)):
        for sort in lists.sorts():
            for desc in (False, True):
                query = lists.case_list(
                    lists.CaseFilters(sort=sort, desc=desc), adviser_id=adviser_id, with_adviser=lead
                )
                cases = [shown(c, lead) for c in db.session.scalars(query.rows(limit=25))]
                page = lists.paginate(query, page=1, per_page=25)
                assert [shown(row, lead) for row in page.items] == cases, (sort, desc, lead)
                checked.update(row[5] for row in cases)
    assert ("Gone Adviser", False, "adviser") in checked


def test_a_narrow_list_counts_in_its_page(desk, f):
    """A caseload's page carries its total (no count query): the same total as counting,
    a page past the end shows the last page, and an empty list says 0."""
    for i in range(30):
        f.assign(f.user("spouse", name=f"Person {i:02d}"), desk.adviser, "skills")
    query = lists.case_list(lists.CaseFilters(sort="name"), adviser_id=desk.adviser.id)
    assert query.counts_itself
    first, past = lists.paginate(query, page=1, per_page=25), lists.paginate(query, page=9, per_page=25)
    assert first.total == past.total == db.session.scalar(query.count) == 31
    assert (past.page, len(past.items), [c.id for c in past.items]) == (2, 6, [c.id for c in query_page(query, 2)])
    empty = lists.case_list(lists.CaseFilters(q="nobody at all"), adviser_id=desk.adviser.id)
    page = lists.paginate(empty, page=1, per_page=25)
    assert (page.items, page.total, page.pages) == ([], 0, 1)
    assert not lists.case_list(lists.CaseFilters(), with_adviser=True).counts_itself  # the lead's whole list


def query_page(query, n: int, per_page: int = 25) -> list:
    return list(db.session.scalars(query.rows(limit=per_page, offset=(n - 1) * per_page)))


def test_lead_filters_deactivated_advisers(desk, f):
    gone = f.user("adviser", active=False, name="Gone Adviser")
    orphan = f.assign(f.user("spouse"), gone, "skills")
    query = lists.case_list(lists.CaseFilters(needs_reassignment=True), with_adviser=True)
    assert [c.id for c in db.session.scalars(query.rows())] == [orphan.id]
    assert db.session.scalar(query.count) == 1
    query = lists.case_list(lists.CaseFilters(adviser="none"), with_adviser=True)
    assert [c.id for c in db.session.scalars(query.rows())] == [desk.queued.id]
    assert services.cases_needing_reassignment() == 1


def test_lead_list_total_is_every_open_case(desk, f):
    f.assign(f.user("spouse"), desk.other, "training")
    f.assign(f.user("spouse"), desk.other, "closed")
    f.assign(f.user("spouse"), None, "closed")
    open_ids = set(db.session.scalars(select(Case.id).where(Case.stage != "closed")))
    for sort in lists.sorts():
        query = lists.case_list(lists.CaseFilters(sort=sort), with_adviser=True)
        assert {c.id for c in db.session.scalars(query.rows())} == open_ids
        assert db.session.scalar(query.count) == len(open_ids) == 3


def test_intake_queue_oldest_first(desk, f):
    newer = f.assign(f.user("spouse"), None, "intake")
    # Back in intake after skills: it waits since its latest arrival, and appears once.
    again = f.assign(f.user("spouse"), None, "intake")
    services.change_stage(again, "skills", actor=None)
    services.change_stage(again, "intake", actor=None)
    f.assign(f.user("spouse"), desk.adviser, "intake")  # taken: not in the queue
    db.session.commit()
    query = lists.intake_queue()
    rows = db.session.scalars(query.rows()).all()
    assert [c.id for c in rows] == [desk.queued.id, newer.id, again.id]
    assert db.session.scalar(query.count) == 3
    assert rows[2].stage_since > rows[1].stage_since


def test_spouse_sees_shared_and_upcoming_only(desk, f):
    now = utcnow()
    f.activity(desk.case, desk.adviser, text="internal", at=now - timedelta(hours=2))
    shared = f.activity(desk.case, desk.adviser, text="shared", shared=True, at=now - timedelta(hours=1))
    meeting = f.activity(desk.case, desk.adviser, kind="meeting", text="m", at=now + timedelta(days=3))
    assert [a.id for a in timeline.shared_entries(desk.case.id)] == [shared.id]
    assert [a.id for a in timeline.upcoming_meetings(desk.case.id)] == [meeting.id]


def test_pages_of_a_sorted_list_fit_together(desk, f):
    for i in range(30):
        f.assign(f.user("spouse", name=f"Person {i:02d}"), desk.adviser, ("skills", "training")[i % 2])
    for sort in ("name", "stage", "days", "opened"):
        for desc in (False, True):
            query = lists.case_list(lists.CaseFilters(sort=sort, desc=desc), adviser_id=desk.adviser.id)
            everything = [c.id for c in db.session.scalars(query.rows())]
            pages = [lists.paginate(query, page=n, per_page=25) for n in (1, 2)]
            assert [c.id for p in pages for c in p.items] == everything
            assert (pages[0].total, pages[0].pages, pages[1].has_next) == (31, 2, False)
    names = [c.spouse.name for c in db.session.scalars(lists.case_list(lists.CaseFilters(sort="name")).rows())]
    assert names == sorted(names)
