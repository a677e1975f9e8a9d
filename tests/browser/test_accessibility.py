"""What every user meets on every page: axe-core finds no serious or critical violation on
the main pages of each role; on a phone (390 px) lists scroll inside their own box, the
intake's steps fold away and the navigation collapses (and still works without
JavaScript); after a failed submit the error summary takes the focus.

axe-core is vendored under tests/browser/vendor/ (``npm pack axe-core``: axe.min.js and its
licence); the app never serves it. It is injected into each page with Playwright's
add_script_tag, in a browser context that bypasses the app's Content-Security-Policy
(which, rightly, refuses inline scripts). ``pytest -m browser tests/browser/test_accessibility.py``.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from hiddengems.extensions import db
from hiddengems.timeutil import helsinki_today, utcnow
from tests import factories
from tests.browser.conftest import log_in
from tests.reports.people import at, cohort

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
PHONE = {"width": 390, "height": 844}

# The main pages of each role; {case} is the world's case.
PAGES: dict[str, list[str]] = {
    "anonymous": ["/", "/login", "/register", "/privacy", "/password/forgot"],
    "spouse": ["/home", "/intake/profile", "/training/programmes", "/account", "/account/password"],
    "adviser": [
        "/desk",
        "/cases/today",
        "/cases/",
        "/cases/queue",
        "/cases/{case}",
        "/cases/{case}?kind=meeting",
        "/cases/{case}/close",
        "/cases/registered",
        "/training/programmes",
        "/employers",
        "/cases/calendar",
    ],
    "lead": ["/desk", "/cases/all", "/cases/all?pick=page", "/cases/team", "/cases/reminder-rules", "/hr"],
    "hr": ["/hr", "/hr?from_year=2026&grouping=quarter", "/hr/funder", "/hr?from_year=2010&to_year=2010"],
    "admin": ["/admin/", "/admin/users", "/admin/users/new", "/admin/organisations", "/admin/outbox/", "/admin/audit"],
}
LISTS = {
    "adviser": ["/cases/", "/cases/queue", "/cases/today", "/cases/registered"],
    "lead": ["/cases/all", "/cases/team"],
    "admin": ["/admin/users", "/admin/audit"],
}


@pytest.fixture
def world(live_server):
    with live_server.context():
        org = factories.org("Tampere University")
        adviser = factories.user("adviser", name="Aino Adviser", email="adviser@example.org")
        lead = factories.user("adviser", lead=True, name="Liisa Lead", email="lead@example.org")
        spouse = factories.user("spouse", organisation=org, name="Maria Spouse", email="spouse@example.org")
        factories.user("hr", organisation=org, email="hr@example.org")
        factories.user("admin", email="admin@example.org")
        case = factories.assign(spouse, adviser, "skills")
        for n in range(3):
            other = factories.user("spouse", organisation=org, name=f"Queued Person With A Long Name {n}")
            factories.assign(other, None, "intake")
        # Registered in March: in the HR figures (which are as of yesterday), charts and all.
        cohort(org, 8, at((2026, 3)), ("intake", "skills"))
        cohort(org, 3, at((2026, 4)), ("intake",))
        factories.activity(case, adviser, kind="meeting", at=utcnow() + timedelta(days=2))
        factories.follow_up(case, adviser, due_on=helsinki_today() - timedelta(days=1))
        db.session.commit()
        emails = {
            "spouse": spouse.email,
            "adviser": adviser.email,
            "lead": lead.email,
            "hr": "hr@example.org",
            "admin": "admin@example.org",
        }
        return {"case": case.id, "emails": emails}


def _page(browser, **options) -> Page:
    context = browser.new_context(locale="en-GB", bypass_csp=True, **options)
    context.set_default_timeout(10_000)
    return context.new_page()


def _serious_violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[node['target'] for node in v['nodes']][:3]}"
        for v in result
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("role", list(PAGES))
def test_axe_finds_no_serious_violation_on_the_main_pages(live_server, browser, world, role):
    page = _page(browser, viewport={"width": 1280, "height": 800})
    try:
        if role != "anonymous":
            log_in(page, live_server, world["emails"][role])
        found = {}
        for path in PAGES[role]:
            response = page.goto(live_server.url + path.format(case=world["case"]))
            assert response.status == 200, path
            violations = _serious_violations(page)
            if violations:
                found[path] = violations
        assert found == {}
    finally:
        page.context.close()


@pytest.mark.parametrize("role", list(LISTS))
def test_on_a_phone_lists_do_not_push_the_page_sideways(live_server, browser, world, role):
    page = _page(browser, viewport=PHONE)
    try:
        log_in(page, live_server, world["emails"][role])
        for path in LISTS[role]:
            page.goto(live_server.url + path)
            wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert wide <= 0, f"{path} is {wide}px wider than the phone"
            # A table that scrolls must be reachable by keyboard too (axe: scrollable-region-focusable).
            assert _serious_violations(page) == [], path
    finally:
        page.context.close()


def test_on_a_phone_the_navigation_collapses_and_opens(live_server, browser, world):
    page = _page(browser, viewport=PHONE)
    try:
        log_in(page, live_server, world["emails"]["adviser"])
        page.goto(live_server.url + "/cases/queue")
        nav = page.get_by_role("navigation", name="Main")
        expect(nav.get_by_role("link", name="Intake queue")).to_be_hidden()
        menu = nav.get_by_role("button", name="Menu")
        expect(menu).to_have_attribute("aria-expanded", "false")
        menu.click()
        expect(menu).to_have_attribute("aria-expanded", "true")
        current = nav.get_by_role("link", name="Intake queue")
        expect(current).to_be_visible()
        expect(current).to_have_attribute("aria-current", "page")
    finally:
        page.context.close()


def test_without_javascript_the_phone_navigation_shows_its_links(live_server, browser, world):
    page = _page(browser, viewport=PHONE, java_script_enabled=False)
    try:
        log_in(page, live_server, world["emails"]["spouse"])
        nav = page.get_by_role("navigation", name="Main")
        expect(nav.get_by_role("button", name="Menu")).to_be_hidden()
        expect(nav.get_by_role("link", name="My profile")).to_be_visible()
        nav.locator("summary", has_text="Maria Spouse").click()  # a <details>: no script needed
        expect(nav.get_by_role("link", name="Account")).to_be_visible()
    finally:
        page.context.close()


@pytest.mark.parametrize("scripts", [True, False], ids=["javascript", "no-javascript"])
def test_a_leads_navigation_fits_one_line_and_their_own_links_open_from_their_name(
    live_server, browser, world, scripts
):
    page = _page(browser, viewport={"width": 1280, "height": 800}, java_script_enabled=scripts)
    try:
        log_in(page, live_server, world["emails"]["lead"])
        page.goto(live_server.url + "/cases/team")
        nav = page.get_by_role("navigation", name="Main")
        links = nav.locator("#main-nav > ul.me-auto > li")
        tops = {round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}
        assert len(tops) == 1, f"the lead's {links.count()} links wrap onto {len(tops)} lines"
        expect(nav.get_by_role("link", name="Password")).to_be_hidden()
        nav.locator("summary", has_text="Liisa Lead").click()
        expect(nav.get_by_text("Lead adviser")).to_be_visible()
        expect(nav.get_by_role("link", name="Calendar")).to_be_visible()
        nav.get_by_role("link", name="Password").click()
        expect(page).to_have_url(re.compile(r"/account/password$"))
        nav.locator("summary", has_text="Liisa Lead").click()
        expect(nav.get_by_role("link", name="Password")).to_have_attribute("aria-current", "page")
        if scripts:  # axe itself is a script
            assert _serious_violations(page) == []
        nav.get_by_role("button", name="Log out").click()
        expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in")).to_be_visible()
    finally:
        page.context.close()


def test_on_a_phone_the_intake_steps_fold_so_the_question_comes_first(live_server, browser):
    with live_server.context():
        factories.user("spouse", email="new@example.org")
    page = _page(browser, viewport=PHONE)
    try:
        log_in(page, live_server, "new@example.org")
        page.goto(live_server.url + "/intake/")
        steps = page.get_by_role("navigation", name="Intake steps")
        summary = steps.locator("summary")
        expect(summary).to_contain_text("Step 1 of")
        first_field = page.locator("main form").get_by_role("textbox").first
        box = first_field.bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["height"], "the first question is below the fold"
        summary.click()
        expect(steps.locator("details [aria-current=step]")).to_be_visible()
    finally:
        page.context.close()


def test_a_failed_submit_puts_the_focus_on_the_error_summary(live_server, browser, world):
    page = _page(browser, viewport={"width": 1280, "height": 800})
    try:
        log_in(page, live_server, world["emails"]["spouse"])
        page.goto(live_server.url + "/account/password")
        page.get_by_role("button", name="Change password").click()
        summary = page.get_by_role("alert").filter(has_text="There is a problem")
        expect(summary).to_be_focused()
        link = summary.get_by_role("link", name="Current password: This field is required.")
        expect(link).to_have_attribute("href", "#current_password")
        link.click()
        expect(page.get_by_label("Current password")).to_be_focused()
    finally:
        page.context.close()


def test_the_header_meets_contrast_and_shows_focus(live_server, browser, world):
    page = _page(browser, viewport={"width": 1280, "height": 800})
    try:
        log_in(page, live_server, world["emails"]["adviser"])
        page.goto(live_server.url + "/desk")
        link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Desk")
        expect(link).to_have_attribute("aria-current", "page")
        link.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        outline = link.evaluate("e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth")
        assert outline.startswith("solid") and not outline.endswith(" 0px")
    finally:
        page.context.close()
