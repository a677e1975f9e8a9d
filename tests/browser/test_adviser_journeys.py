"""Journeys between the spouse and the advisers, through a real browser with CSRF on.

Everything is done through the pages, as a person would: no direct POSTs. The forms are
found by their labels and buttons by their names, so these tests also prove that the
forms are labelled for assistive technology.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from hiddengems.timeutil import HELSINKI, helsinki_today, utcnow
from tests import factories
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

SHARED_NOTE = "We looked at your CV together and picked three employers to approach."
INTERNAL_NOTE = "Internal: check whether the degree recognition decision has arrived."
FOLLOW_UP = "Send your updated CV by Friday"
INTAKE_WITH_TEAM = "Your intake is with the team."
SKILLS_NEXT = "You and your adviser are mapping your skills"


def save_step(page: Page, next_step: str) -> None:
    page.get_by_role("button", name="Save and continue").click()
    expect(page).to_have_url(re.compile(rf"/intake/step/{next_step}$"))


def fill_intake(page: Page) -> None:
    """The minimum valid answers, step by step; optional questions are left empty."""
    today = helsinki_today()
    page.get_by_label("City where you live").fill("Tampere")
    page.get_by_label("Preferred language for contact").select_option("en")
    save_step(page, "host")
    # The host organisation given at registration is already chosen.
    expect(page.get_by_label("Your partner's host organisation")).not_to_have_value("0")
    save_step(page, "arrival")
    page.get_by_label("Date you arrived in Finland (or will arrive)").fill((today - timedelta(days=60)).isoformat())
    page.get_by_label("How long do you expect to stay?").select_option(label="2–4 years")
    save_step(page, "permit")
    page.get_by_label("Do you have the right to work in Finland?").select_option(label="Yes, without restrictions")
    page.get_by_label("Residence permit type").select_option(label="Family member of a specialist or researcher")
    save_step(page, "education")
    page.get_by_label("Highest completed education").select_option(label="Master's or equivalent")
    page.get_by_label("Field of study").select_option(label="Natural sciences, mathematics and statistics")
    page.get_by_label("Has your foreign degree been recognised in Finland?").select_option(label="In progress")
    save_step(page, "work")
    # No work history: the empty row is left empty.
    save_step(page, "languages")
    page.get_by_label("Finnish", exact=True).select_option(label="A1 – beginner")
    page.get_by_label("Swedish", exact=True).select_option(label="No knowledge")
    page.get_by_label("English", exact=True).select_option(label="C1 – advanced")
    save_step(page, "goals")
    page.get_by_label("What kind of work are you looking for?").fill("Work with data in a research setting.")
    save_step(page, "availability")
    page.get_by_label("Are you looking for full-time or part-time work?").select_option(label="Either")
    page.get_by_label("Available from").fill(today.isoformat())
    save_step(page, "monitoring")
    # The monitoring questions are optional: all left empty.
    save_step(page, "review")


def open_entry_form(page: Page) -> None:
    """The case file's entry form is collapsed behind a button (a <details>): open it."""
    details = page.locator("details.add-activity")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    expect(page.get_by_label("Kind")).to_be_visible()


def add_to_timeline(page: Page, *, kind: str, text: str, shared: bool, hours_ago: int, minutes: int | None) -> None:
    when = (utcnow() - timedelta(hours=hours_ago)).astimezone(HELSINKI).strftime("%Y-%m-%dT%H:%M")
    open_entry_form(page)
    page.get_by_label("Kind").select_option(label=kind)
    page.get_by_label("Date and time").fill(when)
    if minutes is not None:
        page.get_by_label("Duration (minutes)").fill(str(minutes))
    page.get_by_label("Text", exact=True).fill(text)
    share = page.get_by_label("Share with the spouse")
    if shared:
        share.check()
    else:
        expect(share).not_to_be_checked()
    page.get_by_role("button", name="Add to timeline").click()
    expect(page.get_by_text("Added to the timeline.")).to_be_visible()


def test_spouse_submits_intake_adviser_works_the_case_spouse_sees_it(live_server, page: Page, new_page):
    with live_server.context():
        spouse = factories.user("spouse", name="Amara Okafor")
        adviser = factories.user("adviser", name="Ilona Virtanen")
        spouse_email, adviser_email = spouse.email, adviser.email

    # The spouse fills the whole intake through the forms and submits it.
    log_in(page, live_server, spouse_email)
    expect(page).to_have_url(live_server.url + "/home")
    page.get_by_role("link", name="Fill in your intake form").click()
    expect(page).to_have_url(live_server.url + "/intake/step/contact")
    fill_intake(page)
    expect(page.get_by_text("Before you can submit")).to_have_count(0)
    page.get_by_role("button", name="Submit my intake").click()
    expect(page.get_by_text("Your intake has been sent to the team")).to_be_visible()
    page.goto(live_server.url + "/home")
    expect(page.get_by_text(INTAKE_WITH_TEAM)).to_be_visible()
    steps = page.get_by_role("list", name="Programme steps")
    expect(steps.locator("[aria-current=step]")).to_have_text("Intake")

    # An adviser takes the case from the intake queue.
    desk = new_page()
    log_in(desk, live_server, adviser_email)
    desk.get_by_role("navigation", name="Main").get_by_role("link", name="Intake queue").click()
    queue = desk.get_by_role("table")
    expect(queue.get_by_role("row", name=re.compile("Amara Okafor"))).to_be_visible()
    desk.get_by_role("button", name="Take case Amara Okafor").click()
    expect(desk.get_by_text("The case is yours now.")).to_be_visible()
    expect(desk.get_by_role("heading", name="Amara Okafor", level=1)).to_be_visible()
    # The submitted intake is on the case file.
    expect(desk.get_by_text("Tampere", exact=True)).to_be_visible()

    add_to_timeline(desk, kind="Meeting", text=SHARED_NOTE, shared=True, hours_ago=1, minutes=45)
    add_to_timeline(desk, kind="Note", text=INTERNAL_NOTE, shared=False, hours_ago=0, minutes=None)
    timeline = desk.get_by_role("region", name="Timeline")
    expect(timeline.get_by_text(SHARED_NOTE)).to_be_visible()
    expect(timeline.get_by_text(INTERNAL_NOTE)).to_be_visible()

    desk.get_by_label("Move to stage").select_option(label="Skills mapping")
    desk.get_by_label("Why").fill("First meeting held; the intake is complete.")
    desk.get_by_role("button", name="Change stage").click()
    expect(desk.get_by_text("Stage changed.")).to_be_visible()
    expect(timeline.get_by_text("Stage: Intake → Skills mapping")).to_be_visible()

    desk.locator("details.add-follow-up summary").click()  # the form waits behind its button
    desk.get_by_label("Follow-up", exact=True).fill(FOLLOW_UP)
    desk.get_by_label("Due on").fill((helsinki_today() + timedelta(days=4)).isoformat())
    desk.get_by_label("Show on the spouse's page").check()
    desk.get_by_role("button", name="Add follow-up").click()
    expect(desk.get_by_text("Follow-up added.")).to_be_visible()
    added = desk.get_by_role("region", name="Follow-ups").get_by_role("listitem").filter(has_text=FOLLOW_UP)
    expect(added).to_contain_text("On the spouse's page")

    # Back to the spouse, in their own browser: what was shared, and only that.
    page.reload()
    expect(steps.locator("[aria-current=step]")).to_have_text("Skills mapping")
    expect(page.get_by_text(SKILLS_NEXT)).to_be_visible()
    expect(page.get_by_text(INTAKE_WITH_TEAM)).to_have_count(0)
    expect(page.get_by_text("Ilona Virtanen").first).to_be_visible()
    expect(page.get_by_role("region", name="From your adviser").get_by_text(SHARED_NOTE)).to_be_visible()
    expect(page.get_by_role("region", name="To do").get_by_text(FOLLOW_UP)).to_be_visible()
    expect(page.get_by_text(INTERNAL_NOTE)).to_have_count(0)
    expect(page.get_by_text("First meeting held")).to_have_count(0)  # the stage reason is for advisers only


def test_stale_stage_change_is_refused_and_keeps_the_typed_reason(live_server, page: Page, new_page):
    with live_server.context():
        lead = factories.user("adviser", lead=True, name="Lea Lead")
        adviser = factories.user("adviser", name="Aino Adviser")
        spouse = factories.user("spouse", name="Marco Rossi")
        case = factories.assign(spouse, adviser, stage="skills")
        case_url = f"{live_server.url}/cases/{case.id}"
        lead_email, adviser_email = lead.email, adviser.email

    log_in(page, live_server, adviser_email)
    page.goto(case_url)
    other = new_page()
    log_in(other, live_server, lead_email)
    other.goto(case_url)
    expect(page.get_by_role("heading", name="Marco Rossi", level=1)).to_be_visible()
    expect(other.get_by_role("heading", name="Marco Rossi", level=1)).to_be_visible()

    # The lead moves the case first.
    other.get_by_label("Move to stage").select_option(label="Training")
    other.get_by_role("button", name="Change stage").click()
    expect(other.get_by_text("Stage changed.")).to_be_visible()

    # The adviser, still on the page loaded before, changes the stage too.
    reason = "The employer wants to meet Marco next week."
    page.get_by_label("Move to stage").select_option(label="Employer introductions")
    page.get_by_label("Why").fill(reason)
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Change stage").click()
    assert posted.value.status == 409
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Someone else changed this case while you were working on it.")
    expect(alert).to_contain_text("what you typed is kept in the form below")
    # The page shows the case as it is now, and what the adviser typed.
    timeline = page.get_by_role("region", name="Timeline")
    expect(timeline.get_by_text("Stage: Skills mapping → Training")).to_be_visible()
    expect(page.get_by_label("Why")).to_have_value(reason)
    expect(page.get_by_label("Move to stage")).to_have_value("introductions")

    # Having checked, the adviser saves again: now it goes through.
    page.get_by_role("button", name="Change stage").click()
    expect(page.get_by_text("Stage changed.")).to_be_visible()
    expect(timeline.get_by_text("Stage: Training → Employer introductions")).to_be_visible()
    expect(timeline.get_by_text(reason)).to_be_visible()


def test_closing_as_employed_asks_for_the_job_then_closes(live_server, page: Page):
    with live_server.context():
        adviser = factories.user("adviser", name="Aino Adviser")
        spouse = factories.user("spouse", name="Priya Nair")
        case = factories.assign(spouse, adviser, stage="introductions")
        case_url = f"{live_server.url}/cases/{case.id}"
        adviser_email = adviser.email

    log_in(page, live_server, adviser_email)
    page.goto(case_url)
    page.get_by_role("link", name="Close the case…").click()
    expect(page.get_by_role("heading", name="Close the case of Priya Nair")).to_be_visible()

    page.get_by_label("Outcome").select_option(label="Employed, full time")
    page.get_by_role("button", name="Close case").click()

    employer = page.get_by_label("Employer")
    expect(employer).to_have_attribute("aria-invalid", "true")
    # Beside the field: in the employer's own form group.
    message = page.locator("div.mb-3", has=page.locator("#close-employer")).locator(".invalid-feedback")
    expect(message).to_be_visible()
    expect(message).to_have_text("Needed when the outcome is employment.")
    # The message is tied to the field, for screen readers too.
    expect(employer).to_have_attribute("aria-describedby", re.compile(r"\bclose-employer-error\b"))
    expect(page.get_by_label("Outcome")).to_have_value("employed_full_time")
    expect(page.get_by_role("button", name="Close case")).to_be_visible()

    start = helsinki_today()
    employer.fill("Tampere University Hospital")
    page.get_by_label("Occupation").fill("Data analyst")
    page.get_by_label("Start date").fill(start.isoformat())
    page.get_by_role("button", name="Close case").click()

    expect(page).to_have_url(case_url)
    expect(page.get_by_text("Case closed.")).to_be_visible()
    expect(page.locator(".stage-pill")).to_have_text(["Closed", "Employed, full time"])
    timeline = page.get_by_role("region", name="Timeline")
    expect(timeline.get_by_text("Stage: Employer introductions → Closed")).to_be_visible()
    expect(timeline.get_by_text(re.compile(r"Data analyst at Tampere University Hospital from"))).to_be_visible()
    # A closed case offers to reopen it, not to change its stage.
    expect(page.get_by_role("heading", name="Reopen the case")).to_be_visible()
    expect(page.get_by_role("button", name="Change stage")).to_have_count(0)
