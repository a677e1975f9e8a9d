"""Follow-up rules and reads, without HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from hiddengems.audit.models import AuditEvent
from hiddengems.extensions import db
from hiddengems.reminders import queries
from hiddengems.reminders import services as follow_ups
from hiddengems.timeutil import helsinki_today


def test_a_follow_up_goes_to_the_cases_adviser_and_is_done_once(desk):
    item = follow_ups.add_follow_up(desk.case, actor=desk.lead, title="Check CV", due_on=helsinki_today())
    assert item.assignee_id == desk.adviser.id  # the case's adviser, not the lead who wrote it
    assert follow_ups.complete_follow_up(item, actor=desk.adviser)
    assert not follow_ups.complete_follow_up(item, actor=desk.adviser)
    db.session.commit()
    done = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "case.follow_up_done")).all()
    assert len(done) == 1


def test_a_due_date_in_the_past_or_too_far_ahead_is_refused(desk):
    today = helsinki_today()
    for due, reason in ((today - timedelta(days=1), "passed"), (today + timedelta(days=800), "too_far_ahead")):
        with pytest.raises(follow_ups.DueDateRefused) as refused:
            follow_ups.add_follow_up(desk.case, actor=desk.adviser, title="x", due_on=due)
        assert refused.value.reason == reason
    assert follow_ups.due_date_problem(today, today=today) is None


def test_a_follow_up_is_seen_and_changed_by_whoever_may_see_and_change_its_case(desk):
    item = follow_ups.add_follow_up(desk.case, actor=desk.adviser, title="x", due_on=helsinki_today())
    db.session.commit()
    loaded = queries.load_follow_up(item.id, case_id=desk.case.id)
    assert loaded.can_edit(desk.adviser) and loaded.can_edit(desk.lead)
    assert not loaded.can_view(desk.other) and not loaded.can_view(desk.spouse)
    assert queries.load_follow_up(item.id, case_id=desk.queued.id) is None  # not that case's


def test_the_desk_lists_an_advisers_open_follow_ups_earliest_first(desk):
    today = helsinki_today()
    later = follow_ups.add_follow_up(desk.case, actor=desk.adviser, title="later", due_on=today + timedelta(days=3))
    first = follow_ups.add_follow_up(desk.case, actor=desk.adviser, title="first", due_on=today)
    done = follow_ups.add_follow_up(desk.case, actor=desk.adviser, title="done", due_on=today)
    follow_ups.complete_follow_up(done, actor=desk.adviser)
    db.session.commit()
    assert [fu.id for fu in queries.due_follow_ups(desk.adviser.id)] == [first.id, later.id]
    assert queries.count_overdue(desk.adviser.id, today + timedelta(days=1)) == 1


def test_services_list_shared_open_ones_and_audit_the_flag(desk):
    due = helsinki_today() + timedelta(days=1)
    later = follow_ups.add_follow_up(
        desk.case, actor=desk.adviser, title="Later", due_on=due + timedelta(days=5), shared_with_spouse=True
    )
    first = follow_ups.add_follow_up(desk.case, actor=desk.adviser, title="First", due_on=due, shared_with_spouse=True)
    follow_ups.add_follow_up(desk.case, actor=desk.adviser, title="Internal", due_on=due)
    done = follow_ups.add_follow_up(desk.case, actor=desk.adviser, title="Done", due_on=due, shared_with_spouse=True)
    follow_ups.complete_follow_up(done, actor=desk.adviser)
    follow_ups.add_follow_up(desk.queued, actor=desk.adviser, title="Other case", due_on=due, shared_with_spouse=True)
    db.session.commit()
    assert [fu.id for fu in queries.spouse_follow_ups(desk.case.id)] == [first.id, later.id]
    added = select(AuditEvent).where(AuditEvent.action == "case.follow_up_added")
    details = [event.detail for event in db.session.scalars(added)]
    assert {"follow_up": first.id, "shared": True} in details
    # The title never goes to the audit log.
    assert all("title" not in (d or {}) for d in details)
