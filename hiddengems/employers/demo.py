"""Demo employers: one for every 100 spouses (1,000 at the benchmark's 100,000), most with
a valid business ID, one to three contact people and up to four openings asking for the
skills of an occupation (so that matching finds spouses), and a few spouses who opted out
of being considered. Bulk inserts with explicit ids."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import func, insert, select, text

from hiddengems.cases.models import Case
from hiddengems.employers.models import (
    OPENING_KINDS,
    SIZES,
    WORKING_LANGUAGES,
    Employer,
    EmployerContact,
    MatchOptOut,
    Opening,
    OpeningSkill,
)
from hiddengems.employers.services import business_id_problem
from hiddengems.extensions import db
from hiddengems.skills.models import Occupation, OccupationSkill
from hiddengems.timeutil import HELSINKI, utcnow

SPOUSES_PER_EMPLOYER = 100
NAMES = ("Nordic", "Pirkka", "Tammer", "Hervanta", "Kaleva", "Aalto", "Näsi", "Pyhä", "Sampo", "Lapland", "Baltic")
TRADES = ("Software", "Health", "Engineering", "Logistics", "Design", "Finance", "Foods", "Energy", "Education")
FORMS = ("Oy", "Oyj", "Ab", "Ltd", "ry")
CITIES = ("Tampere", "Tampere", "Helsinki", "Espoo", "Nokia", "Pirkkala", "Turku", "Oulu")
FIRST = ("Aino", "Mikko", "Laura", "Jussi", "Sanna", "Timo", "Emilia", "Antti", "Helena", "Petri")
LAST = ("Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Hämäläinen", "Laine", "Heikkinen", "Koskinen")
ROLES = ("HR manager", "Recruiter", "Team lead", "CEO", "Talent acquisition")
STATUSES = ("open", "open", "open", "open", "draft", "filled", "closed", "withdrawn")
LEVELS = (None, None, "A2", "B1", "B2")


def business_id(rng: random.Random) -> str:
    """A random business ID with a right check digit."""
    while True:
        digits = f"{rng.randint(1_000_000, 3_400_000):07d}"
        for check in range(10):
            if business_id_problem(f"{digits}-{check}") is None:
                return f"{digits}-{check}"


def add_demo(rng: random.Random, **context) -> None:
    now = utcnow()
    today = now.astimezone(HELSINKI).date()
    adviser_id = context.get("demo_adviser_id")
    cases = db.session.scalars(select(Case.id).order_by(Case.id)).all()
    pool = _occupation_pool()
    start = (db.session.scalar(select(func.max(Employer.id))) or 0) + 1
    employers, contacts, openings, wanted = [], [], [], []
    used_ids: set[str] = set()
    opening_id = (db.session.scalar(select(func.max(Opening.id))) or 0) + 1
    for n in range(max(len(cases) // SPOUSES_PER_EMPLOYER, 10)):
        employer_id = start + n
        code = business_id(rng) if rng.random() < 0.85 else None
        if code in used_ids:
            code = None
        used_ids.add(code)
        name = f"{rng.choice(NAMES)} {rng.choice(TRADES)} {rng.choice(FORMS)}"
        employers.append(
            {
                "id": employer_id,
                "name": f"{name} {n + 1}" if n >= len(NAMES) else name,
                "business_id": code,
                "sector": rng.choice(TRADES),
                "size": rng.choice((*SIZES, None)),
                "city": rng.choice(CITIES),
                "website": "",
                "working_language": rng.choice(WORKING_LANGUAGES),
                "notes": "",
                "created_by_id": adviser_id,
                "created_at": now,
                "updated_at": now,
            }
        )
        for _ in range(rng.randint(1, 3)):
            person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            contacts.append(
                {
                    "employer_id": employer_id,
                    "name": person,
                    "role": rng.choice(ROLES),
                    "email": f"{person.split()[0].lower()}.{employer_id}@employer.example",
                    "phone": "",
                    "created_at": now,
                }
            )
        for _ in range(rng.randint(0, 4)):
            occupation_id = rng.choice(list(pool)) if pool else None
            needed = pool.get(occupation_id, [])
            openings.append(_opening(rng, opening_id, employer_id, occupation_id, today, now, adviser_id))
            chosen = rng.sample(needed, min(len(needed), rng.randint(3, 6)))
            for position, skill_id in enumerate(chosen):
                wanted.append({"opening_id": opening_id, "skill_id": skill_id, "essential": position < 4})
            opening_id += 1
    opted_out = [{"case_id": c, "created_at": now} for c in cases[1:] if rng.random() < 0.05]
    for model, rows in (
        (Employer, employers),
        (EmployerContact, contacts),
        (Opening, openings),
        (OpeningSkill, wanted),
        (MatchOptOut, opted_out),
    ):
        for i in range(0, len(rows), 5000):
            db.session.execute(insert(model), rows[i : i + 5000])
    _fix_sequences()


def _opening(rng, opening_id, employer_id, occupation_id, today, now, adviser_id) -> dict:
    kind = rng.choice(OPENING_KINDS)
    title = db.session.get(Occupation, occupation_id).preferred_label if occupation_id else "Open application"
    return {
        "id": opening_id,
        "employer_id": employer_id,
        "kind": kind,
        "title": title[:1].upper() + title[1:200],
        "occupation_id": occupation_id,
        "description": "",
        "place": rng.choice(CITIES),
        "remote": rng.random() < 0.3,
        "deadline": today + timedelta(days=rng.randint(-20, 90)) if rng.random() < 0.7 else None,
        "status": rng.choice(STATUSES),
        "min_finnish": rng.choice(LEVELS),
        "min_english": rng.choice(LEVELS),
        "created_by_id": adviser_id,
        "created_at": now,
        "updated_at": now,
    }


def _occupation_pool() -> dict[int, list[int]]:
    """Occupations with at least four essential skills -> those skills (at most 300)."""
    counted = (
        select(OccupationSkill.occupation_id)
        .where(OccupationSkill.relation == "essential")
        .group_by(OccupationSkill.occupation_id)
        .having(func.count() >= 4)
        .order_by(OccupationSkill.occupation_id)
        .limit(300)
    )
    pool: dict[int, list[int]] = {}
    rows = db.session.execute(
        select(OccupationSkill.occupation_id, OccupationSkill.skill_id)
        .where(OccupationSkill.relation == "essential", OccupationSkill.occupation_id.in_(counted))
        .order_by(OccupationSkill.occupation_id, OccupationSkill.skill_id)
    )
    for occupation_id, skill_id in rows:
        pool.setdefault(occupation_id, []).append(skill_id)
    return pool


def _fix_sequences() -> None:
    """Rows inserted with explicit ids leave PostgreSQL's sequences behind."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in ("employer", "opening"):
        db.session.execute(
            # table names come from the tuple above, never from input
            text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))")  # noqa: S608
        )
