"""HR's journey through a real browser: the dashboard of their organisation, a different
period grouped by quarter, a table downloaded as CSV with the page's marks."""

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
        cohort(mine, 12, at((2026, 3)), ("intake", "skills"))
        cohort(mine, 7, at((2026, 5)), ("intake",))
        cohort(mine, 2, at((2026, 5)))  # two in May: "<5"
        hr = factories.user("hr", organisation=mine)
        email = hr.email

    page = new_page()
    log_in(page, live_server, email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme figures for Example University")
    expect(page.locator("#table-stages")).to_contain_text("Skills mapping")
    expect(page.locator("#chart-stages-title")).to_have_text("Participants by current stage")

    page.get_by_label("From month").fill("2026-01")
    page.get_by_label("To month").fill("2026-06")
    page.get_by_label("Group by").select_option("quarter")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"grouping=quarter"))
    flow = page.locator("#table-flow")
    expect(flow.locator("tbody tr").first.locator("th")).to_have_text("2026 Q1")
    expect(flow.locator("tbody tr").nth(1).locator("th")).to_have_text("2026 Q2")

    with page.expect_download() as download:
        page.locator("#table-flow caption").get_by_role("link", name="Download CSV").click()
    text = Path(download.value.path()).read_text()
    assert re.fullmatch(
        r"hidden-gems-flow-2026-01-2026-06-as-of-\d{4}-\d\d-\d\d\.csv", download.value.suggested_filename
    )
    assert text.splitlines()[0] == "Period,Registrations,Closures"
    assert text.splitlines()[1] == "2026 Q1,12,0"
    # Q2 holds May's small count: the quarter's cell, and the rows, as the page shows them.
    q2 = page.locator("#table-flow tbody tr").nth(1).locator("td").first.inner_text()
    assert text.splitlines()[2].split(",")[1] == q2

    page.get_by_label("To month").fill("2025-12")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("The period ends before it starts")).to_be_visible()
    expect(page.get_by_label("To month")).to_have_value("2025-12")
