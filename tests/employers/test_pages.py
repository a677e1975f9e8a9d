"""The directory and openings as advisers meet them: messages beside the fields with
nothing typed lost, the search, contacts, merging, the opening form."""

from __future__ import annotations

from sqlalchemy import func, select

from hiddengems.employers.models import Employer, EmployerContact, Opening
from hiddengems.extensions import db
from hiddengems.skills import profile
from hiddengems.skills.models import Skill
from hiddengems.skills.starter import load_starter
from tests.employers.helpers import employer, opening


def logged_in(app, f, user):
    client = app.test_client()
    assert f.login(client, user).status_code == 302
    return client


def employer_form(**given) -> dict:
    data = {
        "name": "Vaisala Oyj",
        "business_id": "0124416-2",
        "sector": "Measurement",
        "size": "large",
        "city": "Vantaa",
        "website": "https://www.vaisala.com",
        "working_language": "english_ok",
        "notes": "Hires English speakers in R&D.",
    }
    data.update(given)
    return data


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_an_adviser_adds_an_employer_and_a_wrong_business_id_is_explained_beside_it(app, f):
    client = logged_in(app, f, f.user("adviser"))
    page = client.post("/employers/new", data=employer_form(business_id="0124416-3", name="Vaisala\x00 Oyj"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "check digit is wrong: check the number." in html
    assert 'value="Vaisala Oyj"' in html and 'value="0124416-3"' in html  # kept, the NUL gone
    assert count(Employer) == 0

    html = client.post("/employers/new", data=employer_form(business_id="124416")).get_data(as_text=True)
    assert "seven digits, a hyphen and a check digit" in html
    html = client.post("/employers/new", data=employer_form(website="vaisala")).get_data(as_text=True)
    assert "Give the whole address" in html
    html = client.post("/employers/new", data=employer_form(working_language="klingon")).get_data(as_text=True)
    assert "Not a valid choice" in html

    page = client.post("/employers/new", data=employer_form(business_id=" 124416-2"))
    assert page.status_code == 302
    made = db.session.scalar(select(Employer))
    assert (made.name, made.business_id, made.working_language) == ("Vaisala Oyj", "0124416-2", "english_ok")

    again = client.post("/employers/new", data=employer_form(name="Vaisala again")).get_data(as_text=True)
    assert "Another employer in the directory has this business ID." in again
    assert count(Employer) == 1


def test_the_directory_searches_and_pages(app, f):
    adviser = f.user("adviser")
    employer(adviser, name="Nokia Oyj", city="Espoo", business_id="0112038-9")
    employer(adviser, name="Kone Oyj", city="Espoo", working_language="finnish_needed")
    client = logged_in(app, f, adviser)
    html = client.get("/employers?q=nokia").get_data(as_text=True)
    assert "Nokia Oyj" in html and "Kone Oyj" not in html
    html = client.get("/employers?working_language=finnish_needed").get_data(as_text=True)
    assert "Kone Oyj" in html and "Nokia Oyj" not in html
    html = client.get("/employers?q=" + "x" * 101).get_data(as_text=True)
    assert "Nokia Oyj" in html and "Kone Oyj" in html  # a search too long is left out, with its message
    assert client.get("/employers?page=99999999999999999999").status_code == 400  # as every list


def test_contacts_need_a_name_and_a_real_e_mail_and_can_be_removed(app, f):
    adviser = f.user("adviser")
    at = employer(adviser)
    client = logged_in(app, f, adviser)
    page = client.post(f"/employers/{at.id}/contacts", data={"name": "Liisa", "email": "liisa at example"})
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "Not an e-mail address: check it." in html and 'value="Liisa"' in html
    assert count(EmployerContact) == 0

    page = client.post(f"/employers/{at.id}/contacts", data={"name": "Liisa", "role": "HR", "email": "liisa@ex.fi"})
    assert page.status_code == 302
    assert "liisa@ex.fi" in client.get(f"/employers/{at.id}").get_data(as_text=True)
    contact = db.session.scalar(select(EmployerContact))
    assert client.post(f"/employers/contacts/{contact.id}/remove").status_code == 302
    assert "liisa@ex.fi" not in client.get(f"/employers/{at.id}").get_data(as_text=True)


def test_merging_a_duplicate_by_business_id_or_number(app, f):
    adviser = f.user("adviser")
    keeper = employer(adviser, name="Kone Oyj", business_id="0109862-8")
    dup = employer(adviser, name="KONE Elevators")
    job = opening(adviser, dup, title="Service technician")
    client = logged_in(app, f, adviser)

    page = client.post(f"/employers/{dup.id}/merge", data={"into": "9999999-9"})
    assert page.status_code == 422
    assert "No employer in the directory has this business ID or number." in page.get_data(as_text=True)
    page = client.post(f"/employers/{dup.id}/merge", data={"into": str(dup.id)})
    assert "Choose another employer." in page.get_data(as_text=True)

    page = client.post(f"/employers/{dup.id}/merge", data={"into": "0109862-8"})
    assert page.status_code == 302 and page.location.endswith(f"/employers/{keeper.id}")
    assert "Service technician" in client.get(f"/employers/{keeper.id}").get_data(as_text=True)
    assert db.session.get(Opening, job.id).employer_id == keeper.id
    assert "Merged into another employer." in client.get(f"/employers/{dup.id}").get_data(as_text=True)
    assert client.get(f"/employers/{dup.id}/edit").status_code == 403


def test_an_opening_with_skills_unknown_ones_named_beside_the_field(app, f):
    load_starter()
    adviser = f.user("adviser")
    at = employer(adviser)
    labels = db.session.scalars(select(Skill.preferred_label).order_by(Skill.id).limit(3)).all()
    client = logged_in(app, f, adviser)
    data = {
        "title": "Data analyst",
        "kind": "job",
        "status": "open",
        "essential_skills": f"{labels[0]}\nno such skill",
        "nice_skills": labels[2],
        "min_finnish": "A2",
        "deadline": "1999-01-01",
    }
    html = client.post(f"/employers/{at.id}/openings/new", data=data).get_data(as_text=True)
    assert "Give a date between 2000 and 2100." in html
    data["deadline"] = "2030-01-31"
    html = client.post(f"/employers/{at.id}/openings/new", data=data).get_data(as_text=True)
    assert "Not in the taxonomy: no such skill" in html and "Data analyst" in html
    html = client.post(f"/employers/{at.id}/openings/new", data={**data, "occupation": "astronaut of dreams"})
    assert "Not an occupation in the taxonomy." in html.get_data(as_text=True)
    assert count(Opening) == 0

    data["essential_skills"] = f"{labels[0]}\n{labels[1].upper()}"
    page = client.post(f"/employers/{at.id}/openings/new", data=data)
    assert page.status_code == 302
    html = client.get(page.location).get_data(as_text=True)
    assert labels[0] in html and labels[2] in html and "Finnish at least A2" in html
    made = db.session.scalar(select(Opening))
    form = client.get(f"/employers/openings/{made.id}/edit").get_data(as_text=True)
    assert labels[1] in form  # the form comes back with what was saved


def test_spouses_hr_and_admins_never_see_the_directory(app, f):
    adviser = f.user("adviser")
    at = employer(adviser)
    for role in ("spouse", "hr", "admin"):
        client = logged_in(app, f, f.user(role))
        assert client.get("/employers").status_code == 403, role
        assert client.get(f"/employers/{at.id}").status_code == 403, role
    client = logged_in(app, f, adviser)
    assert client.get("/employers/2147483648").status_code == 404
    assert client.get("/employers/٣").status_code == 404


def test_an_adviser_sees_spouses_ranked_with_reasons_and_filters_them(app, f):
    load_starter()
    adviser = f.user("adviser")
    skills = list(db.session.scalars(select(Skill.id).order_by(Skill.id).limit(4)))
    job = opening(adviser, employer(adviser), essential=skills[:3], title="Analyst")
    maria = f.assign(f.user("spouse", name="Maria Match"), adviser, "introductions")
    other = f.assign(f.user("spouse", name="Olli Other"), adviser, "training")
    for skill in skills[:3]:
        profile.add_skill(maria, skill, level="advanced", source="work", actor=adviser)
    profile.add_skill(other, skills[0], level="basic", source="work", actor=adviser)
    db.session.commit()
    client = logged_in(app, f, adviser)

    html = client.get(f"/employers/openings/{job.id}/matches").get_data(as_text=True)
    assert html.index("Maria Match") < html.index("Olli Other")
    assert "3 of 3 required skills, 3 validated" in html and "1 of 3 required skills, 1 validated" in html
    html = client.get(f"/employers/openings/{job.id}/matches?stage=training").get_data(as_text=True)
    assert "Olli Other" in html and "Maria Match" not in html
    page = client.get(f"/employers/openings/{job.id}/matches?organisation=99999999999999999999&stage=nope")
    assert page.status_code == 200 and "Choose an organisation from the list." in page.get_data(as_text=True)

    html = client.get(f"/employers/cases/{maria.id}/openings").get_data(as_text=True)
    assert "Analyst" in html and "3 of 3 required skills" in html
    assert client.get(f"/employers/cases/{maria.id}/openings").status_code == 200
    stranger = logged_in(app, f, f.user("adviser"))
    assert stranger.get(f"/employers/cases/{maria.id}/openings").status_code == 403


def test_a_spouse_opts_out_of_being_considered_and_drops_off_every_list(app, f):
    load_starter()
    adviser = f.user("adviser")
    skill = db.session.scalar(select(Skill.id).order_by(Skill.id).limit(1))
    job = opening(adviser, employer(adviser), essential=[skill])
    spouse = f.user("spouse", name="Private Person")
    case = f.assign(spouse, adviser, "introductions")
    profile.add_skill(case, skill, level="basic", source="work", actor=adviser)
    db.session.commit()
    mine = logged_in(app, f, spouse)
    assert "checked" in mine.get("/employers/considered").get_data(as_text=True)  # considered unless they say no
    assert mine.post("/employers/considered", data={}).status_code == 302  # unticked
    advisers = logged_in(app, f, adviser)
    assert "Private Person" not in advisers.get(f"/employers/openings/{job.id}/matches").get_data(as_text=True)
    assert "asked not to be considered" in advisers.get(f"/employers/cases/{case.id}/openings").get_data(as_text=True)
    assert mine.post("/employers/considered", data={"considered": "y"}).status_code == 302
    assert "Private Person" in advisers.get(f"/employers/openings/{job.id}/matches").get_data(as_text=True)
