"""The lead's reminder rule, through a real browser with CSRF on: a new rule, a bad value
refused beside its field, the dry run before saving, then a sweep at a set clock makes
the follow-up and the case file says why."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from hiddengems.extensions import db
from hiddengems.intake.models import IntakeProfile
from hiddengems.reminders.jobs import run_sweep
from hiddengems.timeutil import utcnow
from tests import factories
from tests.browser.test_adviser_journeys import log_in

pytestmark = pytest.mark.browser


def test_lead_adds_a_rule_sees_its_dry_run_saves_and_the_sweep_fires_it(live_server, page: Page):
    with live_server.context():
        lead = factories.user("adviser", lead=True, name="Lea Lead")
        spouse = factories.user("spouse", name="Wang Fang")
        case = factories.assign(spouse, None, stage="intake")
        db.session.add(IntakeProfile(case_id=case.id, submitted_at=utcnow() - timedelta(days=1)))
        db.session.commit()
        case_url, lead_email = f"{live_server.url}/cases/{case.id}", lead.email

    log_in(page, live_server, lead_email)
    page.get_by_role("link", name="Reminder rules").click()
    page.get_by_role("link", name="New rule").click()
    page.get_by_label("Name").fill("Queue: two days")
    page.get_by_label("Counts from").select_option(label="Submitted intake not taken by an adviser")
    page.get_by_label("Days").fill("-2")
    page.get_by_label("Make a follow-up for the case's adviser (the intake queue when none)").check()
    page.get_by_label("Follow-up text").fill("Waiting {days} days: take the case")
    page.get_by_role("button", name="Show the dry run").click()
    # Beside the field, and in the error summary at the top, which links to it and has the focus.
    expect(page.locator("#days-error")).to_contain_text("Give zero or more days")
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Days: Give zero or more days")).to_have_attribute("href", "#days")
    expect(page.get_by_label("Name")).to_have_value("Queue: two days")

    page.get_by_label("Days").fill("2")
    page.get_by_role("button", name="Show the dry run").click()
    expect(page.get_by_text("This rule would make 1 follow-up.")).to_be_visible()
    expect(page.get_by_text("Wang Fang")).to_be_visible()
    page.get_by_role("button", name="Save the rule").click()
    expect(page.get_by_text("Rule saved.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/cases/reminder-rules/\d+$"))

    with live_server.context():
        (fired,) = run_sweep(utcnow() + timedelta(days=2))
        assert fired.follow_ups == 1

    page.goto(case_url)
    expect(page.get_by_text("Waiting 2 days: take the case").first).to_be_visible()
    # Why it fired: one click from the case file's follow-ups.
    page.get_by_role("link", name="Why reminders fire on this case").click()
    expect(page.get_by_role("heading", name="Reminders of Wang Fang")).to_be_visible()
    expect(page.get_by_text("already fired for this occasion")).to_be_visible()
    expect(page.get_by_text("follow-up “Waiting 2 days: take the case”")).to_be_visible()
    page.get_by_role("link", name="Back to the case file").click()
    expect(page).to_have_url(case_url)
