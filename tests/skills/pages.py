"""Helpers of the skills pages' tests: a mapped world (the starter taxonomy, a spouse whose
intake is sent, their adviser) and lookups by label."""

from __future__ import annotations

import re
from types import SimpleNamespace

from sqlalchemy import select

from hiddengems.extensions import db
from hiddengems.intake.models import IntakeProfile, LanguageSkill, WorkExperience
from hiddengems.skills.models import Occupation, Skill
from hiddengems.skills.starter import load_starter
from hiddengems.timeutil import utcnow


def skill_id(label: str) -> int:
    found = db.session.scalar(select(Skill.id).where(Skill.preferred_label == label))
    assert found, label
    return found


def occupation_id(label: str) -> int:
    found = db.session.scalar(select(Occupation.id).where(Occupation.preferred_label == label))
    assert found, label
    return found


def send_intake(case, *, jobs=(("Marketing manager", 6), ("Data analyst", 2)), languages=(("en", "C1"), ("fi", "A2"))):
    """An intake as the spouse sent it: work history, languages, goals."""
    profile = IntakeProfile(
        case_id=case.id,
        submitted_at=utcnow(),
        city="Espoo",
        career_goals="Work with data",
        target_occupations="data analyst, marketing manager",
        completed_steps=["work", "languages", "goals"],
    )
    profile.work = [WorkExperience(position=n, job_title=title, years=years) for n, (title, years) in enumerate(jobs)]
    profile.languages = [
        LanguageSkill(position=n, language=code, level=level) for n, (code, level) in enumerate(languages)
    ]
    db.session.add(profile)
    db.session.commit()
    return profile


def mapped_world(f, *, sent: bool = True) -> SimpleNamespace:
    load_starter()
    db.session.commit()
    adviser = f.user("adviser", name="Aino Adviser")
    other = f.user("adviser", name="Olli Other")
    lead = f.user("adviser", lead=True, name="Liisa Lead")
    spouse = f.user("spouse", name="Maria Spouse")
    case = f.assign(spouse, adviser, "skills")
    if sent:
        send_intake(case)
    return SimpleNamespace(adviser=adviser, other=other, lead=lead, spouse=spouse, case=case)


def error_beside(html: str, element_id: str) -> str:
    """The message shown in the element with this id (a field's error), or ''."""
    match = re.search(rf'id="{re.escape(element_id)}"[^>]*>([^<]*)<', html)
    return match.group(1).strip() if match else ""
