"""Demo skills profiles for the spouses past intake, and for some whose intake is sent.

Each profile follows the spouse's intake: the jobs of their work history become past
occupations (with the years they gave), the goals they wrote become one to three target
occupations, and the skills come from those occupations' essential and optional skills
in the taxonomy — the work's at a level that grows with the years, a few of the targets'
from study or training. The further the case, the more of them the adviser has validated.

The taxonomy is the starter one (loaded here into an empty taxonomy, as ``make run`` does
before the demo) or a full ESCO import: occupations are found by their ESCO URI, which
both share. Bulk inserts, no ORM object per row: 100,000 spouses take seconds.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select

from hiddengems.cases.models import Case, StageChange
from hiddengems.extensions import db
from hiddengems.intake.models import IntakeProfile, WorkExperience
from hiddengems.skills.models import (
    MAX_TARGETS,
    CasePastOccupation,
    CaseSkill,
    CaseTargetOccupation,
    Occupation,
    OccupationSkill,
)
from hiddengems.skills.starter import load_starter
from hiddengems.timeutil import utcnow

BATCH = 5000
DAY = 86_400
ESCO_OCCUPATION = "http://data.europa.eu/esco/occupation/"
# The ESCO occupations of the demo, by preferred label (their URIs are ESCO v1.2.0's).
OCCUPATIONS = {
    "software developer": "f2b15a0e-e65a-438a-affb-29b9d50b77d1",
    "web developer": "c40a2919-48a9-40ea-b506-1f34f693496d",
    "ICT system analyst": "a6a0b60f-08da-4faa-bf54-942987efb471",
    "software tester": "106f79e4-6264-45f1-9e7a-297435cd684b",
    "data analyst": "d3edb8f8-3a06-47a0-8fb9-9b212c006aa2",
    "data scientist": "258e46f9-0075-4a2e-adae-1ff0477e0f30",
    "statistician": "ac8b3cd1-a127-4e6a-8208-5cfcf7111955",
    "market research analyst": "66fb9704-0d56-4673-8e69-7823816b73e1",
    "accountant": "eda0d957-3c3c-4139-b89a-a18bc9e18897",
    "financial analyst": "8d586ee9-0ab1-4155-a3b0-2ca786c8e48c",
    "financial auditor": "1ad59946-d13e-441e-9b36-56e1df055e21",
    "secondary school teacher": "5efb2c08-ba3a-4659-a2e4-1883f54e77b6",
    "primary school teacher": "03d79393-7b30-4159-945b-01963eddd302",
    "vocational teacher": "81f8d141-3f67-4fb0-a349-db0147ef7b3a",
    "language school teacher": "9711dcfc-d9a8-4fba-9c5e-8428d8bcb53e",
    "civil engineer": "d7d986e1-7333-431b-9719-0c5c6939e360",
    "environmental engineer": "ac1fc6a9-70d2-475c-8fa0-82ef83830968",
    "chemist": "0d93706d-32fd-4de3-aa08-be1003e325da",
    "biologist": "eee68e13-8248-43bb-a9fb-959832a6c217",
    "marketing manager": "6fcf4638-e7c7-4978-9302-9a7b63a3d57c",
    "digital marketing manager": "dc97adbe-f807-4ad8-8f3c-c24b3416cdef",
    "public relations officer": "c0489e22-6a1b-4e52-974a-eb71bbb42134",
    "nurse responsible for general care": "8d3e8aaa-791b-4c75-a465-f3f827028f50",
    "physiotherapist": "006cc1f9-2841-41c3-991a-dc3f2f3bd533",
    "interior designer": "73e776fb-4d99-4031-bad4-7716f121155d",
    "industrial designer": "ab7bccb2-6f81-4a3d-a0c0-fca5d47d2775",
    "university research assistant": "5ac65daa-0896-4193-9f0e-8b00746b78a1",
    "research and development manager": "73ceb2f9-18e3-4cfe-9c06-e9fb31ece440",
    "project manager": "bea99fea-0383-4c63-b944-70d4799de2c5",
    "ICT project manager": "8b6388a4-4904-471b-9331-d3b1211f5525",
    "business consultant": "6a29d804-f775-446c-bec7-35fc4e28ac97",
    "pharmacist": "7c132147-428b-4ea3-87e1-70f7abb691ce",
}
# The job titles of the intake's demo work history (hiddengems/intake/demo.py), as an adviser
# maps them to ESCO; a title with no occupation in the taxonomy stays out of the profile.
PAST = {
    "Software developer": "software developer",
    "Data analyst": "data analyst",
    "Accountant": "accountant",
    "Secondary school teacher": "secondary school teacher",
    "Civil engineer": "civil engineer",
    "Marketing specialist": "marketing manager",
    "Nurse": "nurse responsible for general care",
    "Research assistant": "university research assistant",
    "Project manager": "project manager",
    "Pharmacist": "pharmacist",
}
# The goals the intake's demo spouses write (its target occupations), and the ESCO
# occupations they lead to, the closest first.
GOALS = {
    "software developer": ["software developer", "web developer", "ICT system analyst", "software tester"],
    "data analyst": ["data analyst", "data scientist", "statistician", "market research analyst"],
    "accountant": ["accountant", "financial analyst", "financial auditor"],
    "teacher, education coordinator": [
        "secondary school teacher",
        "primary school teacher",
        "vocational teacher",
        "language school teacher",
    ],
    "civil engineer": ["civil engineer", "environmental engineer", "project manager"],
    "laboratory technician": ["chemist", "biologist", "university research assistant"],
    "marketing specialist, communications officer": [
        "digital marketing manager",
        "public relations officer",
        "marketing manager",
        "market research analyst",
    ],
    "nurse, care assistant": ["nurse responsible for general care", "physiotherapist"],
    "architect": ["interior designer", "industrial designer", "civil engineer"],
    "research assistant": ["university research assistant", "research and development manager", "statistician"],
    "project manager": ["project manager", "ICT project manager", "business consultant"],
    "pharmacist": ["pharmacist", "chemist"],
}
# By the case's stage: the chance that the adviser has validated the whole profile (a mapping
# session done, nothing added since), and otherwise the share of its skills validated.
ALL_VALIDATED = {"intake": 0.0, "skills": 0.1, "training": 0.6, "introductions": 0.7, "closed": 0.8}
VALIDATED_SHARE = {"intake": 0.0, "skills": 0.3, "training": 0.75, "introductions": 0.8, "closed": 0.8}
# How many of the spouses whose intake is sent (stage intake) have started their profile.
STARTED_AT_INTAKE = 0.4


def add_demo(rng: random.Random, **_context) -> int:
    """Give the cases past intake (and some at it) a skills profile; returns how many."""
    occupations = _occupations()
    if not occupations:
        return 0
    needs = _needs(occupations.values())
    now = utcnow()
    cases = db.session.execute(
        select(Case.id, Case.spouse_id, Case.adviser_id, Case.stage, IntakeProfile.target_occupations)
        .join(IntakeProfile, IntakeProfile.case_id == Case.id)
        .where(Case.stage.in_(tuple(VALIDATED_SHARE)), IntakeProfile.submitted_at.is_not(None))
        .order_by(Case.id)
    ).all()
    work = _work_history()
    started = _skills_started()
    rows = _Rows()
    made = 0
    for index, case in enumerate(cases):
        # The first case is the demo spouse's (hiddengems/demo/generator.py): theirs is always started.
        if case.stage == "intake" and index and rng.random() >= STARTED_AT_INTAKE:
            continue
        since = started.get(case.id)
        if since is None:
            continue
        past = _past(work.get(case.id, []), occupations)
        targets = _targets(rng, case.target_occupations, past, occupations)
        for occupation_id, (years, title) in past.items():
            rows.add(
                CasePastOccupation,
                {
                    "case_id": case.id,
                    "occupation_id": occupation_id,
                    "years": years,
                    "job_title": title,
                    "added_by_id": case.spouse_id,
                    "created_at": since,
                },
            )
        for position, occupation_id in enumerate(targets, start=1):
            rows.add(
                CaseTargetOccupation,
                {
                    "case_id": case.id,
                    "occupation_id": occupation_id,
                    "position": position,
                    "added_by_id": case.spouse_id,
                    "created_at": since,
                },
            )
        for row in _skills(rng, case, since, now, past, targets, needs):
            rows.add(CaseSkill, row)
        made += 1
        if len(rows.rows[CaseSkill]) >= BATCH:
            rows.flush()
    rows.flush()
    return made


class _Rows:
    """The rows to insert, a batch at a time. Core inserts into the tables, not the ORM's
    bulk insert: every row has the same columns, so each batch is one executemany, and the
    ORM's per-row bookkeeping would cost a quarter more at 100,000 spouses."""

    MODELS = (CasePastOccupation, CaseTargetOccupation, CaseSkill)

    def __init__(self) -> None:
        self.rows: dict[type, list[dict]] = {model: [] for model in self.MODELS}

    def add(self, model: type, row: dict) -> None:
        self.rows[model].append(row)

    def flush(self) -> None:
        for model, rows in self.rows.items():
            if rows:
                db.session.execute(insert(model.__table__), rows)
                rows.clear()


def _occupations() -> dict[str, int]:
    """The demo's occupations by label -> id; the starter taxonomy is loaded into an empty one."""
    if not db.session.scalar(select(func.count()).select_from(Occupation)):
        load_starter()
    uris = {ESCO_OCCUPATION + uuid: label for label, uuid in OCCUPATIONS.items()}
    found = db.session.execute(
        select(Occupation.uri, Occupation.id).where(Occupation.uri.in_(uris), Occupation.obsolete.is_(False))
    ).all()
    return {uris[uri]: occupation_id for uri, occupation_id in found}


def _needs(occupation_ids) -> dict[int, tuple[list[int], list[int]]]:
    """Occupation id -> (essential skill ids, optional skill ids), in a fixed order."""
    needs: dict[int, tuple[list[int], list[int]]] = {occupation_id: ([], []) for occupation_id in occupation_ids}
    rows = db.session.execute(
        select(OccupationSkill.occupation_id, OccupationSkill.relation, OccupationSkill.skill_id)
        .where(OccupationSkill.occupation_id.in_(list(needs)))
        .order_by(OccupationSkill.occupation_id, OccupationSkill.skill_id)
    )
    for occupation_id, relation, skill_id in rows:
        needs[occupation_id][0 if relation == "essential" else 1].append(skill_id)
    return needs


def _work_history() -> dict[int, list[tuple[str, int | None]]]:
    """Case id -> the jobs of its sent intake (title, years), in the spouse's order."""
    rows = db.session.execute(
        select(IntakeProfile.case_id, WorkExperience.job_title, WorkExperience.years)
        .join(WorkExperience, WorkExperience.profile_id == IntakeProfile.id)
        .where(IntakeProfile.submitted_at.is_not(None))
        .order_by(IntakeProfile.case_id, WorkExperience.position)
    )
    work: dict[int, list[tuple[str, int | None]]] = defaultdict(list)
    for case_id, title, years in rows:
        work[case_id].append((title, years))
    return work


def _skills_started() -> dict[int, datetime]:
    """Case id -> when the profile was begun: the move to skills mapping, or for a case still
    at intake, when the intake was sent."""
    moved = db.session.execute(select(StageChange.case_id, StageChange.at).where(StageChange.to_stage == "skills"))
    started = dict(moved.all())
    sent = db.session.execute(
        select(IntakeProfile.case_id, IntakeProfile.submitted_at)
        .join(Case, Case.id == IntakeProfile.case_id)
        .where(Case.stage == "intake", IntakeProfile.submitted_at.is_not(None))
    )
    started.update(sent.all())
    return started


def _past(jobs: list[tuple[str, int | None]], occupations: dict[str, int]) -> dict[int, tuple[int | None, str]]:
    """Occupation id -> (years, job title as the spouse wrote it); the same occupation twice adds up."""
    past: dict[int, tuple[int | None, str]] = {}
    for title, years in jobs:
        occupation_id = occupations.get(PAST.get(title, ""))
        if occupation_id is None:
            continue
        if occupation_id in past:
            before, first_title = past[occupation_id]
            years = min((before or 0) + (years or 0), 60)
            title = first_title
        past[occupation_id] = (years, title)
    return past


def _targets(rng: random.Random, goals: str | None, past: dict, occupations: dict[str, int]) -> list[int]:
    """One to three targets: the occupations the spouse's goals lead to, now and then one of
    another field (a change of career)."""
    near = [occupations[label] for label in GOALS.get(goals or "", []) if label in occupations]
    if not near:
        near = list(past) or [rng.choice(sorted(occupations.values()))]
    count = min(rng.choice((1, 1, 2, 2, 3)), len(near))
    # The closest goal first, then others drawn from the rest.
    targets = [near[0], *rng.sample(near[1:], count - 1)]
    if len(targets) < MAX_TARGETS and rng.random() < 0.15:
        other = rng.choice(sorted(occupations.values()))
        if other not in targets:
            targets.append(other)
    return targets


def _level(rng: random.Random, years: int | None) -> str:
    if years is None or years < 3:
        return rng.choice(("basic", "intermediate", "intermediate"))
    if years < 8:
        return rng.choice(("intermediate", "advanced", "advanced"))
    return rng.choice(("advanced", "expert", "expert"))


def _skills(rng, case, since, now, past, targets, needs) -> list[dict]:
    """5 to 20 skills: first from the past occupations (work), the rest from the targets'
    needs (study, training, other), each validated by the adviser with the stage's chance."""
    count = rng.randint(5, 20)
    chosen: dict[int, tuple[str, str]] = {}
    for occupation_id, (years, _title) in past.items():
        essential, optional = needs.get(occupation_id, ([], []))
        pool = essential + rng.sample(optional, min(len(optional), 4))
        for skill_id in rng.sample(pool, min(len(pool), count - len(chosen))):
            chosen.setdefault(skill_id, (_level(rng, years), "work"))
    for occupation_id in targets:
        if len(chosen) >= count:
            break
        essential, optional = needs.get(occupation_id, ([], []))
        pool = [skill_id for skill_id in essential + optional if skill_id not in chosen]
        for skill_id in rng.sample(pool, min(len(pool), count - len(chosen))):
            chosen[skill_id] = (rng.choice(("basic", "intermediate")), rng.choice(("study", "training", "other")))
    share = 0.0
    if case.adviser_id:
        share = 1.0 if rng.random() < ALL_VALIDATED[case.stage] else VALIDATED_SHARE[case.stage]
    rows = []
    for skill_id, (level, source) in chosen.items():
        # Added within two weeks of the start, validated one to thirty days later (floats:
        # randint costs more than the rest of the row at 100,000 spouses).
        added_at = min(since + timedelta(seconds=rng.random() * 14 * DAY), now)
        validated_at = None
        if rng.random() < share:
            validated_at = min(added_at + timedelta(seconds=DAY + rng.random() * 29 * DAY), now)
        rows.append(
            {
                "case_id": case.id,
                "skill_id": skill_id,
                "level": level,
                "source": source,
                "added_by_id": case.spouse_id,
                "created_at": added_at,
                "updated_at": added_at,
                "validated_by_id": case.adviser_id if validated_at else None,
                "validated_at": validated_at,
            }
        )
    return rows
