"""The adviser's Today page through a real browser with CSRF on: the follow-ups due are
there, grouped; one is marked done from the list, another snoozed and then done with a
note that lands on the case's timeline."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from hiddengems.timeutil import helsinki_today
from tests import factories
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_the_adviser_works_through_today(live_server, page: Page):
    today = helsinki_today()
    with live_server.context():
        adviser = factories.user("adviser", name="Aino Adviser")
        spouse = factories.user("spouse", name="Maria Spouse")
        case = factories.assign(spouse, adviser, "skills")
        factories.follow_up(case, adviser, title="Call about the course", due_on=today - timedelta(days=2))
        factories.follow_up(case, adviser, title="Send the CV to Nokia", due_on=today)
        factories.follow_up(case, adviser, title="Check the permit", due_on=today + timedelta(days=3))
        email, case_id = adviser.email, case.id

    log_in(page, live_server, email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    expect(page).to_have_url(re.compile(r"/cases/today$"))
    overdue = page.get_by_role("region", name=re.compile("^Overdue"))
    due_today = page.get_by_role("region", name=re.compile("^Due today"))
    ahead = page.get_by_role("region", name=re.compile("^Next 7 days"))
    expect(overdue).to_contain_text("Call about the course")
    expect(due_today).to_contain_text("Send the CV to Nokia")
    expect(due_today).to_contain_text("Skills mapping")
    expect(ahead).to_contain_text("Check the permit")

    # Done from the list: back on Today, told so, and the row is gone.
    # The button's name says which follow-up it is ("Done" and, for screen readers, the title).
    due_today.get_by_role("button", name=re.compile(r"^Done\W+Send the CV to Nokia$")).click()
    expect(page).to_have_url(re.compile(r"/cases/today$"))
    expect(page.locator(".alert")).to_contain_text("Follow-up done.")
    expect(page.get_by_role("region", name=re.compile("^Due today"))).to_contain_text("Nothing here.")

    # Snoozed from its own page to tomorrow at 10:30: it leaves the overdue group.
    overdue.get_by_role("link", name="Call about the course").click()
    page.get_by_label("Snooze until").fill((today + timedelta(days=1)).isoformat())
    page.get_by_label("At (optional)").fill("10:30")
    page.get_by_role("button", name="Snooze").click()
    expect(page.locator(".alert")).to_contain_text("Snoozed until")
    expect(page.get_by_text("10:30")).to_be_visible()

    # Done with a note: the note is on the case's timeline.
    page.get_by_label("Note for the timeline (optional)").fill("She starts the course on Monday.")
    page.get_by_role("button", name="Done", exact=True).click()
    expect(page.locator(".alert")).to_contain_text("Follow-up done.")
    page.goto(f"{live_server.url}/cases/{case_id}")
    expect(page.locator("main")).to_contain_text("She starts the course on Monday.")
    page.goto(f"{live_server.url}/cases/today")
    expect(page.get_by_role("region", name=re.compile("^Overdue"))).to_contain_text("Nothing here.")
    expect(page.get_by_role("region", name=re.compile("^Next 7 days"))).to_contain_text("Check the permit")
