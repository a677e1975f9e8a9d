"""The training pages as users meet them: the catalogue and its filters, the programme
form's messages, applying and the waitlist, the participant list and its CSV, the
calendar file, recommendations with their reasons."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from hiddengems.extensions import db
from hiddengems.skills import profile
from hiddengems.skills.starter import load_starter
from hiddengems.timeutil import helsinki_today
from hiddengems.training.models import Enrolment, Programme
from tests.training.helpers import occupation_with_skills, programme


@pytest.fixture
def people(f):
    adviser = f.user("adviser", name="Aino Adviser")
    spouse = f.user("spouse", name="Maria Spouse")
    case = f.assign(spouse, adviser, "training")
    return adviser, spouse, case


def logged_in(app, f, user):
    client = app.test_client()
    assert f.login(client, user).status_code == 302
    return client


def form(**given) -> dict:
    today = helsinki_today()
    data = {
        "title": "Excel for office work",
        "kind": "course",
        "provider": "Tampere Adult Education Centre",
        "description": "Spreadsheets from the start.",
        "starts_on": (today + timedelta(days=10)).isoformat(),
        "ends_on": (today + timedelta(days=40)).isoformat(),
        "schedule": "Wed 17-20",
        "place": "Tampere",
        "language": "en",
        "min_finnish": "",
        "min_english": "B1",
        "capacity": "12",
        "cost": "0",
        "skills": "",
        "open_for_signup": "y",
    }
    data.update(given)
    return data


def test_an_adviser_adds_a_programme_and_bad_values_get_messages_beside_the_fields(app, f, people):
    adviser, _spouse, _case = people
    client = logged_in(app, f, adviser)
    today = helsinki_today()
    bad = form(
        title="Excel\x00 for office work",
        ends_on=(today - timedelta(days=1)).isoformat(),
        capacity="99999999999999999999",
        skills="no such skill at all",
    )
    page = client.post("/training/programmes/new", data=bad)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Capacity: a whole number from 0 to 10,000." in html
    assert 'value="Excel for office work"' in html  # kept, without the NUL
    assert db.session.scalar(select(db.func.count()).select_from(Programme)) == 0

    for cost in ("NaN", "sNaN", "Infinity", "1e400", "-1"):
        page = client.post("/training/programmes/new", data=form(cost=cost))
        assert "Cost: from 0 to 100,000 euros." in page.get_data(as_text=True), cost
    page = client.post("/training/programmes/new", data=form(capacity="²"))
    assert page.status_code == 200 and "Not a valid integer value." in page.get_data(as_text=True)

    page = client.post("/training/programmes/new", data=form(ends_on=(today - timedelta(days=1)).isoformat()))
    assert "The end date is before the start date." in page.get_data(as_text=True)

    page = client.post("/training/programmes/new", data=form(skills="no such skill at all"))
    assert "Not in the taxonomy: no such skill at all" in page.get_data(as_text=True)

    page = client.post("/training/programmes/new", data=form())
    assert page.status_code == 302
    created = db.session.scalar(select(Programme))
    assert (created.title, created.capacity, created.min_english) == ("Excel for office work", 12, "B1")


def test_capacity_below_the_enrolled_is_refused_with_the_number(app, f, people):
    adviser, _spouse, case = people
    course = programme(adviser, capacity=2)
    db.session.add(Enrolment(case_id=case.id, programme_id=course.id, status="enrolled"))
    course.enrolled = 1
    db.session.commit()
    client = logged_in(app, f, adviser)
    page = client.post(f"/training/programmes/{course.id}/edit", data=form(title=course.title, capacity="0"))
    assert "Capacity cannot go below the 1 people already enrolled." in page.get_data(as_text=True)
    assert db.session.get(Programme, course.id).capacity == 2


def test_a_spouse_finds_a_programme_applies_and_is_waitlisted_when_full(app, f, people):
    adviser, spouse, case = people
    full = programme(adviser, capacity=1, auto_confirm=True, title="Finnish for work A2", language="fi")
    programme(adviser, title="Closed course", open_for_signup=False)
    other = f.assign(f.user("spouse"), adviser, "training")
    db.session.add(Enrolment(case_id=other.id, programme_id=full.id, status="enrolled"))
    full.enrolled = 1
    db.session.commit()
    client = logged_in(app, f, spouse)

    listing = client.get("/training/programmes?language=fi").get_data(as_text=True)
    assert "Finnish for work A2" in listing and "Closed course" not in listing
    assert "Full: you can join the waitlist" in listing
    assert "Finnish for work A2" not in client.get("/training/programmes?kind=workshop").get_data(as_text=True)

    page = client.get(f"/training/programmes/{full.id}").get_data(as_text=True)
    assert "Join the waitlist" in page
    answer = client.post(f"/training/programmes/{full.id}/apply", follow_redirects=True).get_data(as_text=True)
    assert "you are on the waitlist" in answer and "Number 1 on the waitlist." in answer
    again = client.post(f"/training/programmes/{full.id}/apply", follow_redirects=True).get_data(as_text=True)
    assert "You have already applied to this programme." in again
    assert db.session.scalar(select(Enrolment.status).where(Enrolment.case_id == case.id)) == "waitlisted"


def test_applying_to_a_closed_programme_says_so(app, f, people):
    adviser, spouse, _case = people
    closed = programme(adviser, open_for_signup=False)
    client = logged_in(app, f, spouse)
    answer = client.post(f"/training/programmes/{closed.id}/apply", follow_redirects=True).get_data(as_text=True)
    assert "This programme is not open for sign-up." in answer
    assert db.session.scalar(select(db.func.count()).select_from(Enrolment)) == 0


def test_bad_filters_and_ids_are_no_500(app, f, people):
    adviser, spouse, _case = people
    client = logged_in(app, f, spouse)
    assert client.get("/training/programmes?starts_after=31.31.2026&kind=bogus&page=%C2%B2").status_code == 400
    assert client.get("/training/programmes?starts_after=31.31.2026&kind=bogus&q=%00x").status_code == 200
    assert client.get(f"/training/programmes/{2**63}").status_code == 404
    assert client.get("/training/programmes/99999").status_code == 404
    assert client.post("/training/programmes/99999/apply").status_code == 404


def test_the_adviser_confirms_with_a_language_warning_and_exports_the_participants(app, f, people):
    adviser, spouse, case = people
    course = programme(adviser, language="fi", min_finnish="B1", title="Työelämän suomi")
    db.session.add(Enrolment(case_id=case.id, programme_id=course.id, status="applied"))
    evil = f.assign(f.user("spouse", name="=HYPERLINK(1)"), adviser, "training")
    db.session.add(Enrolment(case_id=evil.id, programme_id=course.id, status="applied"))
    db.session.commit()
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.case_id == case.id))
    client = logged_in(app, f, adviser)
    answer = client.post(f"/training/enrolments/{enrolment.id}/confirm", follow_redirects=True)
    text = answer.get_data(as_text=True)
    assert "The programme asks for Finnish B1; the spouse&#39;s intake says nothing." in text
    assert "Enrolled." in text
    assert db.session.get(Enrolment, enrolment.id).status == "enrolled"

    csv = client.get(f"/training/programmes/{course.id}/participants.csv")
    assert csv.mimetype == "text/csv" and "attachment" in csv.headers["Content-Disposition"]
    lines = csv.get_data(as_text=True).splitlines()
    assert lines[0].startswith("Name,E-mail,Status")
    assert any(line.startswith("Maria Spouse,") and ",Enrolled," in line for line in lines)
    assert any(line.startswith("'=HYPERLINK(1)") for line in lines)  # no formula for the spreadsheet


def test_another_advisers_enrolment_is_refused(app, f, people):
    adviser, _spouse, case = people
    course = programme(adviser)
    enrolment = Enrolment(case_id=case.id, programme_id=course.id, status="applied")
    db.session.add(enrolment)
    db.session.commit()
    other = logged_in(app, f, f.user("adviser"))
    assert other.post(f"/training/enrolments/{enrolment.id}/confirm").status_code == 403
    assert db.session.get(Enrolment, enrolment.id).status == "applied"


def test_the_calendar_file_has_the_rounds_dates(app, f, people):
    adviser, spouse, _case = people
    course = programme(adviser, title="Interview workshop", schedule="Sat 10-14")
    client = logged_in(app, f, spouse)
    answer = client.get(f"/training/programmes/{course.id}/calendar.ics")
    assert answer.mimetype == "text/calendar"
    event = next(iter(Calendar.from_ical(answer.data).walk("VEVENT")))
    assert str(event["summary"]) == "Interview workshop"
    assert event.decoded("dtstart") == course.starts_on
    assert event.decoded("dtend") == course.ends_on + timedelta(days=1)
    assert "Sat 10-14" in str(event["description"])
    ongoing = programme(adviser, starts_on=None, ends_on=None)
    assert client.get(f"/training/programmes/{ongoing.id}/calendar.ics").status_code == 404


def test_the_spouse_sees_recommendations_with_reasons_and_their_training_at_home(app, f, people):
    load_starter()
    adviser, spouse, case = people
    occupation, skills = occupation_with_skills(3)
    profile.add_target(case, occupation.id, actor=adviser)
    course = programme(adviser, skill_ids=[s.id for s in skills[:2]], title="Skills for the target")
    db.session.commit()
    client = logged_in(app, f, spouse)
    page = client.get("/training/recommendations").get_data(as_text=True)
    assert "Skills for the target" in page
    assert f"Teaches 2 of the {len(skills)} skills missing for {occupation.preferred_label}; taught in" in page

    client.post(f"/training/programmes/{course.id}/apply")
    home = client.get("/home").get_data(as_text=True)
    assert "My training" in home and "Skills for the target" in home and "Applied" in home
    adviser_client = logged_in(app, f, adviser)
    assert "Skills for the target" in adviser_client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Maria Spouse" in adviser_client.get("/desk").get_data(as_text=True)


def test_copy_makes_the_next_round_to_edit(app, f, people):
    adviser, _spouse, _case = people
    course = programme(adviser, title="Mentoring circle", kind="mentoring")
    client = logged_in(app, f, adviser)
    answer = client.post(f"/training/programmes/{course.id}/copy")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/edit")
    copy = db.session.scalar(select(Programme).where(Programme.copied_from_id == course.id))
    assert copy.title == "Mentoring circle" and copy.starts_on is None


def test_a_too_long_certificate_is_refused_with_a_message_and_nothing_changes(app, f, people):
    adviser, _spouse, case = people
    course = programme(adviser)
    enrolment = Enrolment(case_id=case.id, programme_id=course.id, status="enrolled")
    db.session.add(enrolment)
    course.enrolled = 1
    db.session.commit()
    client = logged_in(app, f, adviser)
    answer = client.post(
        f"/training/enrolments/{enrolment.id}/complete", data={"certificate": "x" * 201}, follow_redirects=True
    )
    assert "Certificate: Field cannot be longer than 200 characters." in answer.get_data(as_text=True)
    assert db.session.get(Enrolment, enrolment.id).status == "enrolled"
