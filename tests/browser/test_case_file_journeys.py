"""Issue 13, the adviser's day in a real browser: the case file at a glance (at 1280 px and
390 px, with JavaScript off too), correcting one's own entry, filtering the timeline, and
a close that cancels what was planned and is gone from the spouse's page."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from hiddengems.extensions import db
from hiddengems.intake.models import IntakeProfile
from hiddengems.timeutil import helsinki_today, utcnow
from tests import factories
from tests.browser.conftest import log_in
from tests.browser.test_adviser_journeys import add_to_timeline

pytestmark = pytest.mark.browser

TYPO = "Met at the libary to plan the CV."
FIXED = "Met at the library to plan the CV."


def _case_with_history(live_server) -> tuple[str, str, str]:
    with live_server.context():
        adviser = factories.user("adviser", name="Aino Adviser")
        spouse = factories.user("spouse", name="Sofia Ahmed")
        case = factories.assign(spouse, adviser, stage="skills")
        db.session.add(
            IntakeProfile(
                case_id=case.id,
                submitted_at=utcnow(),
                phone="+358 40 765 4321",
                right_to_work="yes",
                permit_expires=date(2027, 6, 30),
                city="Espoo",
            )
        )
        db.session.commit()
        now = utcnow()
        for i in range(25):  # more than a page of the timeline
            factories.activity(case, adviser, kind=("note", "call", "email")[i % 3], at=now - timedelta(days=i + 1))
        factories.follow_up(case, adviser, due_on=helsinki_today() + timedelta(days=3))
        return adviser.email, f"{live_server.url}/cases/{case.id}", spouse.email


def test_case_file_at_a_glance_correct_an_entry_and_filter(live_server, page: Page, new_page):
    adviser_email, case_url, spouse_email = _case_with_history(live_server)
    log_in(page, live_server, adviser_email)
    page.goto(case_url)

    header = page.get_by_role("region", name="Sofia Ahmed")
    expect(header.get_by_role("link", name="+358 40 765 4321")).to_have_attribute("href", "tel:+358407654321")
    expect(header.get_by_role("link", name=spouse_email)).to_have_attribute("href", f"mailto:{spouse_email}")
    for label in ("Last contact", "Next follow-up", "Adviser", "Right to work", "Permit valid until"):
        expect(header.get_by_text(label, exact=True)).to_be_visible()
    expect(header.get_by_text(re.compile(r"\d+ days? in this stage"))).to_be_visible()
    # The timeline first; the entry form waits behind its button.
    expect(page.get_by_label("Kind")).to_be_hidden()
    height = page.evaluate("document.documentElement.scrollHeight")
    print("case file height at 1280 px:", height)
    assert height < 2200, height  # about 3,000 px before issue 13

    add_to_timeline(page, kind="Meeting", text=TYPO, shared=False, hours_ago=1, minutes=30)
    timeline = page.get_by_role("region", name="Timeline")
    entry = timeline.get_by_role("listitem").filter(has_text=TYPO)
    entry.get_by_role("link", name=re.compile("^Correct")).click()
    expect(page.get_by_role("heading", name="Correct your entry")).to_be_visible()
    page.get_by_label("Text").fill(FIXED)
    page.get_by_role("button", name="Save the correction").click()
    expect(page.get_by_text("Your correction is saved; the earlier text is kept.")).to_be_visible()
    fixed = timeline.get_by_role("listitem").filter(has_text=FIXED)
    expect(fixed).to_contain_text("(edited)")
    expect(timeline.get_by_text(TYPO)).to_have_count(0)

    # Only the calls: a GET form, the choice kept in the address.
    page.get_by_label("Show in the timeline").select_option(label="Calls")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"kind=call"))
    kinds = timeline.locator("li strong")
    expect(kinds.first).to_have_text("Call")
    assert set(kinds.all_inner_texts()) == {"Call"}

    # On a phone, the header comes first and the page does not scroll sideways.
    phone = new_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    log_in(phone, live_server, adviser_email)
    phone.goto(case_url)
    expect(phone.get_by_role("link", name="+358 40 765 4321")).to_be_in_viewport()


def test_the_entry_form_opens_without_javascript(live_server, browser):
    adviser_email, case_url, _spouse = _case_with_history(live_server)
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB", java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, live_server, adviser_email)
        page.goto(case_url)
        expect(page.get_by_label("Kind")).to_be_hidden()
        page.locator("summary", has_text="Add to the timeline").click()
        expect(page.get_by_label("Kind")).to_be_visible()
        page.get_by_label("Text", exact=True).fill("Written without JavaScript.")
        page.get_by_role("button", name="Add to timeline").click()
        expect(page.get_by_text("Added to the timeline.")).to_be_visible()
        expect(page.get_by_role("region", name="Timeline").get_by_text("Written without JavaScript.")).to_be_visible()
    finally:
        context.close()


def test_closing_cancels_the_planned_meeting_and_the_follow_up(live_server, page: Page, new_page):
    with live_server.context():
        adviser = factories.user("adviser", name="Aino Adviser")
        spouse = factories.user("spouse", name="Lucas Silva")
        case = factories.assign(spouse, adviser, stage="training")
        factories.activity(
            case, adviser, kind="meeting", text="Interview practice", shared=True, at=utcnow() + timedelta(days=5)
        )
        factories.follow_up(
            case, adviser, title="Bring your diploma", shared=True, due_on=helsinki_today() + timedelta(days=4)
        )
        case_url = f"{live_server.url}/cases/{case.id}"
        adviser_email, spouse_email = adviser.email, spouse.email

    log_in(page, live_server, spouse_email)
    expect(page.get_by_role("region", name="To do").get_by_text("Bring your diploma")).to_be_visible()
    expect(page.get_by_role("region", name="Upcoming meetings").get_by_text("Interview practice")).to_be_visible()

    desk = new_page()
    log_in(desk, live_server, adviser_email)
    desk.goto(case_url)
    desk.get_by_role("link", name="Close the case…").click()
    cancels = desk.get_by_role("region", name="Closing cancels")
    expect(cancels.get_by_role("region", name="Planned meetings")).to_contain_text("Interview practice")
    expect(cancels.get_by_role("region", name="Open follow-ups")).to_contain_text("Bring your diploma")
    desk.get_by_label("Outcome").select_option(label="Left the region")
    desk.get_by_role("button", name="Close case").click()
    expect(desk.get_by_text("Case closed.")).to_be_visible()
    meeting = desk.get_by_role("region", name="Timeline").get_by_role("listitem").filter(has_text="Interview practice")
    expect(meeting).to_contain_text("Cancelled")
    desk.goto(live_server.url + "/desk")
    expect(desk.get_by_text("Bring your diploma")).to_have_count(0)

    page.reload()
    expect(page.get_by_text("Bring your diploma")).to_have_count(0)
    expect(page.get_by_text("Interview practice")).to_have_count(0)

    # Reopening does not bring them back.
    desk.goto(case_url)
    desk.get_by_label("Reopen at stage").select_option(label="Training")
    desk.get_by_role("button", name="Reopen case").click()
    expect(desk.get_by_text("Case reopened.")).to_be_visible()
    page.reload()
    expect(page.get_by_text("Bring your diploma")).to_have_count(0)
    expect(page.get_by_text("Interview practice")).to_have_count(0)
