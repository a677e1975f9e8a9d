"""HR's journey through a real browser: the dashboard of their organisation, one year
grouped by quarter, a table downloaded as CSV with the page's figures, a bad year."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import log_in
from tests.reports.people import at, cohort

pytestmark = pytest.mark.browser


def test_hr_opens_the_dashboard_changes_the_period_and_downloads_a_csv(live_server, new_page):
    with live_server.context():
        mine = factories.org("Example University")
        cohort(mine, 9, at((2025, 10)), ("intake",))
        cohort(mine, 12, at((2026, 3)), ("intake", "skills"))
        cohort(mine, 7, at((2026, 5)), ("intake",))
        cohort(mine, 2, at((2026, 5)))  # two in May, still registered: "<5"
        hr = factories.user("hr", organisation=mine)
        email = hr.email

    page = new_page()
    log_in(page, live_server, email)
    page.get_by_role("link", name="Programme figures").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme figures for Example University")
    expect(page.locator("#table-stages")).to_contain_text("Skills mapping")
    expect(page.locator("#chart-stages-title")).to_have_text("Participants by current stage")
    expect(page.locator("#table-stages thead")).to_contain_text("2025")

    page.get_by_label("Registered from (year)").fill("2026")
    page.get_by_label("to (year)").fill("2026")
    page.get_by_label("Trend by").select_option("quarter")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"grouping=quarter"))
    registrations = page.locator("#table-registrations")
    expect(registrations.locator("tbody tr").first.locator("th")).to_have_text("2026 Q1")
    expect(registrations.locator("tbody tr").first.locator("td")).to_have_text("12")
    expect(registrations.locator("tbody tr").nth(1).locator("td")).to_have_text("9")

    with page.expect_download() as download:
        page.locator("#table-stages caption").get_by_role("link", name="Download CSV").click()
    text = Path(download.value.path()).read_text()
    assert re.fullmatch(r"hidden-gems-stages-2026-2026-as-of-\d{4}-\d\d-\d\d\.csv", download.value.suggested_filename)
    lines = text.splitlines()
    assert lines[0] == "Stage,2026"
    registered = page.locator("#table-stages tbody tr").first.locator("td").inner_text()
    assert lines[1] == f"Registered,{registered}" and registered in ("<5", "–")

    page.get_by_label("to (year)").fill("2025")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("The period ends before it starts")).to_be_visible()
    expect(page.get_by_label("to (year)")).to_have_value("2025")

    # The funder's page, printed: the indicators without the menu or the form.
    page.get_by_label("to (year)").fill("2026")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("link", name="The ESF+ indicators as one page for the funder").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ESF+ indicators: Example University")
    page.emulate_media(media="print")
    expect(page.locator("body > header")).to_be_hidden()
    expect(page.get_by_role("button", name="Show")).to_be_hidden()
    expect(page.locator("#table-esf_entry")).to_be_visible()
