"""The training journey through a real browser with CSRF on: a spouse sees a recommendation
with its reason, applies, is waitlisted; a place frees, they move up and get the e-mail;
the adviser records completion and the programme's skills reach the profile as evidence."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from hiddengems.extensions import db
from hiddengems.skills import profile
from hiddengems.skills.models import CaseSkill
from hiddengems.skills.starter import load_starter
from hiddengems.training.models import Enrolment
from tests import factories
from tests.browser.test_adviser_journeys import log_in
from tests.training.helpers import occupation_with_skills, programme

pytestmark = pytest.mark.browser

COURSE = "Data skills for newcomers"


def _new_page(browser: Browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    context.set_default_timeout(10_000)
    return context.new_page()


def test_recommended_waitlisted_moved_up_completed(live_server, browser: Browser):
    with live_server.context():
        load_starter()
        db.session.commit()
        adviser = factories.user("adviser", name="Aino Adviser")
        spouse = factories.user("spouse", name="Maria Spouse")
        case = factories.assign(spouse, adviser, "training")
        first = factories.assign(factories.user("spouse", name="Olga First"), adviser, "training")
        occupation, skills = occupation_with_skills(4)
        profile.add_target(case, occupation.id, actor=adviser)
        course = programme(adviser, skill_ids=[s.id for s in skills[:3]], capacity=1, auto_confirm=True, title=COURSE)
        db.session.add(Enrolment(case_id=first.id, programme_id=course.id, status="enrolled"))
        course.enrolled = 1
        db.session.commit()
        ids = {"case": case.id, "course": course.id, "spouse": spouse.id}
        emails = {"spouse": spouse.email, "adviser": adviser.email}
        taught = {s.id for s in skills[:3]}
        reason = f"Teaches 3 of the {len(skills)} skills missing for {occupation.preferred_label}; taught in English"

    maria = _new_page(browser)
    log_in(maria, live_server, emails["spouse"])
    maria.get_by_role("link", name="Training", exact=True).first.click()
    maria.get_by_role("link", name="Recommended for you").click()
    expect(maria.locator(".recommendation").first).to_contain_text(COURSE)
    expect(maria.locator(".reason").first).to_contain_text(reason)
    maria.get_by_role("link", name=COURSE).click()
    expect(maria.locator("#places")).to_contain_text("Full: you can join the waitlist")
    maria.get_by_role("button", name="Join the waitlist").click()
    expect(maria.get_by_text("you are on the waitlist")).to_be_visible()
    expect(maria.locator("#my-status")).to_contain_text("Number 1 on the waitlist.")

    aino = _new_page(browser)
    log_in(aino, live_server, emails["adviser"])
    aino.goto(f"{live_server.url}/training/programmes/{ids['course']}")
    aino.get_by_role("link", name="Participants").click()
    olga = aino.locator("tr", has_text="Olga First")
    olga.get_by_label("How it ended").select_option("dropped")
    olga.get_by_role("button", name="Record").click()
    expect(aino.get_by_text("Recorded.")).to_be_visible()

    with live_server.context():
        (mail,) = factories.outbox("training_moved_up")
        assert mail.user_id == ids["spouse"] and COURSE in mail.subject
        link = factories.link_from(mail, "/training/programmes/")
    maria.goto(live_server.url + link)
    expect(maria.locator("#my-status")).to_contain_text("Enrolled")

    row = aino.locator("tr", has_text="Maria Spouse")
    row.get_by_label("Certificate").fill("Certificate 2026-114")
    row.get_by_role("button", name=re.compile("^Completed")).click()
    expect(aino.get_by_text("Completion recorded; 3 skills added to the profile for validation.")).to_be_visible()
    aino.goto(f"{live_server.url}/cases/{ids['case']}")
    expect(aino.locator("#training-title").locator("..")).to_contain_text(COURSE)
    expect(aino.get_by_text(f"Completed {COURSE} (Tampere Adult Education Centre).")).to_be_visible()  # the timeline

    with live_server.context():
        evidence = db.session.scalars(select(CaseSkill).where(CaseSkill.case_id == ids["case"])).all()
        assert {row.skill_id for row in evidence} == taught
        assert all(row.source == "training" and row.validated_at is None for row in evidence)
    maria.goto(live_server.url + "/home")
    expect(maria.locator("#my-training-title").locator("..")).to_contain_text("Completed")
    maria.context.close()
    aino.context.close()
