"""The taxonomy services the pages, training and employer matching build on: lookups, needs, the gap."""

from __future__ import annotations

import csv

import pytest
from sqlalchemy import select

from hiddengems.extensions import db
from hiddengems.skills import services
from hiddengems.skills.models import Occupation, Skill
from hiddengems.skills.starter import load_starter, starter_directory


@pytest.fixture
def starter(app):
    load_starter()
    db.session.commit()


def occupation(label: str) -> Occupation:
    return db.session.scalar(select(Occupation).where(Occupation.preferred_label == label))


def skill(label: str) -> Skill:
    return db.session.scalar(select(Skill).where(Skill.preferred_label == label))


def labels(skills) -> list[str]:
    return [s.preferred_label for s in skills]


def test_lookups_by_uri(starter):
    developer = occupation("web developer")
    assert services.occupation_by_uri(developer.uri) == developer
    assert services.occupation_by_uri("http://data.europa.eu/esco/occupation/nope") is None
    javascript = skill("JavaScript")
    assert services.skill_by_uri(javascript.uri) == javascript
    assert services.skill_by_uri("") is None
    assert services.occupations_by_id([developer.id, 10**6])[developer.id].isco_group.code == "2513"
    assert services.occupations_by_id([]) == {} and services.skills_by_id([]) == {}


def test_an_occupations_essential_and_optional_skills_in_one_query(starter, queries):
    developer = occupation("web developer")
    with queries:
        needs = services.occupation_skills(developer.id)
    assert queries.count == 1
    assert labels(needs.essential) == [
        "JavaScript",
        "implement front-end website design",
        "solve problems",
        "think analytically",
        "web programming",
        "work in teams",
    ]
    assert "TypeScript" in labels(needs.optional) and "JavaScript" not in labels(needs.optional)
    assert services.occupation_skills(10**6) == services.SkillNeeds([], [])


def test_broader_narrower_and_related_skills(starter):
    javascript, programming = skill("JavaScript"), skill("computer programming")
    assert labels(services.broader_skills(javascript.id)) == ["computer programming", "web programming"]
    assert "JavaScript" in labels(services.narrower_skills(programming.id))
    assert services.narrower_skills(javascript.id) == []
    # One of ESCO's skill-to-skill relations between two starter skills, read both ways.
    with (starter_directory() / "skillSkillRelations_en.csv").open(encoding="utf-8") as source:
        link = next(csv.DictReader(source))
    first, second = services.skill_by_uri(link["originalSkillUri"]), services.skill_by_uri(link["relatedSkillUri"])
    assert (link["relationType"], second) in services.related_skills(first.id)
    assert (link["relationType"], first) in services.related_skills(second.id)


def test_the_gap_to_an_occupation(starter, queries):
    developer = occupation("web developer")
    held = {
        skill(label).id for label in ("computer programming", "think analytically", "TypeScript", "green chemistry")
    }
    with queries:
        gap = services.gap(held, developer.id)
    assert queries.count == 3
    assert labels(gap.essential_held) == ["think analytically"]
    assert labels(gap.essential_missing) == [
        "JavaScript",
        "implement front-end website design",
        "solve problems",
        "web programming",
        "work in teams",
    ]
    assert labels(gap.optional_held) == ["TypeScript"]
    assert "PHP" in labels(gap.optional_missing)
    assert gap.coverage == pytest.approx(1 / 6)
    # ESCO says computer programming is broader than JavaScript and web programming: the
    # spouse has the broader skill of two missing ones.
    javascript = skill("JavaScript")
    [hint] = gap.related[javascript.id]
    assert (hint.skill.preferred_label, hint.kind) == ("computer programming", "broader")
    assert skill("work in teams").id not in gap.related


def test_a_held_narrower_skill_is_pointed_out(starter):
    developer = occupation("software developer")
    gap = services.gap({skill("JavaScript").id}, developer.id)
    [hint] = gap.related[skill("computer programming").id]
    assert (hint.skill.preferred_label, hint.kind) == ("JavaScript", "narrower")


def test_the_gap_with_nothing_held_or_to_nothing(starter):
    gap = services.gap(set(), occupation("accountant").id)
    assert gap.essential_held == [] and gap.coverage == 0 and gap.related == {}
    empty = services.gap({1, 2}, 10**6)
    assert empty.essential_count == 0 and empty.coverage == 0


def test_gaps_to_several_occupations_in_three_queries(starter, queries):
    ids = [occupation(label).id for label in ("web developer", "data scientist", "accountant")]
    held = {skill("JavaScript").id, skill("use spreadsheets software").id}
    with queries:
        result = services.gaps(held, ids)
    assert queries.count == 3
    assert [g.occupation_id for g in result] == ids
    assert labels(result[2].essential_held) == ["use spreadsheets software"]


def test_the_gap_to_any_set_of_skills(starter, queries):
    sql, python, team = skill("SQL"), skill("Python (computer programming)"), skill("work in teams")
    with queries:
        gap = services.skill_gap({sql.id}, essential_ids=[sql.id, python.id], optional_ids=[team.id, sql.id])
    assert queries.count <= 3
    assert labels(gap.essential_held) == ["SQL"] and labels(gap.essential_missing) == ["Python (computer programming)"]
    assert labels(gap.optional_missing) == ["work in teams"] and gap.occupation_id is None


def test_the_closest_target(starter, queries):
    held = {
        skill(label).id
        for label in ("JavaScript", "web programming", "think analytically", "work in teams", "solve problems")
    }
    ids = [
        occupation(label).id
        for label in ("accountant", "web developer", "software developer", "nurse responsible for general care")
    ]
    with queries:
        ranking = services.closest_target(held, ids + [10**6])
    assert queries.count == 2
    assert [fit.occupation.preferred_label for fit in ranking] == [
        "web developer",
        "software developer",
        # Neither has an essential skill held; "work in teams" is optional for the nurse.
        "nurse responsible for general care",
        "accountant",
    ]
    best = ranking[0]
    assert (best.essential_held, best.essential_total, best.essential_missing) == (5, 6, 1)
    assert best.coverage == pytest.approx(5 / 6)
    assert services.closest_target(held, []) == []
