"""The skills picker with JavaScript: results come as one types (skills.search), and the
result's own form adds the skill, CSRF token and all. Without JavaScript the same page
works as GET forms (tests/skills/test_search_json.py)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests import factories
from tests.skills.pages import mapped_world


def test_a_spouse_types_picks_and_adds_a_skill(live_server, page):
    with live_server.context():
        w = mapped_world(factories)
        email, case_id = w.spouse.email, w.case.id
    problems: list[str] = []
    # Refusals of the CSP and failed requests (but the browser's own favicon.ico) would show here.
    page.on("console", lambda message: problems.append(message.text) if "Content Security" in message.text else None)
    page.on(
        "response",
        lambda response: (
            problems.append(response.url)
            if response.status >= 400 and not response.url.endswith("/favicon.ico")
            else None
        ),
    )
    page.goto(live_server.url + "/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile(r"/login"))

    page.goto(f"{live_server.url}/cases/{case_id}/skills")
    # Typed, not submitted: the results appear without leaving the page.
    page.get_by_label("Find a skill").press_sequentially("javascr", delay=30)
    result = page.locator("#skill-results li", has_text="JavaScript").first
    expect(result).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/cases/{case_id}/skills")
    result.get_by_label("Level").select_option("advanced")
    result.get_by_label("Learnt through").select_option("study")
    result.get_by_role("button", name=re.compile("Add")).click()
    expect(page.get_by_text("Skill added.")).to_be_visible()
    held = page.locator("#skills li", has_text="JavaScript").first
    expect(held).to_contain_text("Not validated yet")
    expect(held.get_by_label("Level")).to_have_value("advanced")
    # Nonsense gets the service's own words under the box.
    page.get_by_label("Find a skill").fill("")
    page.get_by_label("Find a skill").press_sequentially("?!?!", delay=30)
    expect(page.locator("#skill-q-error")).to_have_text("Search with letters or digits.")
    assert not problems, problems
