"""Training's reminder kind ("training ended → record the result N days later"),
registered into the reminders engine: seeded, fires once per programme, catches up,
never before its effective date, and the case's "why" page and the dry run read it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from hiddengems.extensions import db
from hiddengems.reminders.explain import case_reminders, dry_run
from hiddengems.reminders.jobs import run_sweep
from hiddengems.reminders.models import ReminderRule
from hiddengems.reminders.rules import seed_defaults
from hiddengems.timeutil import helsinki_today, utcnow
from hiddengems.training.models import Enrolment, Programme
from tests.reminders import rulekit as rk
from tests.training import helpers as th


def _enrolled(f, adviser, case, *, ends_in: int, status: str = "enrolled") -> Programme:
    """The case enrolled in a programme that ends ``ends_in`` days from today (Helsinki)."""
    made = th.programme(adviser)
    ends_on = helsinki_today() + timedelta(days=ends_in)
    db.session.execute(
        update(Programme).where(Programme.id == made.id).values(starts_on=ends_on - timedelta(days=30), ends_on=ends_on)
    )
    db.session.add(Enrolment(programme_id=made.id, case_id=case.id, status=status, enrolled_at=utcnow()))
    db.session.commit()
    return made


def test_seed_adds_the_training_rule_once(app):
    assert seed_defaults() >= 7
    assert seed_defaults() == 0
    db.session.commit()
    rule = db.session.scalar(select(ReminderRule).where(ReminderRule.key == "training_ended"))
    assert rule.kind == "training_ended" and rule.days == 7 and rule.make_follow_up


def test_fires_once_per_programme_only_for_enrolled_spouses(app, f):
    now = utcnow()
    adviser = f.user("adviser")
    case = f.assign(f.user("spouse"), adviser, "training")
    finished = f.assign(f.user("spouse"), adviser, "training")
    _enrolled(f, adviser, case, ends_in=-10)
    _enrolled(f, adviser, finished, ends_in=-10, status="completed")
    rk.rule("training_ended", days=7)

    run_sweep(now)
    run_sweep(now + timedelta(hours=1))

    (firing,) = rk.firings()
    (follow_up,) = rk.follow_ups()
    assert firing.case_id == case.id
    assert follow_up.assignee_id == adviser.id
    assert follow_up.due_on == helsinki_today() - timedelta(days=3)
    assert follow_up.title == "Training ended 7 days ago: record the result"

    # A second programme is a new occasion: one more reminder, when it is due.
    _enrolled(f, adviser, case, ends_in=5)
    assert run_sweep(now + timedelta(days=3))[0].firings == 0
    assert run_sweep(now + timedelta(days=13))[0].firings == 1
    assert run_sweep(now + timedelta(days=14))[0].firings == 0
    assert len(rk.follow_ups()) == 2


def test_catch_up_and_never_before_the_effective_date(app, f):
    now = utcnow()
    adviser = f.user("adviser")
    old, soon, later = (f.assign(f.user("spouse"), adviser, "training") for _ in range(3))
    _enrolled(f, adviser, old, ends_in=-30)  # due 23 days ago: before the rule applied
    _enrolled(f, adviser, soon, ends_in=-5)  # due in 2 days
    _enrolled(f, adviser, later, ends_in=10)  # due in 17 days
    rk.rule("training_ended", days=7, effective_from=now)

    assert run_sweep(now + timedelta(minutes=1))[0].firings == 0
    # The scheduler is down for three weeks: the next sweep makes both that fell due, once.
    assert run_sweep(now + timedelta(days=21))[0].firings == 2
    assert run_sweep(now + timedelta(days=21))[0].firings == 0
    assert {fu.case_id for fu in rk.follow_ups()} == {soon.id, later.id}


def test_why_and_dry_run_read_the_training_rule(app, f, client):
    now = utcnow()
    adviser = f.user("adviser")
    case = f.assign(f.user("spouse"), adviser, "training")
    _enrolled(f, adviser, case, ends_in=10)
    rule = rk.rule("training_ended", days=7, name="Training result")

    (reason,) = case_reminders(case.id, now).reasons
    assert reason.status == "upcoming"
    assert reason.due_on == helsinki_today() + timedelta(days=17)

    preview = dry_run(rule, now)
    assert preview.total == 1
    assert preview.sample[0][1] == helsinki_today() + timedelta(days=17)

    run_sweep(now + timedelta(days=18))
    db.session.expire_all()
    (reason,) = case_reminders(case.id, now + timedelta(days=18)).reasons
    assert reason.status == "fired" and reason.follow_up is not None

    f.login(client, adviser)
    page = client.get(f"/cases/{case.id}/reminders").get_data(as_text=True)
    assert "Training result" in page
    assert "already fired for this occasion" in page


def test_the_rule_form_offers_the_training_kind(app, f, client):
    f.login(client, f.user("adviser", lead=True))
    page = client.get("/cases/reminder-rules/new").get_data(as_text=True)
    assert 'value="training_ended"' in page
    assert "Training ended: record the result" in page


def test_two_programmes_due_in_one_sweep_make_two_emails_each_with_its_firing(app, f):
    now = utcnow()
    adviser = f.user("adviser")
    spouse = f.user("spouse")
    case = f.assign(spouse, adviser, "training")
    _enrolled(f, adviser, case, ends_in=-9)
    _enrolled(f, adviser, case, ends_in=-8)
    rk.rule(
        "training_ended",
        days=7,
        email_spouse=True,
        email_templates={"en": {"subject": "How did the training go?", "body": "Hello {name}, tell us: {link}"}},
    )

    assert run_sweep(now)[0].emails == 2

    mails = f.outbox("reminder")
    assert len(mails) == 2 and {m.to_address for m in mails} == {spouse.email}
    assert sorted(firing.outbox_message_id for firing in rk.firings()) == sorted(m.id for m in mails)
