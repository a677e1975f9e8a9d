"""The lead's rule pages: the list, a new or changed rule with its dry run before saving,
clear messages for bad values, on and off; the command line."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from hiddengems.extensions import db
from hiddengems.intake.models import IntakeProfile
from hiddengems.reminders.jobs import run_sweep
from hiddengems.reminders.kinds import REGISTERED_DEFAULTS
from hiddengems.reminders.models import ReminderRule
from hiddengems.reminders.rules import DEFAULT_RULES, seed_defaults
from hiddengems.timeutil import HELSINKI, utcnow
from tests.reminders import rulekit as rk


def _form(**values) -> dict:
    now = utcnow().astimezone(HELSINKI)
    form = {
        "name": "Queue check",
        "kind": "intake_not_taken",
        "days": "2",
        "direction": "after",
        "make_follow_up": "y",
        "follow_up_title": "Waiting {days} days: take it",
        "subject_en": "",
        "body_en": "",
        "enabled": "y",
        "effective_from": now.strftime("%Y-%m-%dT%H:%M"),
        "preview": "Show the dry run",
    }
    form.update(values)
    return {k: v for k, v in form.items() if v is not None}


@pytest.fixture
def lead(f, client):
    lead = f.user("adviser", lead=True, name="Liisa Lead")
    f.login(client, lead)
    return lead


def test_the_list_shows_the_seeded_rules_to_a_lead(app, client, lead):
    # The reminders' own defaults and those the domains above registered (training's).
    assert seed_defaults() == len(DEFAULT_RULES) + len(REGISTERED_DEFAULTS)
    assert seed_defaults() == 0  # seeding again adds nothing
    db.session.commit()
    page = client.get("/cases/reminder-rules").get_data(as_text=True)
    assert "Training ended" in page
    for rule in DEFAULT_RULES:
        assert rule["name"] in page
    assert "Reminder rules" in page


def test_a_new_rule_shows_its_dry_run_before_it_can_be_saved(app, client, lead, f):
    adviser = f.user("adviser", name="Aino Adviser")
    soon = f.assign(f.user("spouse", name="Soon Spouse"), None, "intake")
    f.assign(f.user("spouse", name="Taken Spouse"), adviser, "skills")
    db.session.add(IntakeProfile(case_id=soon.id, submitted_at=utcnow() - timedelta(days=1)))
    db.session.commit()

    shown = client.post("/cases/reminder-rules/new", data=_form())
    page = shown.get_data(as_text=True)
    assert shown.status_code == 200
    assert "This rule would make 1 follow-up." in page
    assert "Soon Spouse" in page and "Intake queue (unassigned)" in page
    assert "Taken Spouse" not in page
    assert db.session.scalar(select(ReminderRule)) is None

    # Saving values other than the ones whose dry run was shown shows the dry run again.
    fingerprint = page.split('name="previewed" type="hidden" value="')[1].split('"')[0]
    again = client.post("/cases/reminder-rules/new", data=_form(days="5", previewed=fingerprint, save="Save"))
    assert again.status_code == 200 and db.session.scalar(select(ReminderRule)) is None

    saved = client.post("/cases/reminder-rules/new", data=_form(previewed=fingerprint, save="Save"))
    assert saved.status_code == 302
    rule = db.session.scalar(select(ReminderRule))
    assert (rule.kind, rule.days, rule.follow_up_title) == ("intake_not_taken", 2, "Waiting {days} days: take it")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"days": "-3"}, "Give zero or more days"),
        ({"days": "5000"}, "At most 730 days"),
        ({"days": "99999999999999999999999"}, "At most 730 days"),
        ({"days": "²"}, "Not a valid integer value"),
        ({"days": ""}, "Give the number of days"),
        ({"direction": "before"}, "can only fire after it"),
        ({"follow_up_title": "Call {nme} now"}, "Unknown placeholder {nme}"),
        ({"follow_up_title": "Call {name.__class__}"}, "Unknown placeholder {name.__class__}"),
        ({"follow_up_title": "Call {name"}, "A brace { or } without its pair"),
        ({"make_follow_up": None}, "Choose what the rule does"),
        ({"email_spouse": "y"}, "The e-mail needs an English subject"),
        ({"effective_from": "2020-01-01T10:00"}, "cannot start in the past"),
        ({"kind": "no_such_kind"}, "Not a valid choice"),
    ],
)
def test_bad_values_get_a_clear_message_and_keep_what_was_typed(app, client, lead, values, message):
    answer = client.post("/cases/reminder-rules/new", data=_form(name="Kept name ä", **values))
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert message.replace("'", "&#39;") in page
    assert 'value="Kept name ä"' in page
    assert "Dry run" not in page
    assert db.session.scalar(select(ReminderRule)) is None


def test_switching_a_rule_off_stops_it_and_on_again_applies_from_then(app, client, lead, f):
    now = utcnow()
    rule = rk.rule("intake_not_submitted", days=7)
    rk.registered_at(f.case_of(f.user("spouse")), now - timedelta(days=10))

    assert client.post(f"/cases/reminder-rules/{rule.id}/switch").status_code == 302
    assert run_sweep(now) == []
    client.post(f"/cases/reminder-rules/{rule.id}/switch")
    db.session.expire_all()
    assert rule.enabled and rule.effective_from >= now
    # What fell due while it was off is not made afterwards.
    assert run_sweep(utcnow() + timedelta(minutes=1))[0].firings == 0


def test_editing_a_rule_applies_it_from_now(app, client, lead, f):
    now = utcnow()
    rule = rk.rule("intake_not_submitted", days=30)
    rk.registered_at(f.case_of(f.user("spouse")), now - timedelta(days=10))
    page = client.get(f"/cases/reminder-rules/{rule.id}").get_data(as_text=True)
    assert 'value="30"' in page
    data = _form(kind="intake_not_submitted", days="7", email_spouse=None)
    shown = client.post(f"/cases/reminder-rules/{rule.id}", data=data).get_data(as_text=True)
    assert "This rule would make 0 follow-ups." in shown  # due 3 days ago: before it applies
    fingerprint = shown.split('name="previewed" type="hidden" value="')[1].split('"')[0]
    assert (
        client.post(
            f"/cases/reminder-rules/{rule.id}", data={**data, "previewed": fingerprint, "save": "Save"}
        ).status_code
        == 302
    )
    assert run_sweep(utcnow() + timedelta(minutes=1))[0].firings == 0


def test_other_ids_are_not_found(app, client, lead):
    assert client.get("/cases/reminder-rules/99999").status_code == 404
    assert client.get("/cases/reminder-rules/99999999999999999999").status_code == 404
    assert client.get("/cases/reminder-rules/%D9%A3").status_code == 404


def test_the_command_line_sweeps_at_a_set_time_and_dry_runs_a_rule(app, runner, f):
    now = utcnow()
    rule = rk.rule("intake_not_submitted", days=7)
    rk.registered_at(f.case_of(f.user("spouse")), now - timedelta(days=5))

    dry = runner.invoke(args=["reminders", "dry-run", str(rule.id)])
    assert "1 follow-ups in 30 days" in dry.output and "intake queue" in dry.output
    assert "0 fired in all" in runner.invoke(args=["reminders", "sweep"]).output
    later = (now + timedelta(days=3)).isoformat()
    assert "1 fired in all" in runner.invoke(args=["reminders", "sweep", "--now", later]).output
    assert "0 fired in all" in runner.invoke(args=["reminders", "sweep", "--now", later]).output

    bad = runner.invoke(args=["reminders", "sweep", "--now", "tomorrow"])
    assert bad.exit_code != 0 and "give an ISO time" in bad.output
    missing = runner.invoke(args=["reminders", "dry-run", "nope"])
    assert missing.exit_code != 0 and "no rule 'nope'" in missing.output
