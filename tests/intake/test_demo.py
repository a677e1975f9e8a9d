"""Demo intake profiles: submitted past `registered`, some half-filled before."""

from __future__ import annotations

from sqlalchemy import func, select

from hiddengems.cases.models import Case
from hiddengems.demo.generator import generate
from hiddengems.extensions import db
from hiddengems.intake.models import IntakeProfile, LanguageSkill, WorkExperience
from hiddengems.intake.services import load_profile, missing_steps, save_step
from hiddengems.intake.steps import REQUIRED_STEPS


def test_demo_cases_past_registered_have_a_submitted_profile(app):
    generate(300)
    db.session.commit()
    rows = db.session.execute(
        select(Case.stage, IntakeProfile.submitted_at, IntakeProfile.completed_steps).outerjoin(
            IntakeProfile, IntakeProfile.case_id == Case.id
        )
    ).all()
    past = [r for r in rows if r.stage != "registered"]
    assert past and all(r.submitted_at is not None for r in past)
    assert all(set(REQUIRED_STEPS) <= set(r.completed_steps) for r in past)
    registered = [r for r in rows if r.stage == "registered"]
    partial = [r for r in registered if r.completed_steps is not None]
    assert partial and len(partial) < len(registered)
    assert all(r.submitted_at is None and set(REQUIRED_STEPS) - set(r.completed_steps) for r in partial)
    assert db.session.scalar(select(func.count()).select_from(LanguageSkill)) > len(past)
    assert db.session.scalar(select(func.count()).select_from(WorkExperience)) > 0


def test_a_demo_profile_reads_back_and_the_sequence_moves_on(app, f):
    generate(50)
    db.session.commit()
    case_id = db.session.scalar(select(Case.id).where(Case.stage == "skills").limit(1))
    profile = load_profile(case_id)
    assert missing_steps(profile) == [] and profile.languages
    # A profile made after the demo (explicit ids there) gets a fresh id.
    spouse = f.user("spouse")
    made = save_step(f.case_of(spouse), "contact", {"city": "Oulu"}, actor=spouse, expected_version=0)
    db.session.commit()
    assert made.id > case_id
