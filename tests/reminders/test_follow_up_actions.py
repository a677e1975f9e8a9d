"""A follow-up done with a note on the timeline, snoozed to a later day or time, given to
another adviser: what the adviser sees, and every bad input answered beside the field."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlalchemy import func, select

from hiddengems.audit.models import AuditEvent
from hiddengems.cases.models import Activity
from hiddengems.extensions import db
from hiddengems.reminders import services
from hiddengems.reminders.models import FollowUp
from hiddengems.timeutil import helsinki_today
from tests.at_once import at_once
from tests.conftest import ON_POSTGRES


def logged_in(app, f, user):
    client = app.test_client()
    assert f.login(client, user).status_code == 302
    return client


def _url(fu: FollowUp, action: str = "") -> str:
    return f"/cases/{fu.case_id}/follow-ups/{fu.id}" + (f"/{action}" if action else "")


def _fresh(fu: FollowUp) -> FollowUp:
    db.session.expire_all()
    return db.session.get(FollowUp, fu.id)


# --- done, with a note --------------------------------------------------------------------


def test_done_with_a_note_puts_the_note_on_the_timeline(app, f, desk):
    fu = f.follow_up(desk.case, desk.adviser, title="Call about the course")
    client = logged_in(app, f, desk.adviser)
    answer = client.post(_url(fu, "done"), data={"done-note": "She starts on Monday.", "done-back": "today"})
    assert answer.status_code == 302 and answer.location.endswith("/cases/today")
    assert _fresh(fu).done_at is not None and _fresh(fu).cancelled_at is None
    note = db.session.scalar(select(Activity).where(Activity.case_id == desk.case.id))
    assert note.kind == "note" and note.author_id == desk.adviser.id
    assert "Call about the course" in note.text and "She starts on Monday." in note.text
    case_file = client.get(f"/cases/{desk.case.id}").get_data(as_text=True)
    assert "She starts on Monday." in case_file
    # Gone from the open follow-ups, and a second click changes nothing.
    assert client.post(_url(fu, "done"), data={"done-note": "Again"}).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Activity)) == 1


def test_done_without_a_note_writes_nothing_on_the_timeline(app, f, desk):
    fu = f.follow_up(desk.case, desk.adviser)
    client = logged_in(app, f, desk.adviser)
    assert client.post(_url(fu, "done")).location.endswith(f"/cases/{desk.case.id}")
    assert _fresh(fu).done_at is not None
    assert db.session.scalar(select(func.count()).select_from(Activity)) == 0


def test_a_note_too_long_is_refused_beside_the_field_and_kept(app, f, desk):
    fu = f.follow_up(desk.case, desk.adviser)
    client = logged_in(app, f, desk.adviser)
    typed = "Ä" * 5001
    answer = client.post(_url(fu, "done"), data={"done-note": typed})
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert "Keep the note under 5,000 characters." in html and typed in html
    assert _fresh(fu).done_at is None


# --- snooze ---------------------------------------------------------------------------------


def test_snooze_moves_the_follow_up_to_a_later_day_and_time(app, f, desk):
    today = helsinki_today()
    fu = f.follow_up(desk.case, desk.adviser, due_on=today)
    client = logged_in(app, f, desk.adviser)
    later = today + timedelta(days=3)
    answer = client.post(_url(fu, "snooze"), data={"snooze-until_on": later.isoformat(), "snooze-until_time": "14:30"})
    assert answer.status_code == 302
    fu = _fresh(fu)
    assert (fu.due_on, fu.due_time, fu.snooze_count) == (later, time(14, 30), 1) and fu.snoozed_at is not None
    page = client.get(_url(fu)).get_data(as_text=True)
    assert "14:30" in page and "Snoozed once" in page
    # The same snooze again changes nothing and says so.
    again = client.post(
        _url(fu, "snooze"),
        data={"snooze-until_on": later.isoformat(), "snooze-until_time": "14:30"},
        follow_redirects=True,
    )
    assert "It was snoozed to that already." in again.get_data(as_text=True)
    assert _fresh(fu).snooze_count == 1


@pytest.mark.parametrize(
    ("until_on", "until_time", "message"),
    [
        (-1, "", "That time has passed: snooze to a later day or time."),
        (0, "00:00", "That time has passed: snooze to a later day or time."),
        (1, "", "Snooze to later than it is due now."),
        (800, "", "That is more than two years ahead."),
        (None, "", "Give the day to snooze to."),
        ("31.02.2027", "", "Not a valid date value."),
        ("٢٠٢٧-٠١-٠١", "", "Not a valid date value."),
        (3, "25:00", "Not a valid time value."),
        (3, "12:60", "Not a valid time value."),
    ],
)
def test_a_bad_snooze_is_refused_beside_the_field_and_kept(app, f, desk, until_on, until_time, message):
    today = helsinki_today()
    fu = f.follow_up(desk.case, desk.adviser, due_on=today + timedelta(days=2))
    client = logged_in(app, f, desk.adviser)
    if isinstance(until_on, int):
        until_on = (today + timedelta(days=until_on)).isoformat()
    answer = client.post(_url(fu, "snooze"), data={"snooze-until_on": until_on or "", "snooze-until_time": until_time})
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert message in html
    if until_on:
        assert f'value="{until_on}"' in html
    assert _fresh(fu).due_on == today + timedelta(days=2) and _fresh(fu).snooze_count == 0


def test_a_done_follow_up_cannot_be_snoozed_or_given(app, f, desk):
    fu = f.follow_up(desk.case, desk.adviser, done=True)
    client = logged_in(app, f, desk.adviser)
    later = (helsinki_today() + timedelta(days=20)).isoformat()
    answer = client.post(_url(fu, "snooze"), data={"snooze-until_on": later})
    assert answer.status_code == 200 and "This follow-up is no longer open." in answer.get_data(as_text=True)
    answer = client.post(_url(fu, "reassign"), data={"give-adviser_id": str(desk.other.id)})
    assert answer.status_code == 200 and "This follow-up is no longer open." in answer.get_data(as_text=True)
    assert _fresh(fu).assignee_id == desk.adviser.id


# --- give to another adviser ------------------------------------------------------------------


def test_an_adviser_gives_a_follow_up_to_a_colleague_who_then_sees_it_today(app, f, desk):
    fu = f.follow_up(desk.case, desk.adviser, title="Phone the employer", due_on=helsinki_today())
    client = logged_in(app, f, desk.adviser)
    answer = client.post(_url(fu, "reassign"), data={"give-adviser_id": str(desk.other.id)}, follow_redirects=True)
    assert "Follow-up given to Olli Other." in answer.get_data(as_text=True)
    assert _fresh(fu).assignee_id == desk.other.id
    assert "Phone the employer" not in client.get("/cases/today").get_data(as_text=True)
    colleague = logged_in(app, f, desk.other)
    today = colleague.get("/cases/today").get_data(as_text=True)
    assert "Phone the employer" in today
    # The colleague may act on it (mark it done) though the case is not theirs.
    assert colleague.get(_url(fu)).status_code == 200
    assert colleague.post(_url(fu, "done"), data={"done-back": "today"}).status_code == 302
    assert _fresh(fu).done_at is not None


def test_a_lead_gives_any_follow_up(app, f, desk):
    fu = f.follow_up(desk.case, desk.adviser)
    client = logged_in(app, f, desk.lead)
    assert client.post(_url(fu, "reassign"), data={"give-adviser_id": str(desk.other.id)}).status_code == 302
    assert _fresh(fu).assignee_id == desk.other.id


@pytest.mark.parametrize(
    "adviser_id",
    ["0", "", "9223372036854775808", "99999", "١٢", "12\x00"],
    ids=["none", "empty", "past-int64", "unknown", "arabic-digits", "nul"],
)
def test_a_bad_adviser_is_refused_beside_the_field(app, f, desk, adviser_id):
    fu = f.follow_up(desk.case, desk.adviser)
    client = logged_in(app, f, desk.adviser)
    answer = client.post(_url(fu, "reassign"), data={"give-adviser_id": adviser_id})
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert "Choose the adviser." in html or "Not a valid choice" in html
    assert _fresh(fu).assignee_id == desk.adviser.id


def test_a_deactivated_adviser_or_a_spouse_is_not_offered_nor_taken(app, f, desk):
    gone = f.user("adviser", name="Gone Adviser", active=False)
    fu = f.follow_up(desk.case, desk.adviser)
    client = logged_in(app, f, desk.adviser)
    assert "Gone Adviser" not in client.get(_url(fu)).get_data(as_text=True)
    for target in (gone, desk.spouse):
        answer = client.post(_url(fu, "reassign"), data={"give-adviser_id": str(target.id)})
        assert answer.status_code == 200 and "Not a valid choice" in answer.get_data(as_text=True)
    with pytest.raises(services.FollowUpRefused):
        services.reassign_follow_up(fu, to=gone, actor=desk.adviser)
    assert _fresh(fu).assignee_id == desk.adviser.id


# --- another adviser's ids, ids past int64 ---------------------------------------------------------


def test_another_advisers_follow_up_is_refused(app, f, desk):
    fu = f.follow_up(desk.case, desk.adviser)
    client = logged_in(app, f, desk.other)
    later = (helsinki_today() + timedelta(days=5)).isoformat()
    assert client.get(_url(fu)).status_code == 403
    assert client.post(_url(fu, "done")).status_code == 403
    assert client.post(_url(fu, "snooze"), data={"snooze-until_on": later}).status_code == 403
    assert client.post(_url(fu, "reassign"), data={"give-adviser_id": str(desk.other.id)}).status_code == 403
    # Through a case of their own: another case's follow-up is not found.
    own = f.user("spouse", organisation=desk.org)
    own_case = f.assign(own, desk.other, "skills")
    assert client.post(f"/cases/{own_case.id}/follow-ups/{fu.id}/done").status_code == 404
    fu = _fresh(fu)
    assert (fu.done_at, fu.snooze_count, fu.assignee_id) == (None, 0, desk.adviser.id)


@pytest.mark.parametrize("action", ["", "done", "snooze", "reassign"])
def test_ids_past_int64_are_not_found(app, f, desk, action):
    client = logged_in(app, f, desk.adviser)
    big = "9223372036854775808"
    method = client.get if not action else client.post
    suffix = f"/{action}" if action else ""
    assert method(f"/cases/{desk.case.id}/follow-ups/{big}{suffix}").status_code == 404
    assert method(f"/cases/{big}/follow-ups/1{suffix}").status_code == 404


# --- twenty identical posts at once ------------------------------------------------------------------


def _twenty(app, f, desk, action: str, data: dict) -> FollowUp:
    fu = f.follow_up(desk.case, desk.adviser, due_on=helsinki_today())
    clients = [logged_in(app, f, desk.adviser) for _ in range(20)]
    db.session.commit()
    url = _url(fu, action)  # read here: the threads have no app context of their own
    answers = at_once(20, lambda i: str(clients[i].post(url, data=data).status_code))
    assert sorted(set(answers)) == ["302"]  # never a 500
    return _fresh(fu)


def _events(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


@pytest.mark.skipif(not ON_POSTGRES, reason="threads at once on one SQLite file: see the PostgreSQL run")
def test_twenty_identical_posts_at_once_change_it_once(app, f, desk):
    fu = _twenty(app, f, desk, "done", {"done-note": "Called, all good."})
    assert fu.done_at is not None
    assert db.session.scalar(select(func.count()).select_from(Activity)) == 1
    assert _events("case.follow_up_done") == 1
    later = (helsinki_today() + timedelta(days=4)).isoformat()
    fu = _twenty(app, f, desk, "snooze", {"snooze-until_on": later, "snooze-until_time": "09:00"})
    assert fu.snooze_count == 1 and _events("case.follow_up_snoozed") == 1
    fu = _twenty(app, f, desk, "reassign", {"give-adviser_id": str(desk.other.id)})
    assert fu.assignee_id == desk.other.id and _events("case.follow_up_reassigned") == 1


@pytest.mark.skipif(ON_POSTGRES, reason="the PostgreSQL run has its own test")
def test_twenty_identical_posts_one_after_another_change_it_once(app, f, desk):
    fu = f.follow_up(desk.case, desk.adviser, due_on=helsinki_today())
    client = logged_in(app, f, desk.adviser)
    later = (helsinki_today() + timedelta(days=4)).isoformat()
    for _ in range(20):
        assert client.post(_url(fu, "snooze"), data={"snooze-until_on": later}).status_code == 302
        assert client.post(_url(fu, "reassign"), data={"give-adviser_id": str(desk.other.id)}).status_code == 302
    for _ in range(20):
        assert client.post(_url(fu, "done"), data={"done-note": "Called."}).status_code == 302
    fu = _fresh(fu)
    assert (fu.snooze_count, fu.assignee_id) == (1, desk.other.id) and fu.done_at is not None
    assert db.session.scalar(select(func.count()).select_from(Activity)) == 1
    assert [_events(a) for a in ("case.follow_up_snoozed", "case.follow_up_reassigned", "case.follow_up_done")] == [
        1,
        1,
        1,
    ]


def test_a_follow_up_added_with_a_time_of_day_shows_it(app, f, desk):
    client = logged_in(app, f, desk.adviser)
    day = (helsinki_today() + timedelta(days=2)).isoformat()
    data = {"follow_up-title": "Call the employer", "follow_up-due_on": day, "follow_up-due_time": "14:00"}
    assert client.post(f"/cases/{desk.case.id}/follow-ups", data=data).status_code == 302
    fu = db.session.scalar(select(FollowUp))
    assert fu.due_time == time(14, 0)
    assert "14:00" in client.get(f"/cases/{desk.case.id}").get_data(as_text=True)
    bad = {**data, "follow_up-due_time": "2 pm"}
    answer = client.post(f"/cases/{desk.case.id}/follow-ups", data=bad)
    assert answer.status_code == 200 and "Not a valid time value." in answer.get_data(as_text=True)


@pytest.mark.parametrize("follow_up_id", ["١", "1\x00", "-1", "0x1"])
def test_ids_that_are_not_plain_digits_are_not_found(app, f, desk, follow_up_id):
    fu = f.follow_up(desk.case, desk.adviser)
    client = logged_in(app, f, desk.adviser)
    assert client.post(f"/cases/{desk.case.id}/follow-ups/{follow_up_id}/done").status_code == 404
    assert _fresh(fu).done_at is None
