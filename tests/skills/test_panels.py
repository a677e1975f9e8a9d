"""The skills domain's panels: the profile's summary on the case file, the closest target on
the spouse's home, the skills waiting for validation on the adviser's desk."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from hiddengems.extensions import db
from hiddengems.skills import panels, profile, queries, services
from hiddengems.skills.models import CaseSkill, Occupation, Skill
from hiddengems.skills.services import occupation_skills
from hiddengems.skills.starter import load_starter
from hiddengems.timeutil import utcnow


@pytest.fixture
def world(app, f):
    load_starter()
    db.session.commit()
    adviser, other = f.user("adviser", name="Aino Adviser"), f.user("adviser", name="Olli Other")
    spouse = f.user("spouse", name="Maria Mapped")
    case = f.assign(spouse, adviser, "skills")
    return case, spouse, adviser, other


def skill_id(label: str) -> int:
    return db.session.scalar(select(Skill.id).where(Skill.preferred_label == label))


def occupation_id(label: str) -> int:
    return db.session.scalar(select(Occupation.id).where(Occupation.preferred_label == label))


def essential(occupation: str) -> list[str]:
    return [skill.preferred_label for skill in occupation_skills(occupation_id(occupation)).essential]


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def fill(case, spouse, adviser, *, held: list[str], targets: list[str], validate: int = 0) -> None:
    for label in held:
        profile.add_skill(case, skill_id(label), level="advanced", source="work", actor=spouse)
    for label in held[:validate]:
        profile.validate_skill(case, skill_id(label), actor=adviser)
    for label in targets:
        profile.add_target(case, occupation_id(label), actor=spouse)
    db.session.commit()


def test_the_case_file_shows_the_profile_in_figures_and_the_targets_closest_first(world, f, client):
    case, spouse, adviser, _other = world
    data_analyst = essential("data analyst")
    fill(case, spouse, adviser, held=data_analyst[:3], targets=["software developer", "data analyst"], validate=2)
    f.login(client, adviser)
    page = text(client.get(f"/cases/{case.id}"))
    assert "Skills profile" in page
    assert "3 skills · 2 validated" in page and "1 to validate" in page
    # The closest target first, whatever the spouse's order.
    first, second = page.index("data analyst"), page.index("software developer")
    assert first < second
    assert f"3 of {len(data_analyst)} essential skills" in page
    html = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f'href="/cases/{case.id}/skills"' in html and f'href="/cases/{case.id}/skills/gap"' in html


def test_the_case_file_of_a_case_without_a_profile_says_so(world, f, client):
    case, _spouse, adviser, _other = world
    f.login(client, adviser)
    page = text(client.get(f"/cases/{case.id}"))
    assert "No skills mapped yet." in page and "No target occupation chosen yet." in page
    assert f'href="/cases/{case.id}/skills"' in client.get(f"/cases/{case.id}").get_data(as_text=True)


def test_the_spouse_sees_how_close_they_are_to_their_closest_target(world, f, client):
    case, spouse, adviser, _other = world
    data_analyst = essential("data analyst")
    fill(case, spouse, adviser, held=data_analyst[:4], targets=["web developer", "data analyst"])
    f.login(client, spouse)
    page = text(client.get("/home"))
    assert f"You have 4 of {len(data_analyst)} essential skills for data analyst." in page
    html = client.get("/home").get_data(as_text=True)
    assert f'href="/cases/{case.id}/skills/gap"' in html and f'href="/cases/{case.id}/skills"' in html


def test_a_spouse_whose_intake_is_sent_is_invited_to_start(app, f, client):
    load_starter()
    spouse = f.user("spouse")
    case = f.assign(spouse, None, "intake")
    f.login(client, spouse)
    page = text(client.get("/home"))
    assert "Start your skills profile" in page
    assert f'href="/cases/{case.id}/skills"' in client.get("/home").get_data(as_text=True)


def test_a_spouse_with_skills_but_no_target_is_asked_to_choose_one(world, f, client):
    case, spouse, adviser, _other = world
    fill(case, spouse, adviser, held=essential("accountant")[:2], targets=[])
    f.login(client, spouse)
    page = text(client.get("/home"))
    assert "You have listed 2 skills." in page and "Choose up to three occupations" in page
    assert "Start your skills profile" not in page


def test_a_registered_spouse_sees_the_intake_not_the_skills(app, f, client):
    spouse = f.user("spouse")
    f.case_of(spouse)
    db.session.commit()
    f.login(client, spouse)
    page = text(client.get("/home"))
    assert "Your skills" not in page and "skills profile" not in page
    assert "intake form" in page


def test_the_desk_lists_the_advisers_cases_with_skills_to_validate_longest_waiting_first(world, f, client):
    case, spouse, adviser, other = world
    fill(case, spouse, adviser, held=essential("accountant")[:3], targets=[], validate=1)
    later = f.user("spouse", name="Lea Later")
    later_case = f.assign(later, adviser, "training")
    fill(later_case, later, adviser, held=essential("nurse responsible for general care")[:1], targets=[])
    # Validated in full, closed, or someone else's: not listed.
    done = f.user("spouse", name="Dana Done")
    done_case = f.assign(done, adviser, "skills")
    fill(done_case, done, adviser, held=essential("pharmacist")[:2], targets=[], validate=2)
    theirs = f.user("spouse", name="Theo Theirs")
    theirs_case = f.assign(theirs, other, "skills")
    fill(theirs_case, theirs, other, held=essential("pharmacist")[:2], targets=[])
    gone = f.user("spouse", name="Cleo Closed")
    gone_case = f.assign(gone, adviser, "skills")
    fill(gone_case, gone, adviser, held=essential("pharmacist")[:2], targets=[])
    f.assign(gone, adviser, "closed")
    # Maria's skills were added before Lea's.
    db.session.execute(
        CaseSkill.__table__.update()
        .where(CaseSkill.case_id == case.id)
        .values(updated_at=utcnow() - timedelta(days=9), created_at=utcnow() - timedelta(days=9))
    )
    db.session.commit()

    f.login(client, adviser)
    page = text(client.get("/desk"))
    assert "Skills to validate" in page
    assert "2 of your open cases have skills the spouse added that nobody has validated." in page
    assert page.index("Maria Mapped") < page.index("Lea Later")
    assert "Maria Mapped : 2 skills" in page and "Lea Later : 1 skill" in page
    for name in ("Dana Done", "Theo Theirs", "Cleo Closed"):
        assert name not in page
    assert f'href="/cases/{case.id}/skills"' in client.get("/desk").get_data(as_text=True)


def test_the_desk_shows_the_longest_waiting_five_of_more(app, f):
    load_starter()
    adviser = f.user("adviser")
    labels = essential("accountant")
    for n in range(7):
        spouse = f.user("spouse", name=f"Spouse {n}")
        case = f.assign(spouse, adviser, "skills")
        profile.add_skill(case, skill_id(labels[0]), level="basic", source="work", actor=spouse)
    db.session.commit()
    cases, total = queries.awaiting_validation(adviser.id, limit=panels.DESK_CASES)
    assert total == 7 and len(cases) == 5
    assert [c.waiting for c in cases] == [1] * 5


def test_an_adviser_without_skills_to_validate(app, f, client):
    adviser = f.user("adviser")
    f.login(client, adviser)
    assert "No skills waiting for validation." in text(client.get("/desk"))


def _figures(fits) -> list[tuple]:
    """What the summary shows of each target: the panel's occupations are their id and label."""
    return [
        (fit.occupation.id, fit.occupation.preferred_label, fit.essential_held, fit.essential_total, fit.optional_held)
        for fit in fits
    ]


def test_the_panels_make_a_fixed_number_of_queries(world, f, queries):
    case, spouse, adviser, _other = world
    assert case.stage == "skills"  # loaded, as the pages have it
    with queries:
        panels.skills_summary(case=case)
    assert queries.count == 1  # the skills counted, with the targets (none: no fit to compute)
    fill(case, spouse, adviser, held=essential("data analyst")[:5], targets=["data analyst", "statistician"])
    assert case.stage == "skills"
    with queries:
        before = panels.closest_target(case=case)
    assert queries.count == 1  # ... the targets come with their fit, counted by the database
    held = set(essential("data analyst")[:5])
    more = [label for label in dict.fromkeys(essential("statistician") + essential("accountant")) if label not in held]
    fill(case, spouse, adviser, held=more, targets=["accountant"])
    assert case.stage == "skills"
    with queries:
        after = panels.closest_target(case=case)
    assert queries.count == 1
    assert len(after["fits"]) == 3 > len(before["fits"])
    # The same ranking and figures as the service that counts in Python.
    held_ids = profile.held_skill_ids(case.id)
    assert after["held"].count == len(held_ids)
    expected = services.closest_target(held_ids, profile.target_occupation_ids(case.id))
    assert _figures(after["fits"]) == _figures(expected)
    assert [fit.essential_held for fit in expected] != [0, 0, 0]
    assert adviser.id
    with queries:
        panels.skills_to_validate(user=adviser)
    assert queries.count == 1
