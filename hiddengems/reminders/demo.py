"""Demo follow-ups: up to two per open case with an adviser, some done, some overdue,
every third shown to the spouse. Bulk inserts with explicit ids, so that 100,000 spouses
take seconds."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import func, insert, select

from hiddengems.cases.models import Case
from hiddengems.extensions import db
from hiddengems.reminders.models import FollowUp
from hiddengems.timeutil import HELSINKI, utcnow

BATCH = 5000
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


def add_demo(rng: random.Random, **_context) -> None:
    now = utcnow()
    today = now.astimezone(HELSINKI).date()
    cases = db.session.execute(
        select(Case.id, Case.adviser_id)
        .where(Case.stage.not_in(("registered", "closed")), Case.adviser_id.is_not(None))
        .order_by(Case.id)
    ).all()
    follow_up_id = (db.session.scalar(select(func.max(FollowUp.id))) or 0) + 1
    rows: list[dict] = []
    for case in cases:
        for _ in range(rng.randint(0, 2)):
            done = rng.random() < 0.2
            shared = follow_up_id % SHARED_EVERY == 0
            title = rng.choice(FOLLOW_UP_TITLES)
            if shared:
                title = SPOUSE_FOLLOW_UP_TITLES[follow_up_id % len(SPOUSE_FOLLOW_UP_TITLES)]
            rows.append(
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
        if len(rows) >= BATCH:
            db.session.execute(insert(FollowUp), rows)
            rows.clear()
    if rows:
        db.session.execute(insert(FollowUp), rows)
