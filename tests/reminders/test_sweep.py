"""The sweep: rules fire once per case and occasion, catch up after downtime, never
before their effective date, and act (follow-up, e-mail) only for what they inserted."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from hiddengems.cases.models import StageChange
from hiddengems.extensions import db
from hiddengems.intake.models import IntakeProfile
from hiddengems.mail.models import OutboxMessage
from hiddengems.reminders.jobs import run_sweep
from hiddengems.reminders.models import ReminderFiring
from hiddengems.timeutil import utcnow
from tests.reminders import rulekit as rk


def test_intake_not_submitted_makes_a_queue_follow_up_and_an_email_once(app, f):
    now = utcnow()
    spouse = f.user("spouse", name="Maria Spouse")
    rk.registered_at(f.case_of(spouse), now - timedelta(days=10))
    rk.rule("intake_not_submitted", days=7)

    run_sweep(now)
    run_sweep(now)
    run_sweep(now + timedelta(days=3))

    (firing,) = rk.firings()
    (follow_up,) = rk.follow_ups()
    assert follow_up.assignee_id is None  # the intake queue: nobody has the case
    assert follow_up.firing_id == firing.id
    assert follow_up.due_on == (now - timedelta(days=3)).date()
    assert "7 days" in follow_up.title
    (mail,) = f.outbox("reminder")
    assert mail.to_address == spouse.email
    assert mail.body.startswith("Hello Maria Spouse,")
    assert "/home" in mail.body
    assert firing.outbox_message_id == mail.id


def test_the_spouse_gets_the_email_in_their_language(app, f):
    now = utcnow()
    spouse = f.user("spouse", name="Aino Virtanen")
    spouse.preferred_language = "fi"
    db.session.commit()
    rk.registered_at(f.case_of(spouse), now - timedelta(days=8))
    rk.rule("intake_not_submitted", days=7)

    run_sweep(now)

    (mail,) = f.outbox("reminder")
    assert mail.subject == "Hidden Gems -alkukartoituksesi odottaa"
    assert mail.body.startswith("Hei Aino Virtanen,")


def test_a_rule_never_fires_for_occasions_due_before_its_effective_date(app, f):
    now = utcnow()
    long_ago, recent = f.user("spouse"), f.user("spouse")
    rk.registered_at(f.case_of(long_ago), now - timedelta(days=30))  # due 23 days ago
    rk.registered_at(f.case_of(recent), now - timedelta(days=5))  # due in 2 days
    rk.rule("intake_not_submitted", days=7, effective_from=now)

    assert run_sweep(now + timedelta(minutes=1))[0].firings == 0
    run_sweep(now + timedelta(days=3))

    assert [firing.case_id for firing in rk.firings()] == [f.case_of(recent).id]


def test_catch_up_after_downtime_makes_what_fell_due_meanwhile_once(app, f):
    now = utcnow()
    adviser = f.user("adviser")
    cases = [f.assign(f.user("spouse"), adviser, "skills") for _ in range(3)]
    for days_ago, case in zip((31, 20, 10), cases, strict=True):
        f.activity(case, adviser, kind="call", at=now - timedelta(days=days_ago))
    rk.rule("no_contact", days=30)

    assert run_sweep(now)[0].firings == 1  # only the case last called 31 days ago
    # The scheduler is down for 25 days: the next sweep makes the two that fell due.
    assert run_sweep(now + timedelta(days=25))[0].firings == 2
    assert run_sweep(now + timedelta(days=25))[0].firings == 0

    made = {fu.case_id: fu for fu in rk.follow_ups()}
    assert set(made) == {case.id for case in cases}
    assert all(fu.assignee_id == adviser.id for fu in made.values())
    assert made[cases[2].id].due_on == (now + timedelta(days=20)).date()


def test_a_new_contact_is_a_new_occasion(app, f):
    now = utcnow()
    adviser = f.user("adviser")
    case = f.assign(f.user("spouse"), adviser, "training")
    f.activity(case, adviser, kind="meeting", at=now - timedelta(days=40))
    rk.rule("no_contact", days=30)
    run_sweep(now)
    f.activity(case, adviser, kind="email", at=now + timedelta(days=1))
    # A note is not a contact: it does not start the count again.
    f.activity(case, adviser, kind="note", at=now + timedelta(days=20))

    run_sweep(now + timedelta(days=10))
    assert len(rk.firings()) == 1
    run_sweep(now + timedelta(days=32))
    assert len(rk.firings()) == 2
    assert len(rk.follow_ups()) == 2


def test_permit_rule_fires_days_before_the_expiry(app, f):
    now = utcnow()
    adviser = f.user("adviser")
    case = f.assign(f.user("spouse"), adviser, "skills")
    db.session.add(IntakeProfile(case_id=case.id, permit_expires=(now + timedelta(days=70)).date()))
    db.session.commit()
    rk.rule("permit_expiring", days=60, direction="before", follow_up_title="Permit expires on {date}")

    run_sweep(now)
    assert rk.firings() == []
    run_sweep(now + timedelta(days=11))

    (follow_up,) = rk.follow_ups()
    assert follow_up.due_on == (now + timedelta(days=10)).date()
    assert follow_up.title.startswith("Permit expires on ")


def test_stage_and_close_rules_count_from_the_last_stage_change(app, f):
    now = utcnow()
    adviser = f.user("adviser")
    stuck = f.assign(f.user("spouse"), adviser, "skills")
    closed = f.assign(f.user("spouse"), adviser, "closed")
    closed.outcome = "employed_full_time"
    db.session.execute(update(StageChange).values(at=now - timedelta(days=200)))
    db.session.commit()
    rk.rule("stage_stuck", days=90)
    rk.rule("closed_check", days=183)

    stuck_fired, closed_fired = run_sweep(now)

    assert stuck_fired.case_ids == [stuck.id]
    assert closed_fired.case_ids == [closed.id]


def test_a_rule_that_is_off_does_not_fire(app, f):
    now = utcnow()
    rk.registered_at(f.case_of(f.user("spouse")), now - timedelta(days=10))
    rk.rule("intake_not_submitted", days=7, enabled=False)

    assert run_sweep(now) == []
    assert rk.count(ReminderFiring) == 0 and rk.count(OutboxMessage) == 0


def test_the_sweep_makes_the_same_number_of_queries_for_one_case_or_thirty(app, f, queries):
    now = utcnow()
    rk.rule("intake_not_submitted", days=7)
    rk.registered_at(f.case_of(f.user("spouse")), now - timedelta(days=10))
    with queries:
        run_sweep(now)
    one = queries.count
    for _ in range(30):
        rk.registered_at(f.case_of(f.user("spouse")), now - timedelta(days=9))
    with queries:
        run_sweep(now + timedelta(hours=1))
    assert rk.count(ReminderFiring) == 31
    assert queries.count == one, queries.statements


def test_the_scheduler_runs_the_sweep_as_a_job(app, f):
    from hiddengems import scheduler

    built = scheduler.build_scheduler(app, blocking=False)
    job = built.get_job("sweep_reminders")
    assert job is not None and job.trigger.interval.total_seconds() == app.config["REMINDER_SWEEP_SECONDS"]
    rk.registered_at(f.case_of(f.user("spouse")), utcnow() - timedelta(days=10))
    rk.rule("intake_not_submitted", days=7)
    db.session.commit()
    scheduler.run("sweep_reminders")
    db.session.expire_all()
    assert rk.count(ReminderFiring) == 1


def test_a_sweep_stopped_halfway_keeps_the_rules_it_finished_and_the_next_does_the_rest(app, f, monkeypatch):
    from hiddengems.reminders import jobs

    now = utcnow()
    rk.registered_at(f.case_of(f.user("spouse")), now - timedelta(days=10))
    rk.rule("intake_not_submitted", days=7)
    rk.rule("intake_not_submitted", days=8, name="Second")
    real = jobs.fire_rule
    calls = []

    def dies_on_the_second(rule, moment):
        calls.append(rule.id)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the process killed mid-sweep
        return real(rule, moment)

    monkeypatch.setattr(jobs, "fire_rule", dies_on_the_second)
    try:
        run_sweep(now)
    except KeyboardInterrupt:
        db.session.rollback()
    assert rk.count(ReminderFiring) == 1
    monkeypatch.setattr(jobs, "fire_rule", real)
    run_sweep(now)
    run_sweep(now)
    assert rk.count(ReminderFiring) == 2
    assert len(rk.follow_ups()) == 2 and len(f.outbox("reminder")) == 2


def test_no_email_to_an_unconfirmed_address_or_a_deactivated_account(app, f):
    now = utcnow()
    unconfirmed = f.user("spouse", verified=False)
    gone = f.user("spouse", active=False)
    for spouse in (unconfirmed, gone):
        rk.registered_at(f.case_of(spouse), now - timedelta(days=10))
    rk.rule("intake_not_submitted", days=7)

    (fired,) = run_sweep(now)

    assert (fired.firings, fired.follow_ups, fired.emails) == (2, 2, 0)
    assert f.outbox("reminder") == []


def test_a_sweep_while_the_database_is_down_is_logged_and_the_next_one_catches_up(app, f, client, monkeypatch, caplog):
    """A database that does not answer fails that run of the job: APScheduler's executor logs
    it as a job error and keeps the job on its schedule, the web keeps answering, and the
    next run makes what fell due meanwhile, once. (run_job is what the scheduler's thread
    pool calls for each run; here in this thread, with the test's database.)"""
    from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED
    from apscheduler.executors.base import run_job
    from sqlalchemy.exc import OperationalError

    from hiddengems import scheduler
    from hiddengems.reminders import jobs

    rk.registered_at(f.case_of(f.user("spouse")), utcnow() - timedelta(days=10))
    rk.rule("intake_not_submitted", days=7)
    db.session.commit()
    real = jobs.fire_rule

    def database_down(rule, moment):
        raise OperationalError("INSERT INTO reminder_firing ...", {}, Exception("connection refused"))

    built = scheduler.build_scheduler(app, blocking=False)
    job = built.get_job("sweep_reminders")
    monkeypatch.setattr(jobs, "fire_rule", database_down)
    (event,) = run_job(job, "default", [utcnow()], "hiddengems.scheduler")
    assert event.code == EVENT_JOB_ERROR and isinstance(event.exception, OperationalError)
    assert "connection refused" in caplog.text  # logged, with the job's name
    assert client.get("/login").status_code == 200  # the web keeps answering
    db.session.expire_all()
    assert rk.count(ReminderFiring) == 0
    db.session.rollback()  # outside a request the test's own read holds SQLite's write lock

    monkeypatch.setattr(jobs, "fire_rule", real)
    (event,) = run_job(job, "default", [utcnow()], "hiddengems.scheduler")
    assert event.code == EVENT_JOB_EXECUTED
    db.session.expire_all()
    assert rk.count(ReminderFiring) == 1 and len(f.outbox("reminder")) == 1
