"""Matching both ways, without HTTP: who ranks first and why, in words; closed cases and
spouses who opted out never appear; the query count does not grow with the spouses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from hiddengems.employers import matching
from hiddengems.employers.queries import load_opening
from hiddengems.extensions import db
from hiddengems.intake.models import IntakeProfile, LanguageSkill
from hiddengems.skills.models import CaseSkill, Skill
from hiddengems.skills.starter import load_starter
from hiddengems.timeutil import helsinki_today, utcnow
from tests.employers.helpers import employer, opening


@pytest.fixture
def skills(app):
    load_starter()
    return list(db.session.scalars(select(Skill.id).order_by(Skill.id).limit(8)))


def spouse(f, adviser, name, *, held=(), validated=(), fi=None, en=None, available_in=0, stage="introductions"):
    case = f.assign(f.user("spouse", name=name), adviser, stage)
    for skill_id in held:
        db.session.add(
            CaseSkill(
                case_id=case.id,
                skill_id=skill_id,
                level="advanced",
                source="work",
                validated_at=utcnow() if skill_id in validated else None,
                validated_by_id=adviser.id if skill_id in validated else None,
            )
        )
    profile = IntakeProfile(case_id=case.id, available_from=helsinki_today() + timedelta(days=available_in))
    db.session.add(profile)
    db.session.flush()
    for position, (language, level) in enumerate((("fi", fi), ("en", en))):
        if level:
            db.session.add(LanguageSkill(profile_id=profile.id, language=language, level=level, position=position))
    db.session.commit()
    return case


def test_spouses_rank_by_required_skills_validated_first_and_the_score_is_explained(app, f, skills):
    adviser = f.user("adviser")
    job = opening(adviser, employer(adviser), essential=skills[:4], nice=skills[4:6], min_finnish="B1")
    strong = spouse(f, adviser, "Strong", held=skills[:4], validated=skills[:3], fi="B2")
    unvalidated = spouse(f, adviser, "Unvalidated", held=skills[:4], fi="B1")
    weak_finnish = spouse(f, adviser, "Weak Finnish", held=skills[:4], fi="A2")
    spouse(f, adviser, "Nothing in common", held=skills[6:], fi="C1")
    closed = spouse(f, adviser, "Closed", held=skills[:6], validated=skills[:6], fi="C1", stage="closed")

    ranked = matching.spouses_for(load_opening(job.id), today=helsinki_today())
    names = [m.name for m in ranked]
    assert names == ["Strong", "Unvalidated", "Weak Finnish"]
    assert closed.id not in [m.case_id for m in ranked]
    best = ranked[0]
    assert (best.case_id, best.essential, best.validated) == (strong.id, 4, 3)
    with app.test_request_context():
        assert matching.explain(best) == "4 of 4 required skills, 3 validated; 0 of 2 nice-to-have; available in time"
        assert "Finnish A2 where B1 is asked" in matching.explain(ranked[2])
    assert ranked[1].case_id == unvalidated.id and ranked[2].case_id == weak_finnish.id


def test_a_spouse_who_opts_out_is_never_ranked_until_they_opt_in(app, f, skills):
    adviser = f.user("adviser")
    job = opening(adviser, employer(adviser), essential=skills[:2])
    case = spouse(f, adviser, "Private", held=skills[:2])
    with app.test_request_context(method="POST"):
        matching.set_considered(case, False, actor=case)
        db.session.commit()
        assert matching.spouses_for(load_opening(job.id), today=helsinki_today()) == []
        matching.set_considered(case, True, actor=case)
        db.session.commit()
    assert [m.name for m in matching.spouses_for(load_opening(job.id), today=helsinki_today())] == ["Private"]


def test_organisation_and_stage_filters(app, f, skills):
    adviser = f.user("adviser")
    job = opening(adviser, employer(adviser), essential=skills[:1])
    in_training = spouse(f, adviser, "In training", held=skills[:1], stage="training")
    spouse(f, adviser, "Introductions", held=skills[:1], stage="introductions")
    ranked = matching.spouses_for(load_opening(job.id), today=helsinki_today(), stage="training")
    assert [m.case_id for m in ranked] == [in_training.id]


def test_openings_rank_for_a_spouse_with_target_occupation_and_languages(app, f, skills):
    adviser = f.user("adviser")
    at = employer(adviser, name="Nokia Oyj")
    case = spouse(f, adviser, "Maria", held=skills[:3], validated=skills[:1], fi="A2", en="C1")
    best = opening(adviser, at, title="Fits", essential=skills[:3], min_english="B2")
    finnish = opening(adviser, at, title="Needs Finnish", essential=skills[:3], min_finnish="B2")
    opening(adviser, at, title="Nothing in common", essential=skills[5:7])
    opening(adviser, at, title="Closed", essential=skills[:3], status="closed")
    opening(adviser, at, title="Past deadline", essential=skills[:3], deadline=helsinki_today() - timedelta(days=1))

    ranked = matching.openings_for(case.id, today=helsinki_today(), levels={"fi": "A2", "en": "C1"})
    assert [m.opening_title for m in ranked] == ["Fits", "Needs Finnish"]
    assert (ranked[0].opening_id, ranked[0].essential, ranked[0].essential_total) == (best.id, 3, 3)
    assert ranked[1].opening_id == finnish.id and ranked[1].employer_name == "Nokia Oyj"
    with app.test_request_context():
        assert "Finnish A2 where B2 is asked" in matching.explain(ranked[1])


def test_ranking_is_one_query_however_many_spouses(app, f, skills, queries):
    adviser = f.user("adviser")
    job = opening(adviser, employer(adviser), essential=skills[:3], nice=skills[3:5], min_english="B1")
    for n in range(3):
        spouse(f, adviser, f"S{n}", held=skills[: n + 1], en="B2")
    job = load_opening(job.id)
    with queries:
        assert len(matching.spouses_for(job, today=helsinki_today())) == 3
    few = queries.count
    for n in range(12):
        spouse(f, adviser, f"T{n}", held=skills[: n % 5 + 1], en="A1")
    job = load_opening(job.id)
    with queries:
        assert len(matching.spouses_for(job, today=helsinki_today())) == 15
    assert few == queries.count == 1


def test_the_bar_leaves_out_only_spouses_who_could_not_reach_the_list(app, f, skills, monkeypatch):
    """With a tiny sample, the bar prunes most holders: the list must be the one scoring
    every holder gives (points, then case id), with and without filters."""
    import random

    rng = random.Random(11)
    adviser = f.user("adviser")
    job = opening(
        adviser, employer(adviser), essential=skills[:4], nice=skills[4:6], min_finnish="B1", min_english="A2"
    )
    levels = (None, "A1", "A2", "B1", "B2", "C1")
    for n in range(60):
        held = rng.sample(skills[:7], rng.randint(0, 6))
        spouse(
            f,
            adviser,
            f"Spouse {n}",
            held=held,
            validated=[s for s in held if rng.random() < 0.5],
            fi=rng.choice(levels),
            en=rng.choice(levels),
            available_in=rng.choice((-5, 400)),
            stage=rng.choice(("skills", "training", "introductions", "closed")),
        )
    loaded = load_opening(job.id)

    def everyone(stage=None) -> list[tuple[int, int]]:
        """Each eligible holder scored, as the pruning must never change."""
        every = matching.spouses_for(loaded, today=helsinki_today(), stage=stage, limit=1000)
        return [(m.score, m.case_id) for m in every]

    full, in_training = everyone(), everyone("training")
    assert len(full) > 20 and len({score for score, _ in full}) > 4  # enough spread and ties to prune
    monkeypatch.setattr(matching, "SAMPLE", 8)
    for limit in (1, 3, 7, 15):
        pruned = matching.spouses_for(loaded, today=helsinki_today(), limit=limit)
        assert [(m.score, m.case_id) for m in pruned] == full[:limit]
        in_stage = matching.spouses_for(loaded, today=helsinki_today(), stage="training", limit=limit)
        assert [(m.score, m.case_id) for m in in_stage] == in_training[:limit]
