"""The skills journey through a real browser, with CSRF on: the spouse picks skills and a
target from the pickers, sees how close they are, the adviser finds the skills waiting on
the desk and validates them in a mapping session, and the gap view changes."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.conftest import log_in
from tests.skills.pages import mapped_world

pytestmark = pytest.mark.browser

# The starter taxonomy's data analyst has six essential skills, these among them.
TARGET = "data analyst"
ESSENTIAL = 6


def pick_skill(page: Page, typed: str, label: str, level: str) -> None:
    """Type in the skill picker, choose the result, add it with a level."""
    page.get_by_label("Find a skill").fill("")
    page.get_by_label("Find a skill").press_sequentially(typed, delay=20)
    result = page.locator("#skill-results li", has=page.locator("strong", has_text=re.compile(f"^{label}$"))).first
    expect(result).to_be_visible()
    result.get_by_label("Level").select_option(level)
    result.get_by_role("button", name=re.compile("Add")).click()
    expect(page.get_by_text("Skill added.")).to_be_visible()


def gap_card(page: Page):
    return page.locator("section", has=page.get_by_role("heading", name=re.compile(TARGET))).first


def test_a_spouse_maps_skills_and_a_target_the_adviser_validates_and_the_gap_changes(live_server, new_page):
    with live_server.context():
        w = mapped_world(factories)
        spouse_email, adviser_email, case_id = w.spouse.email, w.adviser.email, w.case.id
    profile_url = f"{live_server.url}/cases/{case_id}/skills"

    # The spouse starts from the home page's invitation.
    spouse = new_page()
    log_in(spouse, live_server, spouse_email)
    spouse.goto(live_server.url + "/home")
    spouse.get_by_role("link", name="Start your skills profile").click()
    expect(spouse).to_have_url(profile_url)

    spouse.get_by_label("Find a target occupation").press_sequentially("data anal", delay=20)
    target = spouse.locator("#target-results li", has_text=TARGET).first
    expect(target).to_be_visible()
    target.get_by_role("button", name=re.compile("Add as a target")).click()
    expect(spouse.locator("#targets strong", has_text=TARGET)).to_be_visible()
    pick_skill(spouse, "data analysis", "perform data analysis", "advanced")
    pick_skill(spouse, "databases", "use databases", "intermediate")

    spouse.goto(live_server.url + "/home")
    expect(spouse.get_by_text(f"You have 2 of {ESSENTIAL} essential skills for {TARGET}.")).to_be_visible()
    spouse.get_by_role("link", name="See what is missing").click()
    card = gap_card(spouse)
    expect(card.get_by_text(f"2 of {ESSENTIAL} essential skills")).to_be_visible()
    held = card.locator("[data-gap=essential-held] li", has_text="perform data analysis")
    expect(held).to_contain_text("Not validated yet")
    expect(card.locator("[data-gap=essential-missing]")).to_contain_text("think analytically")

    # The adviser finds the skills waiting on the desk and holds the mapping session.
    adviser = new_page()
    log_in(adviser, live_server, adviser_email)
    adviser.goto(live_server.url + "/desk")
    waiting = adviser.locator("section", has=adviser.get_by_role("heading", name="Skills to validate"))
    expect(waiting).to_contain_text("Maria Spouse")
    expect(waiting).to_contain_text("2 skills")
    waiting.get_by_role("link", name="Maria Spouse").click()
    expect(adviser).to_have_url(profile_url)
    adviser.get_by_role("button", name="Validate perform data analysis").click()
    expect(adviser.locator("#skills li", has_text="perform data analysis").first).to_contain_text("Validated")
    # What the adviser adds is validated at once.
    pick_skill(adviser, "analytic", "think analytically", "advanced")
    expect(adviser.locator("#skills li", has_text="think analytically").first).to_contain_text("Validated")

    # The spouse's gap view has changed: three held, the validated ones no longer marked.
    spouse.reload()
    card = gap_card(spouse)
    expect(card.get_by_text(f"3 of {ESSENTIAL} essential skills")).to_be_visible()
    expect(card.locator("[data-gap=essential-held] li", has_text="perform data analysis")).not_to_contain_text(
        "Not validated yet"
    )
    expect(card.locator("[data-gap=essential-held] li", has_text="use databases")).to_contain_text("Not validated yet")
    expect(card.locator("[data-gap=essential-missing]")).not_to_contain_text("think analytically")
    spouse.goto(live_server.url + "/home")
    expect(spouse.get_by_text(f"You have 3 of {ESSENTIAL} essential skills for {TARGET}.")).to_be_visible()

    # One skill still waits for the adviser.
    adviser.goto(live_server.url + "/desk")
    expect(waiting).to_contain_text("1 skill")
