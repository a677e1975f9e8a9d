"""Demo follow-ups: some are shown to the spouse, and the spouse sees them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from hiddengems.auth.models import User
from hiddengems.cases.models import Case
from hiddengems.demo.generator import DEMO_PASSWORD
from hiddengems.extensions import db
from hiddengems.mail.models import OutboxMessage
from hiddengems.reminders.demo import FOLLOW_UP_TITLES, QUEUE_FOLLOW_UP_TITLE, SPOUSE_FOLLOW_UP_TITLES
from hiddengems.reminders.jobs import run_sweep
from hiddengems.reminders.models import FollowUp, ReminderFiring
from hiddengems.timeutil import utcnow


def test_some_demo_follow_ups_are_shown_to_the_spouse(app, runner, f):
    assert runner.invoke(args=["demo-data", "--spouses", "120"]).exit_code == 0
    # The hand-written ones (the rules' follow-ups are tested below).
    rows = db.session.execute(
        select(FollowUp.title, FollowUp.shared_with_spouse).where(FollowUp.firing_id.is_(None))
    ).all()
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
    """Due times, snoozes, done and cancelled ones (on closed cases, kept), and the queue's
    (those written by hand: the rules' are tested below)."""
    assert runner.invoke(args=["demo-data", "--spouses", "300"]).exit_code == 0
    rows = db.session.execute(
        select(FollowUp, Case.stage, Case.adviser_id)
        .join(Case, Case.id == FollowUp.case_id)
        .where(FollowUp.firing_id.is_(None))
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


def test_the_demo_has_half_a_year_of_rule_firings_and_the_next_sweep_adds_no_duplicate(app, runner):
    assert runner.invoke(args=["demo-data", "--spouses", "150"]).exit_code == 0
    firings = db.session.execute(select(ReminderFiring.fired_at, ReminderFiring.rule_id)).all()
    assert len({fired_at.date() for fired_at, _ in firings}) >= 5  # weekly sweeps, not one burst
    assert len({rule_id for _, rule_id in firings}) >= 3
    made = db.session.scalars(select(FollowUp).where(FollowUp.firing_id.is_not(None))).all()
    assert any(fu.done_at for fu in made) and any(fu.done_at is None for fu in made)
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "reminder")).all()
    assert mails and all(m.sent_at for m in mails)
    before = len(firings)
    # The history's occasions are not made again; only what fell due since yesterday.
    results = run_sweep(utcnow())
    assert sum(r.firings for r in results) < before / 5
    assert sum(r.firings for r in run_sweep(utcnow() - timedelta(seconds=1))) == 0
