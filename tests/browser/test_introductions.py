"""The introduction journey through a real browser with CSRF on: the adviser finds a spouse
for an opening and proposes; the spouse sees what would be shared and consents; the
employer's link shows the named profile; the spouse withdraws and the same link shows
nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from hiddengems.employers import services as employers
from hiddengems.extensions import db
from hiddengems.skills import profile
from hiddengems.skills.models import Skill
from hiddengems.skills.starter import load_starter
from tests import factories
from tests.browser.test_adviser_journeys import log_in
from tests.employers.helpers import employer, opening

pytestmark = pytest.mark.browser


def _new_page(browser: Browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    context.set_default_timeout(10_000)
    return context.new_page()


def test_match_propose_consent_link_withdraw(live_server, browser: Browser):
    with live_server.context():
        load_starter()
        adviser = factories.user("adviser", name="Aino Adviser")
        spouse = factories.user("spouse", name="Maria Candidate")
        case = factories.assign(spouse, adviser, "introductions")
        skills = list(db.session.scalars(select(Skill.id).order_by(Skill.id).limit(2)))
        for skill in skills:
            profile.add_skill(case, skill, level="advanced", source="work", actor=adviser)
        at = employer(adviser, name="Nokia Oyj", business_id="0112038-9")
        employers.add_contact(at, {"name": "Riikka Recruiter", "email": "riikka@nokia.example"}, actor=adviser)
        job = opening(adviser, at, title="Test engineer", essential=skills)
        db.session.commit()
        emails, ids = {"adviser": adviser.email, "spouse": spouse.email}, {"job": job.id, "case": case.id}

    aino = _new_page(browser)
    log_in(aino, live_server, emails["adviser"])
    aino.goto(f"{live_server.url}/employers/openings/{ids['job']}")
    aino.get_by_role("link", name="Spouses who fit").click()
    expect(aino.locator("#matches")).to_contain_text("2 of 2 required skills, 2 validated")
    aino.goto(f"{live_server.url}/introductions/cases/{ids['case']}/propose?opening={ids['job']}")
    aino.get_by_label("Send to").select_option(label="Riikka Recruiter <riikka@nokia.example>")
    aino.get_by_role("button", name="Propose and ask for consent").click()
    expect(aino.locator("#intro-status")).to_contain_text("Consent requested")
    intro_url = aino.url

    maria = _new_page(browser)
    log_in(maria, live_server, emails["spouse"])
    maria.goto(f"{live_server.url}/introductions/mine")
    maria.get_by_role("link", name="Nokia Oyj · Test engineer").click()
    expect(maria.get_by_text("If you consent, the employer sees this")).to_be_visible()
    maria.get_by_role("button", name="I consent").click()
    expect(maria.locator("#intro-status")).to_contain_text("Consented")

    aino.goto(intro_url)
    aino.get_by_role("button", name="Send the profile link").click()
    expect(aino.locator("#intro-status")).to_contain_text("Introduced")
    with live_server.context():
        link = factories.link_from(factories.outbox("introduction_link")[-1], "/introductions/shared/")

    riikka = _new_page(browser)
    riikka.goto(f"{live_server.url}{link}")
    expect(riikka.locator(".profile-name")).to_have_text("Maria Candidate")

    maria.get_by_role("button", name="Withdraw my consent").click()
    expect(maria.locator("#intro-status")).to_contain_text("Withdrawn")
    riikka.goto(f"{live_server.url}{link}")
    expect(riikka.locator("#gone")).to_contain_text("no longer available")
    expect(riikka.locator("body")).not_to_contain_text("Maria Candidate")
