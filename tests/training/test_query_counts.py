"""The training pages make a fixed number of SQL queries, whatever the size of the
catalogue, the participant list or the spouse's profile."""

from __future__ import annotations

from sqlalchemy import select

from hiddengems.extensions import db
from hiddengems.skills import profile
from hiddengems.skills.models import Occupation
from hiddengems.skills.starter import load_starter
from hiddengems.training.models import Enrolment
from tests.training.helpers import occupation_with_skills, programme

# (role, page): queries. The user is one in each.
EXPECTED = {
    # the user; the page's rows; the total
    ("spouse", "catalogue"): 3,
    ("adviser", "catalogue"): 3,
    # the user; the programme; its skills; the case; the enrolment; the spouse's languages; the waitlist
    ("spouse", "programme"): 7,
    # the user; the programme; its skills; the adviser's cases for the recommend form; the waitlist
    ("adviser", "programme"): 5,
    # the user; the case; held skills; targets; their occupations; what they need; programmes teaching
    # the gap; the case's enrolments; the spouse's languages; the chosen programmes
    ("spouse", "recommendations"): 10,
    # the user; the programme; the participants with names; the waitlist
    ("adviser", "participants"): 4,
}


def _grow(f, adviser, occupation, skills, course, n: int) -> None:
    for i in range(n):
        case = f.assign(f.user("spouse"), adviser, "training")
        profile.add_target(case, occupation.id, actor=adviser)
        db.session.add(Enrolment(case_id=case.id, programme_id=course.id, status=("applied", "waitlisted")[i % 2]))
        programme(adviser, skill_ids=[s.id for s in skills[i % len(skills) :][:2]], commit=False)
    db.session.commit()


def _count(clients, urls, queries) -> dict:
    counts = {}
    for (role, name), url in urls.items():
        clients[role].get(url)
        with queries:
            response = clients[role].get(url)
        assert response.status_code == 200, (role, name, response.status_code)
        counts[role, name] = queries.count
    return counts


def test_training_pages_make_a_fixed_number_of_queries(app, f, queries):
    load_starter()
    adviser = f.user("adviser")
    spouse = f.user("spouse")
    case = f.assign(spouse, adviser, "training")
    occupation, skills = occupation_with_skills(4)
    second = db.session.scalar(select(Occupation.id).where(Occupation.id != occupation.id).limit(1))
    profile.add_target(case, occupation.id, actor=adviser)
    profile.add_target(case, second, actor=adviser)
    profile.add_skill(case, skills[0].id, level="basic", source="work", actor=adviser)
    course = programme(adviser, skill_ids=[skills[1].id], capacity=3)
    clients = {}
    for role, person in (("spouse", spouse), ("adviser", adviser)):
        clients[role] = app.test_client()
        assert f.login(clients[role], person).status_code == 302
    urls = {
        ("spouse", "catalogue"): "/training/programmes",
        ("adviser", "catalogue"): "/training/programmes",
        ("spouse", "programme"): f"/training/programmes/{course.id}",
        ("adviser", "programme"): f"/training/programmes/{course.id}",
        ("spouse", "recommendations"): "/training/recommendations",
        ("adviser", "participants"): f"/training/programmes/{course.id}/participants",
    }
    small = _count(clients, urls, queries)
    _grow(f, adviser, occupation, skills, course, 30)
    large = _count(clients, urls, queries)
    assert large == small, "a training page's query count grows with the data (N+1?)"
    assert small == EXPECTED
