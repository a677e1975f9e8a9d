"""The follow-up rules of issue 9 without HTTP: snoozing at a set clock, giving, moving a
reassigned case's follow-ups in few statements, cancelling at close, the assignee's rights."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from hiddengems.extensions import db
from hiddengems.reminders import queries
from hiddengems.reminders import services as follow_ups
from hiddengems.reminders.models import FollowUp
from hiddengems.timeutil import HELSINKI, helsinki_today


def _due(day: date, at: time | None = None) -> FollowUp:
    return FollowUp(due_on=day, due_time=at)


# 14:00 in Helsinki (UTC+2 in winter) on 10 January 2027.
NOW = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
TODAY = NOW.astimezone(HELSINKI).date()


@pytest.mark.parametrize(
    ("until_on", "until_time", "expected"),
    [
        (TODAY - timedelta(days=1), None, "passed"),
        (TODAY, time(13, 59), "passed"),  # earlier today, Helsinki time
        (TODAY, time(14, 0), "passed"),
        (TODAY, time(14, 1), None),
        (TODAY, None, None),  # where it is already: nothing to refuse, and nothing changes
        (TODAY + timedelta(days=1), None, None),
        (TODAY + timedelta(days=800), None, "too_far_ahead"),
    ],
)
def test_snoozing_is_to_a_later_time_in_helsinki(until_on, until_time, expected):
    assert follow_ups.snooze_problem(_due(TODAY), until_on, until_time, now=NOW) == expected


def test_snoozing_is_to_later_than_it_is_due():
    due = _due(TODAY + timedelta(days=2), time(12, 0))
    assert follow_ups.snooze_problem(due, TODAY + timedelta(days=1), None, now=NOW) == "not_later"
    assert follow_ups.snooze_problem(due, TODAY + timedelta(days=2), time(11, 0), now=NOW) == "not_later"
    assert follow_ups.snooze_problem(due, TODAY + timedelta(days=2), time(12, 30), now=NOW) is None


def test_snoozing_to_where_it_is_already_is_no_problem_and_changes_nothing(desk, f):
    day = helsinki_today() + timedelta(days=3)
    item = f.follow_up(desk.case, desk.adviser, due_on=day)
    assert follow_ups.snooze_problem(item, day, None, now=datetime.now(UTC)) is None
    assert not follow_ups.snooze_follow_up(item, actor=desk.adviser, until_on=day)
    assert follow_ups.snooze_follow_up(item, actor=desk.adviser, until_on=day, until_time=time(9, 0))
    assert follow_ups.snooze_follow_up(item, actor=desk.adviser, until_on=day + timedelta(days=1))
    db.session.commit()
    assert (item.due_on, item.due_time, item.snooze_count) == (day + timedelta(days=1), None, 2)


def test_a_closed_follow_up_is_neither_snoozed_nor_given(desk, f):
    item = f.follow_up(desk.case, desk.adviser, done=True)
    with pytest.raises(follow_ups.FollowUpRefused) as refused:
        follow_ups.snooze_follow_up(item, actor=desk.adviser, until_on=helsinki_today() + timedelta(days=9))
    assert refused.value.reason == "closed"
    with pytest.raises(follow_ups.FollowUpRefused):
        follow_ups.reassign_follow_up(item, to=desk.other, actor=desk.adviser)


def test_a_reassignment_of_many_cases_moves_their_follow_ups_in_one_statement_per_former_adviser(desk, f, queries):
    cases = [f.assign(f.user("spouse", organisation=desk.org), desk.adviser) for _ in range(5)]
    cases += [f.assign(f.user("spouse", organisation=desk.org), desk.other) for _ in range(5)]
    items = [f.follow_up(case, case.adviser_id and db.session.get(type(desk.lead), case.adviser_id)) for case in cases]
    moves = {case.id: (case.adviser_id, desk.lead.id) for case in cases}
    with queries:
        assert follow_ups.move_open_follow_ups(moves) == 10
    assert queries.count == 2
    db.session.expire_all()
    assert {db.session.get(FollowUp, item.id).assignee_id for item in items} == {desk.lead.id}


def test_cancelling_keeps_the_follow_ups_and_the_done_ones_history(desk, f):
    done = f.follow_up(desk.case, desk.adviser, done=True)
    open_ = f.follow_up(desk.case, desk.adviser)
    assert follow_ups.cancel_open_follow_ups(desk.case.id) == 1
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(FollowUp, done.id).cancelled_at is None
    cancelled = db.session.get(FollowUp, open_.id)
    assert cancelled.is_cancelled and not cancelled.is_open and cancelled.done_at == cancelled.cancelled_at


def test_the_assignee_may_act_but_only_while_an_active_adviser(desk, f):
    item = f.follow_up(desk.case, desk.other)
    third = f.user("adviser")
    loaded = queries.load_follow_up(item.id, case_id=desk.case.id)
    assert loaded.can_view(desk.other) and loaded.can_edit(desk.other)
    assert not loaded.can_view(third) and not loaded.can_edit(third)
    desk.other.active = False
    assert not loaded.can_edit(desk.other) and not loaded.can_view(desk.spouse)
