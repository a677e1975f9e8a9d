"""Demo follow-ups: some are shown to the spouse, and the spouse sees them."""

from __future__ import annotations

from sqlalchemy import select

from hiddengems.auth.models import User
from hiddengems.cases.models import Case
from hiddengems.demo.generator import DEMO_PASSWORD
from hiddengems.extensions import db
from hiddengems.reminders.demo import FOLLOW_UP_TITLES, QUEUE_FOLLOW_UP_TITLE, SPOUSE_FOLLOW_UP_TITLES
from hiddengems.reminders.models import FollowUp


def test_some_demo_follow_ups_are_shown_to_the_spouse(app, runner, f):
    assert runner.invoke(args=["demo-data", "--spouses", "120"]).exit_code == 0
    rows = db.session.execute(select(FollowUp.title, FollowUp.shared_with_spouse)).all()
    shared = {title for title, is_shared in rows if is_shared}
    internal = {title for title, is_shared in rows if not is_shared}
    assert shared and internal
    assert shared <= set(SPOUSE_FOLLOW_UP_TITLES) and internal <= {*FOLLOW_UP_TITLES, QUEUE_FOLLOW_UP_TITLE}

    open_shared = db.session.execute(
        select(FollowUp.title, User)
        .join(Case, Case.id == FollowUp.case_id)
        .join(User, User.id == Case.spouse_id)
        .where(FollowUp.shared_with_spouse.is_(True), FollowUp.done_at.is_(None))
        .limit(1)
    ).first()
    assert open_shared is not None
    title, spouse = open_shared
    # Demo spouses share the demo password.
    client = app.test_client()
    assert f.login(client, spouse, DEMO_PASSWORD).status_code == 302
    assert title in client.get("/home").get_data(as_text=True)


def test_demo_follow_ups_have_times_and_a_history(app, runner):
    """Due times, snoozes, done and cancelled ones (on closed cases, kept), and the queue's."""
    assert runner.invoke(args=["demo-data", "--spouses", "300"]).exit_code == 0
    rows = db.session.execute(
        select(FollowUp, Case.stage, Case.adviser_id).join(Case, Case.id == FollowUp.case_id)
    ).all()
    assert any(fu.due_time for fu, _stage, _adviser in rows)
    assert any(fu.snooze_count and fu.snoozed_at and fu.is_open for fu, _stage, _adviser in rows)
    assert any(fu.done_at and not fu.cancelled_at for fu, _stage, _adviser in rows)
    cancelled = [(fu, stage) for fu, stage, _adviser in rows if fu.cancelled_at]
    assert cancelled and all(stage == "closed" and fu.done_at == fu.cancelled_at for fu, stage in cancelled)
    # A closed case has no open follow-up; the queue's have no one yet.
    assert not [fu for fu, stage, _adviser in rows if stage == "closed" and fu.is_open]
    queue = [fu for fu, stage, adviser in rows if adviser is None and stage != "closed"]
    assert queue and all(fu.assignee_id is None and fu.title == QUEUE_FOLLOW_UP_TITLE for fu in queue)
