"""Demo case work: a handful of activities per case (some shared with the spouse, some
meetings ahead, a few today; meetings a close cancelled; entries their author corrected).
Bulk inserts with explicit ids, no ORM object per row, so that 100,000 spouses take seconds."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, func, insert, select, update

from hiddengems.cases.models import Activity, ActivityRevision, Case, CaseOutcome, StageChange
from hiddengems.extensions import db
from hiddengems.timeutil import HELSINKI, utcnow
from hiddengems.vocab import EMPLOYED_OUTCOMES, SIX_MONTH_RESULTS

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


def add_demo(rng: random.Random, *, demo_adviser_id: int | None = None, busy_activities: int = 300) -> None:
    """Activities for every case past ``registered``; one case of the demo adviser gets
    ``busy_activities`` of them, to exercise a long timeline."""
    now = utcnow()
    cases = db.session.execute(
        select(Case.id, Case.adviser_id, Case.stage, Case.created_at)
        .where(Case.stage != "registered")
        .order_by(Case.id)
    ).all()
    busy_case = next(
        (c.id for c in cases if c.adviser_id == demo_adviser_id and c.stage in ("skills", "training", "introductions")),
        None,
    )
    activity_id = _next_id(Activity)
    activities: list[dict] = []

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
        # Some open cases with an adviser have a meeting booked ahead.
        if case.stage != "closed" and case.adviser_id is not None and rng.random() < 0.3:
            ahead = now + timedelta(days=rng.randint(1, 30), hours=rng.randint(0, 8))
            activity(case, "meeting", ahead, shared=True)
        if len(activities) >= BATCH:
            db.session.execute(insert(Activity), activities)
            activities.clear()
    if activities:
        db.session.execute(insert(Activity), activities)
    # Issue 13, drawn from a stream of their own so that the rows above stay as they were.
    extra = random.Random(rng.getrandbits(32))
    _adviser_day(extra, cases, now=now, demo_adviser_id=demo_adviser_id)
    _close_outcomes(rng, now)


# A few words advisers mistype and then correct (the revision keeps the first text).
TYPOS = (("the", "teh"), ("CV", "VC"), ("language", "langauge"), ("meeting", "meeitng"))


def _adviser_day(rng: random.Random, cases, *, now: datetime, demo_adviser_id: int | None) -> None:
    """What the adviser's day shows: two meetings today on the demo adviser's cases; planned
    meetings that a close cancelled (kept, marked); entries corrected by their author."""
    rows: list[dict] = []
    activity_id = _next_id(Activity)

    def meeting(case, at, cancelled_at=None) -> None:
        nonlocal activity_id
        rows.append(
            {
                "id": activity_id,
                "case_id": case.id,
                "kind": "meeting",
                "occurred_at": at,
                "duration_minutes": 60,
                "text": rng.choice(TEXTS["meeting"]),
                "shared_with_spouse": True,
                "author_id": case.adviser_id,
                "created_at": min(at, now) - timedelta(days=3),
                "cancelled_at": cancelled_at,
            }
        )
        activity_id += 1

    mine = [c for c in cases if c.adviser_id == demo_adviser_id and c.stage not in ("closed", "intake")]
    today = now.astimezone(HELSINKI).date()
    for case, hour in zip(mine[:2], (10, 14), strict=False):
        meeting(case, datetime(today.year, today.month, today.day, hour, 30, tzinfo=HELSINKI).astimezone(UTC))
    closed = [c for c in cases if c.stage == "closed" and c.adviser_id is not None]
    closed_at = dict(
        db.session.execute(
            select(StageChange.case_id, func.max(StageChange.at))
            .where(StageChange.to_stage == "closed")
            .group_by(StageChange.case_id)
        ).all()
    )
    for case in closed:
        at = closed_at.get(case.id)
        if at is not None and rng.random() < 0.3:
            meeting(case, at + timedelta(days=rng.randint(2, 20)), cancelled_at=at)
    if rows:
        db.session.execute(insert(Activity), rows)
    _corrections(rng, demo_adviser_id)


def _corrections(rng: random.Random, demo_adviser_id: int | None) -> None:
    """One in ten of the demo adviser's notes was corrected: the entry says "edited", and its
    revision holds the text with the typo."""
    if demo_adviser_id is None:
        return
    notes = db.session.execute(
        select(Activity.id, Activity.text, Activity.created_at)
        .where(Activity.author_id == demo_adviser_id, Activity.kind == "note")
        .order_by(Activity.id)
    ).all()
    revisions, edits = [], []
    for note in notes:
        if rng.random() >= 0.1:
            continue
        right, wrong = next(((r, w) for r, w in TYPOS if r in note.text), (None, None))
        if right is None:
            continue
        at = note.created_at + timedelta(minutes=rng.randint(5, 120))
        old = note.text.replace(right, wrong, 1)
        revisions.append(
            {"activity_id": note.id, "old_text": old, "new_text": note.text, "by_id": demo_adviser_id, "at": at}
        )
        edits.append({"b_id": note.id, "b_at": at})
    if revisions:
        db.session.execute(insert(ActivityRevision), revisions)
        table = Activity.__table__
        db.session.execute(
            update(table).where(table.c.id == bindparam("b_id")).values(edited_at=bindparam("b_at")), edits
        )


def _close_outcomes(rng: random.Random, now: datetime) -> None:
    """Each close's outcome record, as closing a case makes one; a close more than six
    months and a week ago has, most often, the spouse's situation six months after (what
    the follow-up of the rule "Six-month result after closing" asks the adviser)."""
    closes = db.session.execute(
        select(StageChange.id, StageChange.case_id, StageChange.at, Case.outcome)
        .join(Case, Case.id == StageChange.case_id)
        .where(StageChange.to_stage == "closed", Case.outcome.is_not(None))
        .where(~select(CaseOutcome.id).where(CaseOutcome.stage_change_id == StageChange.id).exists())
        .order_by(StageChange.id)
    ).all()
    rows = []
    for change_id, case_id, at, outcome in closes:
        row = {"case_id": case_id, "stage_change_id": change_id, "outcome": outcome}
        row |= {"six_month_result": None, "six_month_recorded_at": None}
        if now - at > timedelta(days=190) and rng.random() < 0.75:
            employed = outcome in EMPLOYED_OUTCOMES or outcome == "self_employed"
            weights = (70, 10, 15, 5) if employed else (25, 20, 35, 20)
            row["six_month_result"] = rng.choices(SIX_MONTH_RESULTS, weights)[0]
            row["six_month_recorded_at"] = at + timedelta(days=rng.randint(183, 190))
        rows.append(row)
        if len(rows) >= BATCH:
            db.session.execute(insert(CaseOutcome), rows)
            rows.clear()
    if rows:
        db.session.execute(insert(CaseOutcome), rows)
