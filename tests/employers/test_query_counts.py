"""The directory, employer, opening and ranked pages make a fixed number of SQL queries,
whatever the size of the directory, an employer's openings and contacts, or the number of
spouses ranked."""

from __future__ import annotations

from sqlalchemy import select

from hiddengems.employers import services
from hiddengems.extensions import db
from hiddengems.skills import profile
from hiddengems.skills.models import Skill
from hiddengems.skills.starter import load_starter
from tests.employers.helpers import employer, opening

# page: queries, as an adviser (the user is one in each).
EXPECTED = {
    # the user; the page's rows; the total
    "directory": 3,
    # the user; the employer; its contacts; its openings; and introductions' panel: the
    # outcomes, the latest introductions, their answers, the contact history
    "employer": 8,
    # the user; the opening with employer and occupation; its skills
    "opening": 3,
    # the user; the opening; its skills; the organisations; the ranking
    "opening matches": 5,
    # the user; the case (with spouse); the spouse's languages; availability; the ranking; opted out?
    "case matches": 6,
}


def _grow(f, adviser, at, skills, n: int) -> None:
    for i in range(n):
        case = f.assign(f.user("spouse"), adviser, "introductions")
        for skill in skills[i % 3 :][:2]:
            profile.add_skill(case, skill, level="basic", source="work", actor=adviser)
        other = employer(adviser, commit=False)
        services.add_contact(at, {"name": f"Contact {i}"}, actor=adviser)
        opening(adviser, at, essential=skills[i % 4 :][:2], commit=False)
        opening(adviser, other, essential=skills[:1], commit=False)
    db.session.commit()


def _count(client, urls, queries) -> dict:
    counts = {}
    for name, url in urls.items():
        client.get(url)
        with queries:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = queries.count
    return counts


def test_employer_pages_make_a_fixed_number_of_queries(app, f, queries):
    load_starter()
    adviser = f.user("adviser")
    case = f.assign(f.user("spouse"), adviser, "introductions")
    skills = list(db.session.scalars(select(Skill.id).order_by(Skill.id).limit(6)))
    profile.add_skill(case, skills[0], level="basic", source="work", actor=adviser)
    at = employer(adviser)
    job = opening(adviser, at, essential=skills[:3], nice=skills[3:5], min_finnish="A2")
    client = app.test_client()
    assert f.login(client, adviser).status_code == 302
    urls = {
        "directory": "/employers",
        "employer": f"/employers/{at.id}",
        "opening": f"/employers/openings/{job.id}",
        "opening matches": f"/employers/openings/{job.id}/matches",
        "case matches": f"/employers/cases/{case.id}/openings",
    }
    small = _count(client, urls, queries)
    _grow(f, adviser, at, skills, 25)
    large = _count(client, urls, queries)
    assert large == small, "an employers page's query count grows with the data (N+1?)"
    assert small == EXPECTED
