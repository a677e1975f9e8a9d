"""Demo case work: a handful of activities per case (some shared with the spouse, some
meetings ahead) and follow-ups (some overdue, some shown to the spouse). Bulk inserts
with explicit ids, no ORM object per row, so that 100,000 spouses take seconds."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select

from hiddengems.cases.models import Activity, Case
from hiddengems.extensions import db
from hiddengems.reminders.models import FollowUp
from hiddengems.timeutil import HELSINKI, utcnow

BATCH = 5000
KINDS = ("note", "call", "email", "meeting")
KIND_WEIGHTS = (40, 25, 20, 15)
MINUTES = {"note": (5, 20), "call": (5, 30), "email": (5, 15), "meeting": (30, 90)}
TEXTS = {
    "note": [
        "Reviewed the CV together; needs a Finnish-style summary at the top.",
        "Strong background in data work; looking at analyst openings.",
        "Prefers part-time work while the children start day care.",
        "Residence permit allows full-time work.",
    ],
    "call": [
        "Called to check how the language course is going.",
        "Phone call about the next steps and the timetable.",
        "Discussed two possible work trials.",
    ],
    "email": [
        "Sent the link to the digital skills workshop.",
        "Sent feedback on the cover letter.",
        "Shared the list of employers recruiting in English.",
    ],
    "meeting": [
        "First meeting: goals, languages and availability.",
        "Skills mapping session.",
        "Preparation for the employer introduction.",
    ],
}
FOLLOW_UP_TITLES = [
    "Check how the course started",
    "Send the updated CV to the employer",
    "Book the skills mapping meeting",
    "Ask about the work trial result",
    "Call back about the permit renewal",
]
# Follow-ups that concern the spouse, as the adviser writes them for their page.
SPOUSE_FOLLOW_UP_TITLES = [
    "Send your updated CV",
    "Sign up for the Finnish course",
    "Bring your degree certificate to the next meeting",
    "Fill in the work trial form",
]
# Every third follow-up is shown to the spouse: chosen by id, so the random draws (and
# so the rest of the demo data) stay the same for a given seed.
SHARED_EVERY = 3


def office_hours(at: datetime, now: datetime) -> datetime:
    """Move a drawn time to a weekday between 8 and 17 in Helsinki, as advisers work;
    a past time stays in the past. Deterministic, so the random draws stay the same."""
    local = at.astimezone(HELSINKI)
    local = local.replace(hour=8 + local.hour % 9, minute=local.minute // 5 * 5, second=0, microsecond=0)
    if local.weekday() >= 5:
        local -= timedelta(days=local.weekday() - 4)  # back to Friday
    moved = local.astimezone(UTC)
    while at <= now < moved:
        moved -= timedelta(days=1)
    return moved


def _next_id(model) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def add_demo_casework(rng: random.Random, *, busy_adviser_id: int | None = None, busy_activities: int = 300) -> None:
    """Activities and follow-ups for every case past ``registered``; one case of
    ``busy_adviser_id`` gets ``busy_activities`` of them, to exercise a long timeline."""
    now = utcnow()
    today = now.astimezone(HELSINKI).date()
    cases = db.session.execute(
        select(Case.id, Case.adviser_id, Case.stage, Case.created_at)
        .where(Case.stage != "registered")
        .order_by(Case.id)
    ).all()
    busy_case = next(
        (c.id for c in cases if c.adviser_id == busy_adviser_id and c.stage in ("skills", "training", "introductions")),
        None,
    )
    activity_id, follow_up_id = _next_id(Activity), _next_id(FollowUp)
    activities: list[dict] = []
    follow_ups: list[dict] = []

    def activity(case, kind: str, at, shared: bool) -> None:
        nonlocal activity_id
        at = office_hours(at, now)
        low, high = MINUTES[kind]
        activities.append(
            {
                "id": activity_id,
                "case_id": case.id,
                "kind": kind,
                "occurred_at": at,
                "duration_minutes": rng.randint(low, high),
                "text": rng.choice(TEXTS[kind]),
                "shared_with_spouse": shared,
                "author_id": case.adviser_id,
                "created_at": min(at, now),
            }
        )
        activity_id += 1

    for case in cases:
        span = max((now - case.created_at).total_seconds(), 3600.0)
        count = busy_activities if case.id == busy_case else rng.randint(2, 6)
        for _ in range(count):
            kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
            at = case.created_at + timedelta(seconds=rng.uniform(0, span))
            activity(case, kind, at, shared=kind != "note" and rng.random() < 0.4)
        is_open = case.stage != "closed"
        if is_open and case.adviser_id is not None:
            if rng.random() < 0.3:
                ahead = now + timedelta(days=rng.randint(1, 30), hours=rng.randint(0, 8))
                activity(case, "meeting", ahead, shared=True)
            for _ in range(rng.randint(0, 2)):
                done = rng.random() < 0.2
                shared = follow_up_id % SHARED_EVERY == 0
                title = rng.choice(FOLLOW_UP_TITLES)
                if shared:
                    title = SPOUSE_FOLLOW_UP_TITLES[follow_up_id % len(SPOUSE_FOLLOW_UP_TITLES)]
                follow_ups.append(
                    {
                        "id": follow_up_id,
                        "case_id": case.id,
                        "assignee_id": case.adviser_id,
                        "due_on": today + timedelta(days=rng.randint(-20, 30)),
                        "title": title,
                        "shared_with_spouse": shared,
                        "done_at": now - timedelta(days=rng.randint(0, 10)) if done else None,
                        "created_by_id": case.adviser_id,
                        "created_at": now - timedelta(days=rng.randint(1, 40)),
                    }
                )
                follow_up_id += 1
        if len(activities) >= BATCH:
            db.session.execute(insert(Activity), activities)
            activities.clear()
        if len(follow_ups) >= BATCH:
            db.session.execute(insert(FollowUp), follow_ups)
            follow_ups.clear()
    if activities:
        db.session.execute(insert(Activity), activities)
    if follow_ups:
        db.session.execute(insert(FollowUp), follow_ups)
