"""An introduction from proposal to answer, as its people meet it: the adviser proposes,
the spouse sees what would be shared and consents, the employer's link shows the named
profile and takes an answer without an account; withdrawn consent, an expired, altered or
guessed link show nothing, and every opening is logged."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from hiddengems.extensions import db
from hiddengems.intake.models import IntakeProfile, LanguageSkill
from hiddengems.introductions.models import Introduction, IntroductionLink, LinkOpening
from hiddengems.reminders.models import FollowUp
from hiddengems.skills import profile
from hiddengems.skills.models import Skill
from hiddengems.skills.starter import load_starter
from hiddengems.timeutil import utcnow
from tests.employers.helpers import employer, opening


@pytest.fixture
def world(app, f):
    load_starter()
    adviser = f.user("adviser", name="Aino Adviser")
    spouse = f.user("spouse", name="Maria Candidate")
    case = f.assign(spouse, adviser, "introductions")
    skill = db.session.scalar(select(Skill.id).order_by(Skill.id).limit(1))
    profile.add_skill(case, skill, level="advanced", source="work", actor=adviser)
    intake = IntakeProfile(case_id=case.id, education_level=6)
    db.session.add(intake)
    db.session.flush()
    db.session.add(LanguageSkill(profile_id=intake.id, language="fi", level="B1", position=0))
    at = employer(adviser, name="Nokia Oyj", business_id="0112038-9")
    from hiddengems.employers import services

    services.add_contact(at, {"name": "Riikka Recruiter", "email": "riikka@nokia.example"}, actor=adviser)
    job = opening(adviser, at, title="Test engineer", essential=[skill])
    db.session.commit()
    return adviser, spouse, case, at, job


def logged_in(app, f, user):
    client = app.test_client()
    assert f.login(client, user).status_code == 302
    return client


def _propose(client, case, job) -> Introduction:
    form = client.get(f"/introductions/cases/{case.id}/propose?opening={job.id}").get_data(as_text=True)
    assert "Nokia Oyj" in form and "riikka@nokia.example" in form
    contact_id = db.session.scalar(select(db.text("id FROM employer_contact")))
    data = {"employer": "0112038-9", "opening": str(job.id), "contact": str(contact_id), "note": "A good fit."}
    page = client.post(f"/introductions/cases/{case.id}/propose", data=data)
    assert page.status_code == 302, page.get_data(as_text=True)
    return db.session.scalar(select(Introduction))


def test_consent_first_then_the_named_profile_then_the_answer_reaches_the_adviser(app, f, world):
    adviser, spouse, case, _at, job = world
    advisers = logged_in(app, f, adviser)
    intro = _propose(advisers, case, job)
    assert intro.status == "consent_requested"
    asked = f.outbox("introduction_consent")
    assert [m.to_address for m in asked] == [spouse.email]

    # Nothing can be sent before the spouse consents.
    advisers.post(f"/introductions/{intro.id}/send")
    assert f.outbox("introduction_link") == []
    assert "has not consented" in advisers.get(f"/introductions/{intro.id}").get_data(as_text=True)

    spouses = logged_in(app, f, spouse)
    page = spouses.get(f"/introductions/{intro.id}/proposal").get_data(as_text=True)
    blind, named = page.split("Before you consent")[1].split("If you consent, the employer sees this")
    assert "Maria Candidate" not in blind and spouse.email not in blind and "Finnish B1" in blind
    assert "Maria Candidate" in named and "A good fit." in page
    assert spouses.post(f"/introductions/{intro.id}/consent").status_code == 302
    assert db.session.get(Introduction, intro.id).consented_at is not None

    advisers.post(f"/introductions/{intro.id}/send")
    [message] = f.outbox("introduction_link")
    assert message.to_address == "riikka@nokia.example"
    assert "/introductions/shared/" not in message.body  # the link is a secret, not in the stored body
    url = f.link_from(message, "/introductions/shared/")
    assert db.session.get(Introduction, intro.id).status == "introduced"

    employer_contact = app.test_client()
    shown = employer_contact.get(url)
    assert shown.status_code == 200 and "Maria Candidate" in shown.get_data(as_text=True)
    answered = employer_contact.post(url, data={"answer": "yes", "note": "Tuesday at 10?"})
    assert "your answer has reached the adviser" in answered.get_data(as_text=True)
    assert db.session.get(Introduction, intro.id).status == "meeting"
    follow_up = db.session.scalar(select(FollowUp))
    assert follow_up.assignee_id == adviser.id and "Tuesday at 10?" in follow_up.title
    history = advisers.get(f"/introductions/{intro.id}").get_data(as_text=True)
    for words in (
        "Consent requested",
        "Consented",
        "Introduced",
        "Meeting",
        "the employer",
        "opened 2 times",
    ):  # the page, then the answer
        assert words in history, words


def test_withdrawn_consent_expiry_and_altered_links_show_nothing_and_are_logged(app, f, world):
    adviser, spouse, case, _at, job = world
    advisers = logged_in(app, f, adviser)
    intro = _propose(advisers, case, job)
    spouses = logged_in(app, f, spouse)
    spouses.post(f"/introductions/{intro.id}/consent")
    advisers.post(f"/introductions/{intro.id}/send")
    url = f.link_from(f.outbox("introduction_link")[0], "/introductions/shared/")
    anyone = app.test_client()
    assert anyone.get(url).status_code == 200

    altered = url[:-3] + ("aaa" if not url.endswith("aaa") else "bbb")
    page = anyone.get(altered)
    assert page.status_code == 404 and "Maria" not in page.get_data(as_text=True)
    assert anyone.get("/introductions/shared/guess").status_code == 404

    spouses.post(f"/introductions/{intro.id}/withdraw")
    page = anyone.get(url)
    assert page.status_code == 410 and "Maria" not in page.get_data(as_text=True)
    assert "no longer available" in page.get_data(as_text=True)
    assert db.session.get(Introduction, intro.id).status == "withdrawn"
    outcomes = list(db.session.scalars(select(LinkOpening.outcome).order_by(LinkOpening.id)))
    assert outcomes == ["shown", "invalid", "invalid", "revoked"]

    # A new proposal, consented and sent, whose link has run out.
    intro2 = _propose_again(advisers, case, job)
    spouses.post(f"/introductions/{intro2}/consent")
    advisers.post(f"/introductions/{intro2}/send")
    url2 = f.link_from(f.outbox("introduction_link")[-1], "/introductions/shared/")
    db.session.execute(
        update(IntroductionLink)
        .where(IntroductionLink.introduction_id == intro2)
        .values(expires_at=utcnow() - timedelta(minutes=1))
    )
    db.session.commit()
    page = anyone.get(url2)
    assert page.status_code == 410 and "has expired" in page.get_data(as_text=True)


def _propose_again(client, case, job) -> int:
    data = {"employer": "0112038-9", "opening": str(job.id), "contact": "", "note": ""}
    assert client.post(f"/introductions/cases/{case.id}/propose", data=data).status_code == 302
    made = db.session.scalar(select(Introduction).order_by(Introduction.id.desc()))
    made.contact_id = db.session.scalar(select(db.text("id FROM employer_contact")))
    db.session.commit()
    return made.id


def test_another_spouse_cannot_see_or_answer_a_proposal(app, f, world):
    adviser, _spouse, case, _at, job = world
    intro = _propose(logged_in(app, f, adviser), case, job)
    other = logged_in(app, f, f.user("spouse"))
    assert other.get(f"/introductions/{intro.id}/proposal").status_code == 403
    assert other.post(f"/introductions/{intro.id}/consent").status_code == 403
    assert db.session.get(Introduction, intro.id).consented_at is None


def test_a_wrong_employer_or_a_closed_case_gets_a_message(app, f, world):
    adviser, _spouse, case, _at, _job = world
    client = logged_in(app, f, adviser)
    page = client.get(f"/introductions/cases/{case.id}/propose?employer=0000000-0")
    assert "No employer in the directory has this business ID or number." in page.get_data(as_text=True)
    page = client.post(f"/introductions/cases/{case.id}/propose", data={"employer": "0112038-9", "contact": "999"})
    assert "Not a valid choice" in page.get_data(as_text=True)
    assert db.session.scalar(select(Introduction)) is None


def test_hired_offers_to_close_the_case_as_employed_filled_from_the_introduction(app, f, world):
    adviser, spouse, case, _at, job = world
    advisers = logged_in(app, f, adviser)
    intro = _propose(advisers, case, job)
    logged_in(app, f, spouse).post(f"/introductions/{intro.id}/consent")
    advisers.post(f"/introductions/{intro.id}/send")
    for status in ("interview", "offer", "hired"):
        assert advisers.post(f"/introductions/{intro.id}/status", data={"status": status}).status_code == 302
    page = advisers.get(f"/introductions/{intro.id}").get_data(as_text=True)
    assert "Close the case as employed" in page
    assert advisers.post(f"/introductions/{intro.id}/status", data={"status": "offer"}).status_code == 302
    assert db.session.get(Introduction, intro.id).status == "hired"  # hired is the end
    start = page.index('id="close-employed" href="') + len('id="close-employed" href="')
    close_url = page[start : page.index('"', start)].replace("&amp;", "&")
    form = advisers.get(close_url).get_data(as_text=True)
    assert 'value="Nokia Oyj"' in form and 'value="Test engineer"' in form
    assert '<option selected value="employed_full_time">' in form or 'value="employed_full_time" selected' in form
