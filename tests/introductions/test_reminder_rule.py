"""Introductions' reminder kind ("introduction without a status change for N days"),
registered into the reminders engine: seeded, fires once per (rule, case, occasion), again
after a new status change that is left alone too, never for ended introductions or
closed cases; the case's "why" page and the rule form read it."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from sqlalchemy import select, update

from hiddengems.extensions import db
from hiddengems.introductions.models import Introduction
from hiddengems.reminders.explain import case_reminders
from hiddengems.reminders.jobs import run_sweep
from hiddengems.reminders.models import ReminderRule
from hiddengems.reminders.rules import seed_defaults
from hiddengems.timeutil import helsinki_today, utcnow
from tests.employers.helpers import employer
from tests.reminders import rulekit as rk


@pytest.fixture(autouse=True)
def _midday():
    """An event's occasion is its UTC day and the due dates below are Helsinki's days: the
    two differ in the two or three hours before Helsinki's midnight, so the clock is set
    to the middle of the day."""
    with time_machine.travel(datetime.combine(utcnow().date(), time(10, 0), tzinfo=UTC), tick=True):
        yield


def _introduction(adviser, case, *, status: str, changed_days_ago: int) -> Introduction:
    """An introduction of ``case`` at ``status``, last changed that many days ago."""
    made = Introduction(
        case_id=case.id,
        employer_id=employer(adviser).id,
        status=status,
        proposed_by_id=adviser.id,
        updated_at=utcnow() - timedelta(days=changed_days_ago),
    )
    db.session.add(made)
    db.session.commit()
    return made


def test_seed_adds_the_introduction_rule_once(app):
    assert seed_defaults() >= 8
    assert seed_defaults() == 0
    db.session.commit()
    rule = db.session.scalar(select(ReminderRule).where(ReminderRule.key == "introduction_stalled"))
    assert rule.kind == "introduction_stalled" and rule.days == 14 and rule.make_follow_up and rule.enabled


def test_fires_once_per_stalled_introduction_and_never_for_ended_ones_or_closed_cases(app, f):
    now = utcnow()
    adviser = f.user("adviser")
    case = f.assign(f.user("spouse"), adviser, "introductions")
    quiet = _introduction(adviser, case, status="introduced", changed_days_ago=20)
    ended = f.assign(f.user("spouse"), adviser, "introductions")
    for status in ("hired", "declined", "withdrawn", "no_response"):
        _introduction(adviser, ended, status=status, changed_days_ago=40)
    closed = f.assign(f.user("spouse"), adviser, "closed")
    _introduction(adviser, closed, status="meeting", changed_days_ago=40)
    recent = f.assign(f.user("spouse"), adviser, "introductions")
    _introduction(adviser, recent, status="meeting", changed_days_ago=3)
    rk.rule("introduction_stalled", days=14)

    assert run_sweep(now)[0].firings == 1
    assert run_sweep(now + timedelta(hours=1))[0].firings == 0

    (firing,) = rk.firings()
    (follow_up,) = rk.follow_ups()
    assert firing.case_id == case.id
    assert follow_up.assignee_id == adviser.id
    assert follow_up.due_on == helsinki_today() - timedelta(days=6)
    assert follow_up.title == "No change in an introduction for 14 days: ask the employer or the spouse"

    # A new status change is a new occasion: one more reminder when it stands still again.
    db.session.execute(update(Introduction).where(Introduction.id == quiet.id).values(status="meeting", updated_at=now))
    db.session.commit()
    assert run_sweep(now + timedelta(days=13))[0].case_ids == [recent.id]  # 3 + 13 days: due
    assert run_sweep(now + timedelta(days=15))[0].case_ids == [case.id]
    assert run_sweep(now + timedelta(days=16))[0].firings == 0
    assert [fu.case_id for fu in rk.follow_ups()].count(case.id) == 2


def test_the_cases_why_and_the_rule_form_read_the_kind(app, f, client):
    now = utcnow()
    adviser = f.user("adviser", lead=True)
    case = f.assign(f.user("spouse"), adviser, "introductions")
    _introduction(adviser, case, status="consent_requested", changed_days_ago=4)
    rule = rk.rule("introduction_stalled", days=14, name="Introduction check")

    (reason,) = case_reminders(case.id, now).reasons
    assert reason.rule.id == rule.id and reason.status == "upcoming"
    assert reason.due_on == helsinki_today() + timedelta(days=10)

    f.login(client, adviser)
    assert "Introduction check" in client.get(f"/cases/{case.id}/reminders").get_data(as_text=True)
    page = client.get("/cases/reminder-rules/new").get_data(as_text=True)
    assert 'value="introduction_stalled"' in page
    assert "Introduction without a status change" in page
