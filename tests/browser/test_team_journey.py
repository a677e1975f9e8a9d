"""The lead's and the admin's new journeys in a real browser with CSRF on: from the team's
workload to an adviser's cases, all of a page reassigned (JavaScript on) or all the filter
matches after a page that names the count (JavaScript off); a new colleague invited by the
admin chooses their password from the e-mail and logs in."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def _team(live_server, n: int = 3):
    with live_server.context():
        lead = factories.user("adviser", lead=True, name="Liisa Lead")
        leaving = factories.user("adviser", name="Aino Leaving")
        factories.user("adviser", name="Olli Other")
        cases = [factories.assign(factories.user("spouse", name=f"Spouse {i}"), leaving, "skills") for i in range(n)]
        return lead.email, [c.id for c in cases]


def _adviser_of(live_server, case_ids: list[int]) -> set[str]:
    from hiddengems.auth.models import User
    from hiddengems.cases.models import Case
    from hiddengems.extensions import db

    with live_server.context():
        return {db.session.get(User, db.session.get(Case, i).adviser_id).name for i in case_ids}


def test_the_lead_reassigns_a_whole_page_from_the_team_view(live_server, page: Page):
    email, case_ids = _team(live_server)
    log_in(page, live_server, email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Team").click()
    page.get_by_role("link", name=re.compile("open cases of Aino Leaving$")).click()
    expect(page.locator("table caption")).to_have_text("3 cases")
    # With JavaScript the header's link is a checkbox that ticks every box of the page.
    page.get_by_role("checkbox", name="Select all on this page").check()
    for i in range(3):
        expect(page.get_by_role("checkbox", name=f"Select Spouse {i}")).to_be_checked()
    page.get_by_label("Give to adviser").select_option(label="Olli Other")
    page.get_by_role("button", name="Reassign selected").click()
    expect(page.locator(".alert")).to_contain_text("3 case(s) given to Olli Other.")
    assert _adviser_of(live_server, case_ids) == {"Olli Other"}


def test_without_javascript_the_lead_reassigns_all_matching_after_seeing_the_count(live_server, browser):
    email, case_ids = _team(live_server, n=30)  # more than a page
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        log_in(page, live_server, email)
        page.goto(live_server.url + "/cases/team")
        page.get_by_role("link", name=re.compile("open cases of Aino Leaving$")).click()
        # "Select all on this page" is a link that ticks the boxes of this page.
        page.get_by_role("link", name="Select all on this page").click()
        expect(page.get_by_role("checkbox", name="Select Spouse 29")).to_be_checked()
        page.get_by_label("Give to adviser").select_option(label="Olli Other")
        page.get_by_role("button", name=re.compile("Reassign all 30 cases matching the filter")).click()
        expect(page.locator("p.lead")).to_have_text("Give all 30 open cases matching the filter to Olli Other?")
        assert _adviser_of(live_server, case_ids) == {"Aino Leaving"}  # nothing changed yet
        page.get_by_role("button", name="Yes, give 30 cases to Olli Other").click()
        expect(page.locator(".alert")).to_contain_text("30 case(s) given to Olli Other.")
        assert _adviser_of(live_server, case_ids) == {"Olli Other"}
    finally:
        context.close()


def test_a_new_colleague_sets_their_password_from_the_invitation(live_server, new_page):
    with live_server.context():
        admin_email = factories.user("admin", name="Ada Admin").email
    admin = new_page()
    log_in(admin, live_server, admin_email)
    admin.goto(live_server.url + "/admin/users/new")
    admin.get_by_label("Full name").fill("Nina New")
    admin.get_by_label("E-mail").fill("nina@example.org")
    admin.get_by_label("Role").select_option("adviser")
    admin.get_by_role("button", name="Create account and send the invitation").click()
    expect(admin.locator(".alert")).to_contain_text("an invitation to choose a password is on its way")
    with live_server.context():
        link = factories.link_from(factories.outbox("invitation")[0], "/invitation/")

    nina = new_page()
    nina.goto(live_server.url + link)
    expect(nina.get_by_role("heading", name="Choose your password")).to_be_visible()
    nina.get_by_label("New password", exact=True).fill("granite orchard violin")
    nina.get_by_label("Repeat the new password").fill("granite orchard violin")
    nina.get_by_role("button", name="Set new password").click()
    expect(nina.locator(".alert")).to_contain_text("Your password is set.")
    nina.get_by_label("E-mail").fill("nina@example.org")
    nina.get_by_label("Password").fill("granite orchard violin")
    nina.get_by_role("button", name="Log in").click()
    expect(nina).to_have_url(re.compile(r"/desk$"))
