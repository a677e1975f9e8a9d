"""Demo intake profiles: submitted ones for cases past `registered`, half-filled ones for some
that are still `registered`. Bulk inserts, no ORM object per row: 100,000 spouses take seconds."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import insert, select

from hiddengems.cases.models import Case
from hiddengems.extensions import db
from hiddengems.intake.labels import (
    AGE_GROUPS,
    AVAILABILITY,
    ISCED_FIELDS,
    LABOUR_STATUS,
    PERMIT_TYPES,
    RECOGNITION,
    STAY_LENGTHS,
)
from hiddengems.intake.models import ANSWER_COLUMNS, IntakeProfile, LanguageSkill, WorkExperience
from hiddengems.intake.steps import EDIT_STEPS, REQUIRED_STEPS
from hiddengems.timeutil import utcnow

CITIES = ["Tampere", "Tampere", "Tampere", "Pirkkala", "Nokia", "Kangasala", "Ylöjärvi", "Lempäälä", "Helsinki"]
UNITS = [
    "Faculty of Medicine and Health Technology",
    "Faculty of Engineering and Natural Sciences",
    "Faculty of Information Technology and Communication Sciences",
    "Faculty of Management and Business",
    "Faculty of Built Environment",
    "Smart Energy and Built Environment",
    "Biotechnology and Food Research",
]
JOBS = [
    ("Software developer", "software developer"),
    ("Data analyst", "data analyst"),
    ("Accountant", "accountant"),
    ("Secondary school teacher", "teacher, education coordinator"),
    ("Civil engineer", "civil engineer"),
    ("Laboratory technician", "laboratory technician"),
    ("Marketing specialist", "marketing specialist, communications officer"),
    ("Nurse", "nurse, care assistant"),
    ("Architect", "architect"),
    ("Research assistant", "research assistant"),
    ("Project manager", "project manager"),
    ("Pharmacist", "pharmacist"),
]
EMPLOYERS = ["City hospital", "National bank", "Tech startup", "State university", "Engineering firm", "Ministry"]
COUNTRIES = ["IN", "CN", "BR", "IR", "TR", "RU", "UA", "PK", "NG", "VN", "MX", "ES", "IT", "US", "EG", "BD"]
FIRST_LANGUAGES = ["hi", "zh", "pt", "fa", "tr", "ru", "uk", "ur", "yo", "vi", "es", "it", "ar", "bn", "ta"]
LEVELS = ["A1", "A2", "B1", "B2", "C1", "C2"]
BATCH = 5000


def add_demo(rng: random.Random, **_context) -> int:
    """Give the generated cases intake profiles; returns how many were made."""
    now = utcnow()
    rows = db.session.execute(select(Case.id, Case.stage, Case.created_at).order_by(Case.id)).all()
    profiles: list[dict] = []
    work: list[dict] = []
    languages: list[dict] = []
    made = 0
    for case_id, stage, created_at in rows:
        if stage == "registered":
            if rng.random() < 0.5:
                continue
            steps = list(EDIT_STEPS[: rng.randint(1, len(REQUIRED_STEPS) - 1)])
            submitted_at = None
        else:
            steps = list(REQUIRED_STEPS) + (["monitoring"] if rng.random() < 0.7 else [])
            submitted_at = min(created_at + timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 23)), now)
        profiles.append(_profile(rng, case_id, steps, created_at, submitted_at))
        if "work" in steps:
            for position in range(rng.choice((0, 1, 1, 2, 2, 3))):
                title, _ = rng.choice(JOBS)
                work.append(
                    {
                        "profile_id": case_id,
                        "position": position,
                        "job_title": title,
                        "employer": rng.choice(EMPLOYERS),
                        "country": rng.choice(COUNTRIES),
                        "years": rng.randint(1, 12),
                    }
                )
        if "languages" in steps:
            levels = {"fi": rng.choice([None, None, "A1", "A1", "A2", "B1"]), "sv": rng.choice([None] * 6 + ["A1"])}
            levels["en"] = rng.choice(["B1", "B2", "B2", "C1", "C1", "C2"])
            levels[rng.choice(FIRST_LANGUAGES)] = "native"
            position = 0
            for code, level in levels.items():
                if level:
                    languages.append({"profile_id": case_id, "position": position, "language": code, "level": level})
                    position += 1
        made += 1
        if len(profiles) >= BATCH:
            _flush(profiles, work, languages)
    _flush(profiles, work, languages)
    return made


def _profile(rng: random.Random, case_id: int, steps: list[str], created_at, submitted_at) -> dict:
    arrival = created_at.date() - timedelta(days=rng.randint(0, 400))
    has = set(steps)
    title, targets = rng.choice(JOBS)
    row = dict.fromkeys(ANSWER_COLUMNS)  # every column, so that each batch is one multi-row INSERT
    row |= {
        "id": case_id,  # one profile per case: the case id is free to reuse
        "case_id": case_id,
        "completed_steps": steps,
        "submitted_at": submitted_at,
        "created_at": created_at,
        "updated_at": submitted_at or created_at,
        "version": 1,
    }
    if "contact" in has:
        row.update(phone=f"+358 40 {rng.randint(1000000, 9999999)}", city=rng.choice(CITIES), contact_language="en")
    if "host" in has:
        row["partner_unit"] = rng.choice(UNITS)
    if "arrival" in has:
        row.update(arrival_date=arrival, stay_length=rng.choice(list(STAY_LENGTHS)))
    if "permit" in has:
        permit = rng.choice(list(PERMIT_TYPES))
        row.update(
            right_to_work="yes"
            if permit in ("eu_registration", "family", "specialist_family", "permanent")
            else "limited",
            permit_type=permit,
            permit_expires=None if permit in ("eu_registration", "permanent") else arrival + timedelta(days=365 * 2),
        )
    if "education" in has:
        row.update(
            education_level=rng.choice([3, 5, 6, 6, 7, 7, 7, 8]),
            education_field=rng.choice(list(ISCED_FIELDS)),
            degree_recognition=rng.choice(list(RECOGNITION)),
        )
    if "goals" in has:
        row.update(
            career_goals=f"I would like to continue my career as a {title.lower()} in Finland.",
            target_occupations=targets,
        )
    if "availability" in has:
        row.update(
            availability=rng.choice(list(AVAILABILITY)),
            available_from=created_at.date() + timedelta(days=rng.randint(0, 60)),
        )
    if "monitoring" in has:
        row.update(
            gender=rng.choice(["woman", "woman", "woman", "man", "not_say"]),
            age_group=rng.choice(list(AGE_GROUPS)),
            labour_status=rng.choice(list(LABOUR_STATUS)),
        )
    return row


def _flush(profiles: list, work: list, languages: list) -> None:
    for model, rows in ((IntakeProfile, profiles), (WorkExperience, work), (LanguageSkill, languages)):
        if rows:
            db.session.execute(insert(model), rows)
            rows.clear()
