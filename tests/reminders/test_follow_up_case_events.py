"""What happens to a case's follow-ups when the case closes (cancelled, kept) or goes to
another adviser (they move along). The cases domain sends a signal; it never imports reminders."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from hiddengems.extensions import db
from hiddengems.reminders.models import FollowUp
from hiddengems.timeutil import helsinki_today


def logged_in(app, f, user):
    client = app.test_client()
    assert f.login(client, user).status_code == 302
    return client


def _fresh(fu: FollowUp) -> FollowUp:
    db.session.expire_all()
    return db.session.get(FollowUp, fu.id)


def test_closing_a_case_cancels_its_open_follow_ups_and_keeps_them(app, f, desk):
    today = helsinki_today()
    shared = f.follow_up(desk.case, desk.adviser, title="Send your CV", shared=True, due_on=today)
    internal = f.follow_up(desk.case, desk.adviser, title="Check the permit", due_on=today + timedelta(days=2))
    done = f.follow_up(desk.case, desk.adviser, title="Old call", done=True)
    overdue = f.follow_up(desk.case, desk.adviser, title="Overdue call", due_on=today - timedelta(days=3))
    other_case = f.follow_up(desk.queued, desk.lead, title="Queue item", due_on=today)
    done_at = _fresh(done).done_at
    spouse = logged_in(app, f, desk.spouse)
    assert "Send your CV" in spouse.get("/home").get_data(as_text=True)
    lead = logged_in(app, f, desk.lead)
    assert "Maria Spouse" in lead.get("/cases/all?overdue=y").get_data(as_text=True)

    adviser = logged_in(app, f, desk.adviser)
    assert "Check the permit" in adviser.get("/cases/today").get_data(as_text=True)
    data = {"close-version": desk.case.version, "close-outcome": "studying", "close-reason": "Starts a master's"}
    assert adviser.post(f"/cases/{desk.case.id}/close", data=data).status_code == 302

    for fu in (shared, internal, overdue):
        fu = _fresh(fu)
        assert fu.cancelled_at is not None and fu.done_at is not None and not fu.is_open
    # One done before keeps its own history; another case's is untouched.
    assert _fresh(done).cancelled_at is None and _fresh(done).done_at == done_at
    assert _fresh(other_case).is_open
    # Kept: still in the database, shown as cancelled on its own page.
    assert db.session.scalar(select(FollowUp).where(FollowUp.id == internal.id)) is not None
    page = adviser.get(f"/cases/{desk.case.id}/follow-ups/{internal.id}").get_data(as_text=True)
    assert "Cancelled" in page and "The case was closed on" in page and "Snooze until" not in page
    # Gone from the spouse's page, the Today page, the case file and the case lists.
    assert "Send your CV" not in spouse.get("/home").get_data(as_text=True)
    assert "Check the permit" not in adviser.get("/cases/today").get_data(as_text=True)
    assert "Check the permit" not in adviser.get(f"/cases/{desk.case.id}").get_data(as_text=True)
    assert "Check the permit" not in lead.get("/cases/today?view=team").get_data(as_text=True)
    assert "Queue item" in lead.get("/cases/today?view=team").get_data(as_text=True)
    assert "Maria Spouse" not in lead.get("/cases/all?overdue=y").get_data(as_text=True)


def test_a_refused_close_cancels_nothing(app, f, desk):
    fu = f.follow_up(desk.case, desk.adviser)
    adviser = logged_in(app, f, desk.adviser)
    stale = {"close-version": desk.case.version + 5, "close-outcome": "studying"}
    assert adviser.post(f"/cases/{desk.case.id}/close", data=stale).status_code == 409
    assert _fresh(fu).is_open and _fresh(fu).cancelled_at is None


def test_reassigning_a_case_moves_its_open_follow_ups(app, f, desk):
    held = f.follow_up(desk.case, desk.adviser, title="Held by the adviser", due_on=helsinki_today())
    queue = f.follow_up(desk.case, None, title="For the queue")
    given = f.follow_up(desk.case, desk.lead, title="Given to the lead on purpose")
    done = f.follow_up(desk.case, desk.adviser, title="Done already", done=True)
    lead = logged_in(app, f, desk.lead)
    answer = lead.post("/cases/reassign", data={"case_id": [desk.case.id], "adviser_id": desk.other.id, "back": "case"})
    assert answer.status_code == 302
    assert [_fresh(fu).assignee_id for fu in (held, queue, given, done)] == [
        desk.other.id,
        desk.other.id,
        desk.lead.id,
        desk.adviser.id,
    ]
    other = logged_in(app, f, desk.other)
    assert "Held by the adviser" in other.get("/cases/today").get_data(as_text=True)
    assert "Held by the adviser" not in logged_in(app, f, desk.adviser).get("/cases/today").get_data(as_text=True)


def test_taking_a_case_from_the_queue_takes_its_queue_follow_ups(app, f, desk):
    queue = f.follow_up(desk.queued, None, title="Welcome call", due_on=helsinki_today())
    adviser = logged_in(app, f, desk.adviser)
    assert adviser.post(f"/cases/{desk.queued.id}/take").status_code == 302
    assert _fresh(queue).assignee_id == desk.adviser.id
    assert "Welcome call" in adviser.get("/cases/today").get_data(as_text=True)


def test_cases_never_imports_reminders():
    """The close and the reassignment reach the follow-ups through signals only."""
    from pathlib import Path

    import hiddengems.cases

    root = Path(hiddengems.cases.__file__).parent
    assert not [p for p in root.rglob("*.py") if "hiddengems.reminders" in p.read_text()]
