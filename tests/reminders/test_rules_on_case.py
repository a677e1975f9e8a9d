"""A case's "why" page, one click from its case file, says which rules fired, when and
what they made, which are due next, and why a rule did not fire."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select

from hiddengems.audit.models import AuditEvent
from hiddengems.extensions import db
from hiddengems.reminders.explain import HISTORY_LIMIT, case_reminders
from hiddengems.reminders.jobs import run_sweep
from hiddengems.reminders.models import ReminderFiring
from hiddengems.timeutil import utcnow
from tests.at_once import at_once
from tests.reminders import rulekit as rk


def test_each_rule_says_why_it_fired_or_not(app, f, client):
    now = utcnow()
    adviser = f.user("adviser")
    case = f.assign(f.user("spouse"), adviser, "skills")
    f.activity(case, adviser, kind="call", at=now - timedelta(days=40))
    fired = rk.rule("no_contact", days=30, name="Quiet case")
    upcoming = rk.rule("stage_stuck", days=90, name="Long stage")
    late = rk.rule("no_contact", days=35, name="Late rule", effective_from=now - timedelta(days=1))
    off = rk.rule("stage_stuck", days=1, name="Switched off", enabled=False)
    other = rk.rule("intake_not_submitted", days=7, name="Registration")
    run_sweep(now)

    reasons = {r.rule.name: r for r in case_reminders(case.id, now + timedelta(minutes=1)).reasons}
    assert reasons["Quiet case"].status == "fired"
    assert reasons["Long stage"].status == "upcoming"
    assert reasons["Long stage"].due_on == (now + timedelta(days=90)).date()
    assert reasons["Late rule"].status == "before_effective"
    assert reasons["Switched off"].status == "off"
    assert reasons["Registration"].status == "not_matched"
    assert {fired.id, upcoming.id, late.id, off.id, other.id}

    f.login(client, adviser)
    case_file = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f'href="/cases/{case.id}/reminders"' in case_file
    assert "already fired for this occasion" not in case_file
    page = client.get(f"/cases/{case.id}/reminders").get_data(as_text=True)
    assert f'href="/cases/{case.id}"' in page  # back to the case file
    assert "already fired for this occasion" in page
    assert "follow-up “No contact for 30 days: get in touch”" in page
    assert "before the rule applied" in page
    assert "off, so it does not fire." in page
    assert "does not apply to this case now." in page
    assert "due next on" in page


def test_a_rule_due_but_not_yet_swept_says_the_next_sweep_makes_it(app, f):
    now = utcnow()
    case = f.case_of(f.user("spouse"))
    rk.registered_at(case, now - timedelta(days=8))
    rk.rule("intake_not_submitted", days=7)
    (reason,) = case_reminders(case.id, now).reasons
    assert reason.status == "due_now"
    run_sweep(now)
    db.session.expire_all()
    (reason,) = case_reminders(case.id, now).reasons
    assert reason.status == "fired" and reason.follow_up is not None


def test_the_why_page_is_for_those_who_may_see_the_case(app, f, client):
    adviser, other = f.user("adviser"), f.user("adviser")
    case = f.assign(f.user("spouse", name="Amal Haddad"), adviser, "skills")
    rk.rule("stage_stuck", days=90, name="Long stage")
    stranger = app.test_client()
    f.login(stranger, other)
    assert stranger.get(f"/cases/{case.id}/reminders").status_code == 403
    f.login(client, adviser)
    page = client.get(f"/cases/{case.id}/reminders")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Reminders of Amal Haddad" in text and "Long stage" in text
    assert "No rule has fired on this case yet." in text
    # Audited as a view of the case file is; the stranger's attempt as a denied access.
    seen = select(AuditEvent.actor_id).where(AuditEvent.object_type == "case", AuditEvent.object_id == case.id)
    assert db.session.scalars(seen.where(AuditEvent.action == "reminders.viewed")).all() == [adviser.id]
    assert db.session.scalars(seen.where(AuditEvent.action == "access.denied")).all() == [other.id]
    # Ids the database cannot hold, non-ASCII digits and NUL bytes find nothing.
    for case_id in ("999999999999999999999", "2147483648", "%D9%A3", "1%00"):
        assert client.get(f"/cases/{case_id}/reminders").status_code == 404, case_id


# the user; the case with its people; the audit row of the view; every rule with the case's
# firings, what they made and every kind's anchor (one query: reminders/explain.py)
WHY_PAGE = 4


def test_the_why_page_makes_a_fixed_number_of_queries_whatever_has_fired(app, f, client, queries):
    now = utcnow()
    adviser = f.user("adviser")
    case = f.assign(f.user("spouse"), adviser, "skills")
    f.login(client, adviser)
    url = f"/cases/{case.id}/reminders"

    def count() -> int:
        with queries:
            assert client.get(url).status_code == 200
        return queries.count

    none = count()
    for days in (30, 31, 32):
        rk.rule("no_contact", days=days, name=f"Quiet {days}")
    f.activity(case, adviser, kind="call", at=now - timedelta(days=40))
    run_sweep(now)
    assert len(case_reminders(case.id, now).history) == 3
    assert (none, count()) == (WHY_PAGE, WHY_PAGE), queries.statements


def test_the_why_page_says_when_older_firings_are_not_listed(app, f, client):
    """A case a rule has fired on more often than the page lists says how many there are."""
    now = utcnow()
    adviser = f.user("adviser")
    case = f.assign(f.user("spouse"), adviser, "skills")
    rule = rk.rule("no_contact", days=30, name="Quiet case")
    for n in range(HISTORY_LIMIT + 3):
        db.session.add(ReminderFiring(rule_id=rule.id, case_id=case.id, occasion=now.date() - timedelta(days=n)))
    db.session.commit()
    shown = case_reminders(case.id, now)
    assert (len(shown.history), shown.fired) == (HISTORY_LIMIT, HISTORY_LIMIT + 3)
    f.login(client, adviser)
    page = client.get(f"/cases/{case.id}/reminders").get_data(as_text=True)
    assert f"The {HISTORY_LIMIT} newest of {HISTORY_LIMIT + 3} firings on this case are shown." in page
    db.session.execute(delete(ReminderFiring).where(ReminderFiring.occasion < now.date() - timedelta(days=2)))
    db.session.commit()
    page = client.get(f"/cases/{case.id}/reminders").get_data(as_text=True)
    assert "firings on this case are shown" not in page


def test_twenty_views_of_the_why_page_at_once_are_each_shown_and_audited(app, f, client):
    adviser = f.user("adviser")
    case = f.assign(f.user("spouse"), adviser, "skills")
    rk.rule("stage_stuck", days=90, name="Long stage")
    clients = []
    for _ in range(20):
        clients.append(app.test_client())
        assert f.login(clients[-1], adviser).status_code == 302
    url = f"/cases/{case.id}/reminders"
    db.session.commit()
    answers = at_once(20, lambda i: str(clients[i].get(url).status_code))
    assert answers == ["200"] * 20
    seen = select(AuditEvent).where(AuditEvent.action == "reminders.viewed", AuditEvent.object_id == case.id)
    assert len(db.session.scalars(seen).all()) == 20
