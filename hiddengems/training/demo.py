"""Demo training: a catalogue of past, running and upcoming rounds (some full, with a
waitlist), each teaching skills of occupations spouses aim for, and enrolment histories.
One programme for every 50 spouses (2,000 at the benchmark's 100,000), bulk inserts with
explicit ids.

Recommendations need skills profiles: if no other domain's demo made any, the cases past
intake get one or two target occupations and a few of their skills here. When the skills
demo made them, the catalogue teaches the occupations spouses aim for most, and one open
round for each of the demo spouse's targets teaches what they lack, so that the demo
login sees recommendations. The taxonomy is loaded before the demo data (`make run`
loads the starter, and so does the benchmark); without one, programmes teach no skills."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

from sqlalchemy import case as sql_case
from sqlalchemy import func, insert, select, text

from hiddengems.cases.models import Case
from hiddengems.extensions import db
from hiddengems.skills.models import CaseSkill, CaseTargetOccupation, Occupation, OccupationSkill
from hiddengems.timeutil import HELSINKI, utcnow
from hiddengems.training.models import Enrolment, Programme, ProgrammeSkill

BATCH = 5000
SPOUSES_PER_PROGRAMME = 50
# title, kind, provider, language, minimum Finnish, minimum English, cost (cents), schedule, teaches skills
# A table, kept one row a line: title | kind | provider | language | minimum Finnish | minimum
# English | cost in cents | schedule | whether it teaches an occupation's skills.
CATALOGUE_TABLE = """
Finnish for work A1–A2|language_course|Tampere Adult Education Centre|fi|||0|Mon and Wed 17–19|
Työelämän suomi B1|language_course|Tampere University Language Centre|fi|A2||0|Tue and Thu 9–12|
Data analysis with spreadsheets|course|Tampere Adult Education Centre|en||B1|0|Tue 17–20, 8 weeks|y
Python for data work|course|Tampere University of Applied Sciences|en||B2|4500|Online, self-paced with weekly Q&A|y
Project management basics|course|Business Tampere|en||B1|0|Fri 9–15, 4 weeks|y
CV and LinkedIn workshop|workshop|Hidden Gems team|en||A2|0|Sat 10–14|y
Job interviews in Finland|workshop|Hidden Gems team|en||A2|0|Thu 16–19|y
Mentoring circle for engineers|mentoring|Tampere Chamber of Commerce|en||B1|0|Monthly meetings, 6 months|y
Mentoring for health professionals|mentoring|Pirkanmaa wellbeing services|en||B1|0|Every other week|y
Work trial in software testing|work_trial|Tampere tech companies|en||B2|0|Full-time, 3 months|y
Internship in accounting|work_trial|Pirkanmaa accounting firms|fi|B1||0|Full-time, 2 months|y
Starting a business in Finland|entrepreneurship|Business Tampere|en||B1|0|Wed 17–20, 5 weeks|y
Meet the employers: IT and engineering|event|Hidden Gems with Tampere employers|en||B1|0|Tampere Hall, 14–17|
Matchmaking day: health and care|event|Hidden Gems with Pirkanmaa employers|en||A2|0|Finlayson, 10–15|
Company visit: Nokia Technology Centre|event|Hidden Gems|en||B1|0|Hatanpää, 13–16|
Customer service in Finnish|course|Tampere Vocational College|fi|A2||2500|Mon–Thu 9–13, 6 weeks|y
Digital skills for everyday work|course|Tampere City Library|en||A2|0|Wed 10–12|y
Teaching in Finnish schools|course|Tampere University|en||B2|0|Blended, 10 weeks|y
"""
CATALOGUE = [
    (title, kind, provider, language, fi or None, en or None, int(cost), schedule, teaches == "y")
    for title, kind, provider, language, fi, en, cost, schedule, teaches in (
        line.split("|") for line in CATALOGUE_TABLE.strip().splitlines()
    )
]
COMPANIONS = ("spring", "autumn", "evening group", "online group")
# Rounds in turn: past ones stay for the record, some are running, most sign-ups are ahead.
PHASES = ("past", "running", "upcoming", "upcoming", "past", "upcoming", "ongoing")


def add_demo(rng: random.Random, **context) -> None:
    now = utcnow()
    today = now.astimezone(HELSINKI).date()
    adviser_id = context.get("demo_adviser_id")
    cases = db.session.execute(select(Case.id, Case.stage, Case.adviser_id).order_by(Case.id)).all()
    demo_case = cases[0].id if cases else None  # the demo login's (hiddengems.demo.generator)
    pool = _occupation_pool(demo_case)  # empty without a taxonomy: programmes then teach no skills
    _profiles(rng, cases, pool, now)
    gap = _gap_of(demo_case, pool)
    programmes, taught = _catalogue(rng, len(cases), pool, today, now, adviser_id, gap)
    _enrolments(rng, cases, programmes, today, now)
    _flush((ProgrammeSkill, taught))
    _fix_sequences()


def _occupation_pool(demo_case: int | None) -> dict[int, list[int]]:
    """A dozen current (not obsolete) occupations with at least four essential skills ->
    those skills: the demo spouse's targets and the most aimed-for ones when profiles
    exist, else the first."""
    rows = db.session.execute(
        select(OccupationSkill.occupation_id, OccupationSkill.skill_id)
        .join(Occupation, Occupation.id == OccupationSkill.occupation_id)
        .where(OccupationSkill.relation == "essential", Occupation.obsolete.is_(False))
        .order_by(OccupationSkill.occupation_id, OccupationSkill.skill_id)
    ).all()
    pool: dict[int, list[int]] = {}
    for occupation_id, skill_id in rows:
        pool.setdefault(occupation_id, []).append(skill_id)
    aimed = db.session.execute(
        select(CaseTargetOccupation.occupation_id)
        .group_by(CaseTargetOccupation.occupation_id)
        .order_by(func.max(sql_case((CaseTargetOccupation.case_id == demo_case, 1), else_=0)).desc())
        .order_by(func.count().desc(), CaseTargetOccupation.occupation_id)
    ).scalars()
    order = [*aimed, *pool]
    chosen = {o: pool[o] for o in dict.fromkeys(order) if o in pool and len(pool[o]) >= 4}
    # A dozen: enough variety, and the catalogue teaches each of them in several rounds.
    return dict(list(chosen.items())[:12])


def _gap_of(case_id: int | None, pool: dict[int, list[int]]) -> list[tuple[int, set[int]]]:
    """The demo spouse's targets in the pool, each with the essential skills they lack."""
    if case_id is None:
        return []
    targets = db.session.scalars(
        select(CaseTargetOccupation.occupation_id)
        .where(CaseTargetOccupation.case_id == case_id)
        .order_by(CaseTargetOccupation.position)
    ).all()
    held = set(db.session.scalars(select(CaseSkill.skill_id).where(CaseSkill.case_id == case_id)))
    return [(o, set(pool[o]) - held) for o in targets if o in pool and set(pool[o]) - held]


def _profiles(rng: random.Random, cases, pool: dict[int, list[int]], now) -> None:
    """Targets and some held skills, unless another domain's demo made profiles."""
    if not pool or db.session.scalar(select(func.count()).select_from(CaseTargetOccupation)):
        return
    # The first case is the demo login's (hiddengems.demo.generator), still in intake: it
    # gets a profile too, so that the demo spouse sees recommendations.
    demo_spouse = cases[0].id if cases else None
    occupations = list(pool)
    targets, skills = [], []
    for case in cases:
        if case.stage in ("registered", "intake") and case.id != demo_spouse:
            continue
        chosen = rng.sample(occupations, rng.choice((1, 1, 2)))
        for position, occupation_id in enumerate(chosen, start=1):
            targets.append(
                {"case_id": case.id, "occupation_id": occupation_id, "position": position, "created_at": now}
            )
        needed = sorted({s for o in chosen for s in pool[o]})
        for skill_id in rng.sample(needed, min(len(needed), rng.randint(1, 4))):
            validated = case.adviser_id is not None and rng.random() < 0.6
            skills.append(
                {
                    "case_id": case.id,
                    "skill_id": skill_id,
                    "level": rng.choice(("basic", "intermediate", "advanced")),
                    "source": rng.choice(("work", "study", "work")),
                    "created_at": now,
                    "updated_at": now,
                    "validated_by_id": case.adviser_id if validated else None,
                    "validated_at": now if validated else None,
                }
            )
        if len(skills) >= BATCH:
            _flush((CaseTargetOccupation, targets), (CaseSkill, skills))
    _flush((CaseTargetOccupation, targets), (CaseSkill, skills))


def _catalogue(rng: random.Random, n_cases: int, pool, today, now, adviser_id, gap) -> tuple[list[dict], list[dict]]:
    count = max(len(CATALOGUE), n_cases // SPOUSES_PER_PROGRAMME)
    first_id = (db.session.scalar(select(func.max(Programme.id))) or 0) + 1
    programmes, taught = [], []
    for i in range(count):
        title, kind, provider, language, fi, en, cost, schedule, teaches = CATALOGUE[i % len(CATALOGUE)]
        round_no = i // len(CATALOGUE)
        if round_no:
            title = f"{title} ({COMPANIONS[round_no % len(COMPANIONS)]} {2025 + round_no % 3})"
        start, end = _dates(rng, PHASES[i % len(PHASES)], kind, today)
        capacity = rng.choice((8, 12, 15, 20, 25, 40)) if kind != "event" else rng.choice((30, 50, 80))
        programme_id = first_id + i
        programmes.append(
            {
                "id": programme_id,
                "title": title,
                "kind": kind,
                "provider": provider,
                "description": f"{title}. Organised by {provider}; the Hidden Gems team helps you sign up.",
                "starts_on": start,
                "ends_on": end,
                "schedule": schedule,
                "place": "Online" if "Online" in schedule else "Tampere",
                "online": "Online" in schedule,
                "language": language,
                "min_finnish": fi,
                "min_english": en,
                "capacity": capacity,
                "enrolled": 0,
                "cost_cents": cost,
                "open_for_signup": end is None or end >= today,
                "auto_confirm": kind == "event",
                "created_by_id": adviser_id,
                "created_at": now - timedelta(days=400),
                "updated_at": now - timedelta(days=rng.randint(0, 300)),
            }
        )
        if teaches and pool:
            occupation = rng.choice(list(pool))
            chosen = set(rng.sample(pool[occupation], min(len(pool[occupation]), rng.randint(2, 5))))
            if gap and (end is None or end >= today):
                # An open round that teaches what the demo spouse lacks for one target.
                occupation, lacking = gap.pop(0)
                chosen = lacking | set(rng.sample(pool[occupation], min(len(pool[occupation]), 2)))
            taught.extend({"programme_id": programme_id, "skill_id": skill_id} for skill_id in sorted(chosen))
    return programmes, taught


def _dates(rng: random.Random, phase: str, kind: str, today):
    if phase == "ongoing" and kind != "event":
        return None, None  # join any time
    days = 1 if kind == "event" else rng.choice((14, 42, 56, 90))
    if phase == "past":
        end = today - timedelta(days=rng.randint(1, 200))
        return end - timedelta(days=days - 1), end
    if phase == "running":
        start = today - timedelta(days=rng.randint(0, days - 1) if days > 1 else 0)
        return start, start + timedelta(days=days - 1)
    start = today + timedelta(days=rng.randint(3, 120))
    return start, start + timedelta(days=days - 1)


def _enrolments(rng: random.Random, cases, programmes: list[dict], today, now) -> None:
    """Histories for cases past intake; each programme's ``enrolled`` set to match."""
    enrolled: Counter[int] = Counter()
    rows, enrolment_id = [], (db.session.scalar(select(func.max(Enrolment.id))) or 0) + 1
    # A few upcoming rounds are popular: they fill up and keep a waitlist.
    popular = [p for p in programmes if p["starts_on"] and p["starts_on"] > today][::7]
    for case in cases:
        if case.stage not in ("training", "introductions", "closed", "skills"):
            continue
        picks = rng.sample(popular, 1) if popular and rng.random() < 0.15 else []
        picks += rng.sample(programmes, rng.randint(0, 3 if case.stage != "skills" else 1))
        for programme in {p["id"]: p for p in picks}.values():
            status = _status(rng, programme, today, enrolled)
            at = now - timedelta(days=rng.randint(1, 200))
            rows.append(
                {
                    "id": enrolment_id,
                    "programme_id": programme["id"],
                    "case_id": case.id,
                    "status": status,
                    "note": "",
                    "applied_at": at if status != "recommended" else None,
                    "waitlisted_at": at + timedelta(hours=1) if status == "waitlisted" else None,
                    "enrolled_at": at + timedelta(days=1) if status in ("enrolled", "completed") else None,
                    "ended_at": now - timedelta(days=rng.randint(1, 60))
                    if status in ("completed", "dropped")
                    else None,
                    "certificate": "Certificate of completion" if status == "completed" and rng.random() < 0.5 else "",
                    "grade": rng.choice(("", "pass", "4/5", "5/5")) if status == "completed" else "",
                    "attended": (rng.random() < 0.85)
                    if programme["kind"] == "event" and status == "completed"
                    else None,
                    "created_at": at,
                    "updated_at": at,
                }
            )
            enrolment_id += 1
    for programme in programmes:
        programme["enrolled"] = enrolled[programme["id"]]
    _flush((Programme, programmes))
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(Enrolment), rows[start : start + BATCH])


def _status(rng: random.Random, programme: dict, today, enrolled: Counter) -> str:
    start, end = programme["starts_on"], programme["ends_on"]
    has_place = enrolled[programme["id"]] < programme["capacity"]
    if end is not None and end < today:  # past: how it went
        status = rng.choices(("completed", "dropped"), (5, 1))[0] if has_place else "dropped"
        if status == "completed":  # a completed enrolment keeps its place: the round ran with it
            enrolled[programme["id"]] += 1
        return status
    if start is not None and start > today and rng.random() < 0.2:
        return rng.choice(("applied", "recommended"))
    if has_place:
        enrolled[programme["id"]] += 1
        return "enrolled"
    return "waitlisted"


def _flush(*batches) -> None:
    for model, rows in batches:
        if rows:
            db.session.execute(insert(model), rows)
            rows.clear()


def _fix_sequences() -> None:
    """Rows inserted with explicit ids leave PostgreSQL's sequences behind."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in ("programme", "enrolment"):
        db.session.execute(
            # table names come from the tuple above, never from input
            text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))")  # noqa: S608
        )
