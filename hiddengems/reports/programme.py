"""What the programme did, beside the participants' way: training enrolments and
completions by kind, and introductions to employers with what they led to (an interview,
a work trial, a hire). Counted in SQL (grouped), each protected as a family of its own
with every organisation and all, every month, quarter and year (hiddengems/reports/protect.py).

These count events, not people: an enrolment a row (a participant may have several), an
introduction a row. An enrolment counts in the month it got its place; a completion with
it. An introduction counts in the month it was first sent to the employer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from datetime import date

from sqlalchemy import case, func, select

from hiddengems.auth.models import User
from hiddengems.cases.models import Case
from hiddengems.extensions import db
from hiddengems.introductions.models import Introduction, IntroductionEvent
from hiddengems.reports.models import ALL
from hiddengems.reports.periods import Bucket, Month, end_of_day_utc, month_key
from hiddengems.reports.protect import Family, protect
from hiddengems.training.models import KINDS, Enrolment, Programme

LED_TO = ("interview", "work_trial", "hired")
PLACED = ("enrolled", "completed", "dropped")  # statuses of an enrolment that had a place


def _verified(cutoff):
    return (
        select(Case.id.label("case_id"), Case.organisation_id.label("org"))
        .join(User, User.id == Case.spouse_id)
        .where(Case.created_at < cutoff, User.email_verified_at.is_not(None), User.email_verified_at < cutoff)
        .subquery()
    )


def count_training(day: date, months: list[Month], month_index) -> Counter:
    """(org, month, kind, completed) → enrolments."""
    cutoff = end_of_day_utc(day)
    people = _verified(cutoff)
    completed = case(((Enrolment.status == "completed") & (Enrolment.ended_at < cutoff), 1), else_=0)
    rows = (
        select(
            people.c.org,
            month_index(Enrolment.enrolled_at, months).label("month"),
            Programme.kind.label("kind"),
            completed.label("completed"),
        )
        .join(people, people.c.case_id == Enrolment.case_id)
        .join(Programme, Programme.id == Enrolment.programme_id)
        .where(Enrolment.status.in_(PLACED), Enrolment.enrolled_at < cutoff)
        .subquery()
    )
    keys = [month_key(m) for m in months]
    found: Counter = Counter()
    stmt = select(rows.c.org, rows.c.month, rows.c.kind, rows.c.completed, func.count()).group_by(
        rows.c.org, rows.c.month, rows.c.kind, rows.c.completed
    )
    for org, month, kind, done, n in db.session.execute(stmt):
        found[(org, keys[month], kind, int(done))] += n
    return found


def count_introductions(day: date, months: list[Month], month_index) -> Counter:
    """(org, month, interview, work_trial, hired) → introductions sent to an employer."""
    cutoff = end_of_day_utc(day)
    people = _verified(cutoff)
    event = IntroductionEvent

    def reached(status: str):
        return func.max(case((event.status == status, 1), else_=0))

    per_introduction = (
        select(
            event.introduction_id,
            func.min(case((event.status == "introduced", event.at), else_=None)).label("sent"),
            *(reached(status).label(status) for status in LED_TO),
        )
        .where(event.at < cutoff)
        .group_by(event.introduction_id)
        .subquery()
    )
    p = per_introduction.c
    rows = (
        select(people.c.org, month_index(p.sent, months).label("month"), *(p[s] for s in LED_TO))
        .join(Introduction, Introduction.id == p.introduction_id)
        .join(people, people.c.case_id == Introduction.case_id)
        .where(p.sent.is_not(None))
        .subquery()
    )
    keys = [month_key(m) for m in months]
    columns = [rows.c.org, rows.c.month, *(rows.c[s] for s in LED_TO)]
    found: Counter = Counter()
    for org, month, *flags, n in db.session.execute(select(*columns, func.count()).group_by(*columns)):
        found[(org, keys[month], *(int(f) for f in flags))] += n
    return found


def protect_training(atoms: Counter, organisations, keys, scopes, all_buckets: list[Bucket], threshold: int):
    cells: dict[Hashable, dict] = {}
    for scope in scopes:
        box = {} if scope == ALL else {"org": frozenset({scope})}
        for bucket in all_buckets:
            months = box | {"month": frozenset(bucket.months)}
            for kind in (*KINDS, "total"):
                kinds = {} if kind == "total" else {"kind": frozenset({kind})}
                cells[("enrolled", scope, bucket.key, kind)] = months | kinds
                cells[("completed", scope, bucket.key, kind)] = months | kinds | {"completed": frozenset({1})}
    family = Family(
        domain={"org": organisations, "month": keys, "kind": KINDS, "completed": (0, 1)}, atoms=dict(atoms), cells=cells
    )
    marks = protect(family, threshold)
    return {
        scope: {
            b.key: {
                kind: [marks[(what, scope, b.key, kind)].published for what in ("enrolled", "completed")]
                for kind in (*KINDS, "total")
            }
            for b in all_buckets
        }
        for scope in scopes
    }


def protect_introductions(atoms: Counter, organisations, keys, scopes, all_buckets: list[Bucket], threshold: int):
    cells: dict[Hashable, dict] = {}
    for scope in scopes:
        box = {} if scope == ALL else {"org": frozenset({scope})}
        for bucket in all_buckets:
            months = box | {"month": frozenset(bucket.months)}
            cells[("introduced", scope, bucket.key)] = months
            for status in LED_TO:
                cells[(status, scope, bucket.key)] = months | {status: frozenset({1})}
    domain = {"org": organisations, "month": keys, **dict.fromkeys(LED_TO, (0, 1))}
    marks = protect(Family(domain=domain, atoms=dict(atoms), cells=cells), threshold)
    return {
        scope: {b.key: [marks[(what, scope, b.key)].published for what in ("introduced", *LED_TO)] for b in all_buckets}
        for scope in scopes
    }
