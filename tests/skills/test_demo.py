"""The demo's skills profiles: for the cases past intake, consistent with their intake, validated
more the further the case."""

from __future__ import annotations

import random
from collections import Counter, defaultdict

from sqlalchemy import func, select

from hiddengems.auth.models import User
from hiddengems.cases.models import Case
from hiddengems.demo.generator import DEMO_DOMAIN, generate
from hiddengems.extensions import db
from hiddengems.intake.models import IntakeProfile, WorkExperience
from hiddengems.skills import demo, profile, services
from hiddengems.skills.models import (
    CasePastOccupation,
    CaseSkill,
    CaseTargetOccupation,
    Occupation,
    OccupationSkill,
)
from hiddengems.skills.starter import load_starter


def _by_case(model) -> dict[int, list]:
    rows = defaultdict(list)
    for row in db.session.scalars(select(model)):
        rows[row.case_id].append(row)
    return rows


def test_the_demo_loads_the_starter_taxonomy_and_maps_the_cases_past_intake(app):
    assert not db.session.scalar(select(func.count()).select_from(Occupation))
    generate(300, seed=3)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Occupation)) == 53

    cases = {case.id: case for case in db.session.scalars(select(Case))}
    skills, targets = _by_case(CaseSkill), _by_case(CaseTargetOccupation)
    stages = Counter(cases[case_id].stage for case_id in skills)
    # Every case from skills mapping on has a profile; some whose intake is sent have begun one.
    for stage in ("skills", "training", "introductions", "closed"):
        assert stages[stage] == sum(case.stage == stage for case in cases.values()), stage
    at_intake = sum(case.stage == "intake" for case in cases.values())
    assert 0 < stages["intake"] < at_intake
    assert stages["registered"] == 0
    assert set(targets) == set(skills)

    for case_id, rows in skills.items():
        case = cases[case_id]
        assert 5 <= len(rows) <= 20, case_id
        assert 1 <= len(targets[case_id]) <= 3
        assert sorted(t.position for t in targets[case_id]) == list(range(1, len(targets[case_id]) + 1))
        for row in rows:
            assert row.added_by_id == case.spouse_id
            if row.validated:
                # Validated by the case's own adviser, after the skill was added.
                assert case.adviser_id is not None and row.validated_by_id == case.adviser_id
                assert row.validated_at >= row.created_at
        if case.stage == "intake":
            assert not any(row.validated for row in rows)


def test_the_profiles_follow_the_intake_and_the_taxonomy(app):
    generate(200, seed=5)
    db.session.commit()
    labels = dict(db.session.execute(select(Occupation.id, Occupation.preferred_label)).all())
    needs = defaultdict(set)
    for occupation_id, skill_id in db.session.execute(select(OccupationSkill.occupation_id, OccupationSkill.skill_id)):
        needs[occupation_id].add(skill_id)
    work = defaultdict(list)
    rows = db.session.execute(
        select(IntakeProfile.case_id, WorkExperience.job_title, WorkExperience.years).join(
            WorkExperience, WorkExperience.profile_id == IntakeProfile.id
        )
    )
    for case_id, title, years in rows:
        work[case_id].append((title, years))
    goals = dict(db.session.execute(select(IntakeProfile.case_id, IntakeProfile.target_occupations)).all())

    past = _by_case(CasePastOccupation)
    assert past, "some spouses have a mapped work history"
    for case_id, occupations in past.items():
        for row in occupations:
            jobs = [
                (title, years) for title, years in work[case_id] if demo.PAST.get(title) == labels[row.occupation_id]
            ]
            # The occupation is one of the jobs in the intake, with their years added up.
            assert jobs, (case_id, labels[row.occupation_id])
            assert row.job_title == jobs[0][0]
            assert row.years == min(sum(years for _, years in jobs), 60)

    for case_id, targets in _by_case(CaseTargetOccupation).items():
        first = min(targets, key=lambda t: t.position)
        # The first target is where the spouse's own goals lead.
        assert labels[first.occupation_id] == demo.GOALS[goals[case_id]][0], case_id

    for case_id, held in _by_case(CaseSkill).items():
        mapped = {row.occupation_id for row in past.get(case_id, [])}
        mapped |= {row.occupation_id for row in _targets_of(case_id)}
        allowed = set().union(*(needs[occupation_id] for occupation_id in mapped))
        assert {row.skill_id for row in held} <= allowed, case_id
        for row in held:
            assert row.source in ("work", "study", "training", "other")


def _targets_of(case_id: int) -> list[CaseTargetOccupation]:
    return list(db.session.scalars(select(CaseTargetOccupation).where(CaseTargetOccupation.case_id == case_id)))


def test_the_further_the_case_the_more_its_adviser_validated(app):
    generate(400, seed=11)
    db.session.commit()
    rows = db.session.execute(
        select(Case.stage, func.count(), func.count(CaseSkill.validated_at))
        .join(CaseSkill, CaseSkill.case_id == Case.id)
        .group_by(Case.stage)
    ).all()
    share = {stage: validated / held for stage, held, validated in rows}
    assert share["intake"] == 0
    assert 0.2 < share["skills"] < share["training"] < share["introductions"]
    assert share["closed"] > 0.7
    # After a mapping session most profiles have nothing left to validate: the desk lists the rest.
    waiting = db.session.execute(
        select(Case.stage, func.count(func.distinct(CaseSkill.case_id)))
        .join(CaseSkill, CaseSkill.case_id == Case.id)
        .where(CaseSkill.validated_at.is_(None))
        .group_by(Case.stage)
    ).all()
    mapped = db.session.execute(
        select(Case.stage, func.count(func.distinct(CaseSkill.case_id)))
        .join(CaseSkill, CaseSkill.case_id == Case.id)
        .group_by(Case.stage)
    ).all()
    left = {stage: count / dict(mapped)[stage] for stage, count in waiting}
    assert left["skills"] > 0.8 and left["training"] < 0.6 and left.get("closed", 0) < 0.4


def test_the_demo_spouse_sees_how_close_they_are_to_a_target(app):
    generate(30, seed=42)
    db.session.commit()
    spouse = db.session.scalar(select(User).where(User.email == f"spouse@{DEMO_DOMAIN}"))
    case = db.session.scalar(select(Case).where(Case.spouse_id == spouse.id))
    assert case.stage == "intake"
    held = profile.held_skill_ids(case.id)
    fits = services.closest_target(held, profile.target_occupation_ids(case.id))
    assert fits and fits[0].essential_total > 0
    assert len(held) >= 5 and fits[0].essential_held > 0


def test_the_demo_is_the_same_for_a_seed_and_leaves_the_other_domains_draws_alone(app):
    generate(80, seed=9)
    db.session.commit()
    first = db.session.execute(
        select(
            CaseSkill.case_id, CaseSkill.skill_id, CaseSkill.level, CaseSkill.source, CaseSkill.validated_at
        ).order_by(CaseSkill.case_id, CaseSkill.skill_id)
    ).all()
    # Again from the same stream: the same rows.
    for model in (CaseSkill, CaseTargetOccupation, CasePastOccupation):
        db.session.execute(model.__table__.delete())
    demo.add_demo(random.Random("9:skills"))
    again = db.session.execute(
        select(
            CaseSkill.case_id, CaseSkill.skill_id, CaseSkill.level, CaseSkill.source, CaseSkill.validated_at
        ).order_by(CaseSkill.case_id, CaseSkill.skill_id)
    ).all()
    assert [row[:4] for row in again] == [row[:4] for row in first]


def test_without_the_demo_occupations_in_the_taxonomy_no_profile_is_made(app):
    # A taxonomy without any of the demo's occupations: the starter, all of them obsolete.
    load_starter()
    db.session.execute(Occupation.__table__.update().values(obsolete=True))
    generate(60, seed=3)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Case).where(Case.stage == "skills"))
    assert not db.session.scalar(select(func.count()).select_from(CaseSkill))
    assert not db.session.scalar(select(func.count()).select_from(CaseTargetOccupation))
