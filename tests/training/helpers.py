"""Programmes and taxonomy picks for the training tests."""

from __future__ import annotations

import itertools
from datetime import timedelta

from sqlalchemy import func, select

from hiddengems.extensions import db
from hiddengems.skills.models import Occupation, OccupationSkill, Skill
from hiddengems.timeutil import helsinki_today
from hiddengems.training import services
from hiddengems.training.models import Programme

_seq = itertools.count(1)


def values(**given) -> dict:
    today = helsinki_today()
    data = {
        "title": f"Programme {next(_seq)}",
        "kind": "course",
        "provider": "Tampere Adult Education Centre",
        "description": "Evenings, with homework.",
        "starts_on": today + timedelta(days=14),
        "ends_on": today + timedelta(days=60),
        "schedule": "Tue and Thu 17-19",
        "place": "Hämeenkatu 1, Tampere",
        "online": False,
        "language": "en",
        "min_finnish": None,
        "min_english": None,
        "capacity": 10,
        "cost_cents": 0,
        "open_for_signup": True,
        "auto_confirm": False,
    }
    data.update(given)
    return data


def programme(adviser, *, skill_ids=(), commit: bool = True, **given) -> Programme:
    made = services.create_programme(values(**given), skill_ids=list(skill_ids), actor=adviser)
    if commit:
        db.session.commit()
    return made


def occupation_with_skills(least: int = 4) -> tuple[Occupation, list[Skill]]:
    """A starter occupation with at least ``least`` essential skills, and those skills."""
    counted = (
        select(OccupationSkill.occupation_id)
        .where(OccupationSkill.relation == "essential")
        .group_by(OccupationSkill.occupation_id)
        .having(func.count() >= least)
        .order_by(OccupationSkill.occupation_id)
        .limit(1)
    )
    occupation = db.session.get(Occupation, db.session.scalar(counted))
    skills = db.session.scalars(
        select(Skill)
        .join(OccupationSkill, OccupationSkill.skill_id == Skill.id)
        .where(OccupationSkill.occupation_id == occupation.id, OccupationSkill.relation == "essential")
        .order_by(Skill.preferred_label)
    ).all()
    return occupation, list(skills)
