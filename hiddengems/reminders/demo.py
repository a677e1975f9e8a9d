"""Demo follow-ups: up to two per open case with an adviser, some done, some overdue,
some due at a time of day, some snoozed before; every third shown to the spouse. Cases in
the intake queue have follow-ups of the queue (no one's yet); some closed cases keep the
follow-ups their close cancelled. The default reminder rules with half a year of firings.
Bulk inserts with explicit ids, so that 100,000 spouses
take seconds."""

from __future__ import annotations

import random
from datetime import time, timedelta

from sqlalchemy import func, insert, select, text, update

from hiddengems.cases.models import Case
from hiddengems.extensions import db
from hiddengems.mail.models import OutboxMessage
from hiddengems.reminders.models import FollowUp, ReminderRule
from hiddengems.reminders.rules import seed_defaults
from hiddengems.reminders.sweep import fire_rule
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
QUEUE_FOLLOW_UP_TITLE = "Welcome call: book the first meeting"
# Every third follow-up is shown to the spouse: chosen by id, so the random draws (and
# so the rest of the demo data) stay the same for a given seed.
SHARED_EVERY = 3
# Office hours, on the half hour: when a follow-up has a time of day.
DUE_TIMES = [time(hour, minute) for hour in range(8, 17) for minute in (0, 30)]


def add_demo(rng: random.Random, **_context) -> None:
    now = utcnow()
    today = now.astimezone(HELSINKI).date()
    cases = db.session.execute(
        select(Case.id, Case.adviser_id, Case.stage).where(Case.stage != "registered").order_by(Case.id)
    ).all()
    follow_up_id = (db.session.scalar(select(func.max(FollowUp.id))) or 0) + 1
    rows: list[dict] = []
    for case in cases:
        for row in _follow_ups_of(rng, case, today=today, now=now):
            shared = follow_up_id % SHARED_EVERY == 0 and case.adviser_id is not None
            if shared:
                row["title"] = SPOUSE_FOLLOW_UP_TITLES[follow_up_id % len(SPOUSE_FOLLOW_UP_TITLES)]
            rows.append({**row, "id": follow_up_id, "case_id": case.id, "shared_with_spouse": shared})
            follow_up_id += 1
        if len(rows) >= BATCH:
            db.session.execute(insert(FollowUp), rows)
            rows.clear()
    if rows:
        db.session.execute(insert(FollowUp), rows)
    _add_rule_history(rng, now)


def _follow_ups_of(rng: random.Random, case, *, today, now) -> list[dict]:
    """A case's follow-ups: open work for a case with an adviser, a welcome call for one in
    the queue, and cancelled ones (kept) for some closed cases."""
    if case.stage == "closed":
        if rng.random() >= 0.3:
            return []
        cancelled = now - timedelta(days=rng.randint(1, 200))
        return [
            {
                "assignee_id": case.adviser_id,
                "due_on": cancelled.astimezone(HELSINKI).date() + timedelta(days=rng.randint(1, 20)),
                "title": rng.choice(FOLLOW_UP_TITLES),
                "done_at": cancelled,
                "cancelled_at": cancelled,
                "created_by_id": case.adviser_id,
                "created_at": cancelled - timedelta(days=rng.randint(1, 40)),
            }
        ]
    if case.adviser_id is None:
        if rng.random() >= 0.5:
            return []
        return [
            {
                "assignee_id": None,
                "due_on": today + timedelta(days=rng.randint(-5, 7)),
                "title": QUEUE_FOLLOW_UP_TITLE,
                "created_at": now - timedelta(days=rng.randint(1, 10)),
            }
        ]
    rows = []
    for _ in range(rng.randint(0, 2)):
        done = rng.random() < 0.2
        snoozes = rng.choice((0, 0, 0, 0, 0, 1, 1, 2, 3))
        rows.append(
            {
                "assignee_id": case.adviser_id,
                "due_on": today + timedelta(days=rng.randint(-20, 30)),
                "due_time": rng.choice(DUE_TIMES) if rng.random() < 0.35 else None,
                "title": rng.choice(FOLLOW_UP_TITLES),
                "done_at": now - timedelta(days=rng.randint(0, 10)) if done else None,
                "snooze_count": snoozes,
                "snoozed_at": now - timedelta(days=rng.randint(1, 14), hours=rng.randint(0, 8)) if snoozes else None,
                "created_by_id": case.adviser_id,
                "created_at": now - timedelta(days=rng.randint(1, 40)),
            }
        )
    return rows


# --- reminder rules: the defaults, and half a year of firings made by the real sweep ----

HISTORY_DAYS = 183
SWEEP_EVERY_DAYS = 7
DONE_SHARE = 0.75


def _add_rule_history(rng: random.Random, now) -> None:
    """The default rules applying from half a year ago, swept weekly until yesterday (so
    the live scheduler makes today's); most of what they made long ago is done, and their
    e-mails were sent."""
    if db.session.get_bind().dialect.name == "postgresql":
        # The follow-ups above took explicit ids; the sweep's take the sequence's.
        db.session.execute(
            text(
                "SELECT setval(pg_get_serial_sequence('follow_up', 'id'), (SELECT COALESCE(MAX(id), 1) FROM follow_up))"
            )
        )
    seed_defaults(now)
    start = now - timedelta(days=HISTORY_DAYS)
    db.session.execute(update(ReminderRule).values(effective_from=start, created_at=start, updated_at=start))
    rules = list(db.session.scalars(select(ReminderRule).order_by(ReminderRule.id)))
    for days_ago in [*range(HISTORY_DAYS - 1, 1, -SWEEP_EVERY_DAYS), 1]:
        for rule in rules:
            fire_rule(rule, now - timedelta(days=days_ago))
    today = now.astimezone(HELSINKI).date()
    made = db.session.execute(
        select(FollowUp.id, FollowUp.created_at).where(
            FollowUp.firing_id.is_not(None), FollowUp.due_on < today - timedelta(days=3)
        )
    ).all()
    done = [
        {"id": row.id, "done_at": min(row.created_at + timedelta(days=rng.randint(0, 10)), now)}
        for row in made
        if rng.random() < DONE_SHARE
    ]
    for start_at in range(0, len(done), BATCH):
        db.session.execute(update(FollowUp), done[start_at : start_at + BATCH])
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.kind == "reminder", OutboxMessage.sent_at.is_(None))
        .values(sent_at=OutboxMessage.created_at, attempts=1)
    )
