"""The day's figures: counted in SQL (grouped queries), protected together, published.

Everyone HR can read about is in two families (hiddengems/reports/protect.py):

- **participants** by organisation × month of registration × the furthest step reached ×
  the stage as of the end of the day: the stock by stage (and the active), the
  registrations and the funnel of each month, quarter and year;
- **closed cases** by organisation × month of closing × outcome: the closures, the
  outcomes and the employed of each month, quarter and year.

Each family holds every organisation's cells *and* those of all organisations, and a
month's, its quarter's and its year's, so that no view can be set against another to
recover a hidden cell. The two families share one figure, the closed cases of each scope
(a stage in the first, all closings in the second): the second keeps the first's mark.

Medians of time in the programme are published by their own rule (hiddengems/reports/durations.py).
Only the marks leave this module: a payload holds what may be shown, never a hidden count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import aliased

from hiddengems.auth.models import User
from hiddengems.cases.models import Case, CaseOutcome, StageChange
from hiddengems.extensions import db
from hiddengems.orgs.models import Organisation
from hiddengems.reports import durations, effort, esf, programme
from hiddengems.reports.models import ALL
from hiddengems.reports.periods import (
    Month,
    buckets,
    end_of_day_utc,
    month_key,
    month_of,
    month_start_utc,
    months_between,
)
from hiddengems.reports.protect import Family, protect
from hiddengems.vocab import OUTCOMES, STAGES

PAYLOAD_VERSION = 1
# The funnel: the furthest step a participant reached (each step counts those at it or beyond).
STEPS = ("registered", "intake", "skills", "training", "introduced", "employed")
LEVELS = {"intake": 1, "skills": 2, "training": 3, "introductions": 4}
EMPLOYED = ("employed_full_time", "employed_part_time", "self_employed")
ACTIVE = ("intake", "skills", "training", "introductions")


@dataclass(frozen=True)
class Counted:
    """The grouped counts of one day (true counts: for this module only)."""

    day: date
    months: list[Month]
    organisations: tuple
    people: Counter  # (org, month, reach, stage) -> n
    closed: Counter  # (org, month, outcome) -> n
    stays: Counter  # (org, month, measure, days) -> n: hiddengems.reports.durations
    training: Counter  # (org, month, kind, completed) -> enrolments: hiddengems.reports.programme
    introductions: Counter  # (org, month, interview, work_trial, hired) -> introductions
    effort: dict  # bucket kind -> (org, bucket, tenths of an hour) -> participants: hiddengems.reports.effort
    entries: Counter  # (org, month, labour, education, gender, age) -> participants: hiddengems.reports.esf
    six_months: Counter  # (org, month of the close, result) -> closes with a six-month result


def _month_index(column, months: list[Month]):
    """Which month of ``months`` a UTC instant falls in (Helsinki months), in SQL."""
    whens = [(column < month_start_utc(month), literal(i - 1)) for i, month in enumerate(months[1:], start=1)]
    if not whens:
        return literal(0)
    return case(*whens, else_=literal(len(months) - 1))


def first_month(day: date) -> Month:
    """The domain starts in the January of the first registration, so that its quarters
    and years are whole."""
    first = db.session.scalar(select(func.min(Case.created_at)))
    start = min(first.date(), day) if first is not None else day
    return (start.year, 1)


def count(day: date) -> Counted:
    """Two grouped queries: every verified participant registered by the end of ``day``,
    counted by organisation, month, reach, stage, month of closing and outcome."""
    cutoff = end_of_day_utc(day)
    months = months_between(first_month(day), month_of(day))
    level = case(LEVELS, value=StageChange.to_stage, else_=0)
    history = (
        select(StageChange.case_id, func.max(StageChange.id).label("last_id"), func.max(level).label("level"))
        .where(StageChange.at < cutoff)
        .group_by(StageChange.case_id)
        .subquery()
    )
    last = aliased(StageChange)
    closed = last.to_stage == "closed"
    outcome = func.coalesce(CaseOutcome.outcome, Case.outcome, "other")
    per_case = (
        select(
            Case.organisation_id.label("org"),
            _month_index(Case.created_at, months).label("month"),
            case((closed & outcome.in_(EMPLOYED), 5), else_=history.c.level).label("reach"),
            last.to_stage.label("stage"),
            case((closed, _month_index(last.at, months)), else_=None).label("closed_month"),
            case((closed, outcome), else_=None).label("outcome"),
        )
        .join(history, history.c.case_id == Case.id)
        .join(last, last.id == history.c.last_id)
        .join(User, User.id == Case.spouse_id)
        .outerjoin(CaseOutcome, CaseOutcome.stage_change_id == last.id)
        .where(Case.created_at < cutoff, User.email_verified_at.is_not(None), User.email_verified_at < cutoff)
        .subquery()
    )
    c = per_case.c
    rows = db.session.execute(
        select(c.org, c.month, c.reach, c.stage, c.closed_month, c.outcome, func.count()).group_by(
            c.org, c.month, c.reach, c.stage, c.closed_month, c.outcome
        )
    ).all()
    org_ids = tuple(db.session.scalars(select(Organisation.id).order_by(Organisation.id)))
    keys = [month_key(m) for m in months]
    people: Counter = Counter()
    closings: Counter = Counter()
    for org, month, reach, stage, closed_month, outcome_code, n in rows:
        people[(org, keys[month], int(reach), stage)] += n
        if closed_month is not None:
            closings[(org, keys[closed_month], outcome_code if outcome_code in OUTCOMES else "other")] += n
    organisations = org_ids + ((None,) if any(key[0] is None for key in people) else ())
    stays = durations.histogram(day, months, _month_index)
    training = programme.count_training(day, months, _month_index)
    introductions = programme.count_introductions(day, months, _month_index)
    orgs = {key[0] for key in (*training, *introductions)}
    organisations += (None,) if None in orgs and None not in organisations else ()
    spent = effort.histograms(day, months, _month_index)
    entries = esf.count(day, months, _month_index)
    six = esf.count_six_months(day, months, _month_index)
    return Counted(day, months, organisations, people, closings, stays, training, introductions, spent, entries, six)


def _scope_box(scope: int) -> dict:
    return {} if scope == ALL else {"org": frozenset({scope})}


def protect_day(counted: Counted, threshold: int) -> dict[int, dict]:
    """Every scope's payload: the published marks only."""
    keys = tuple(month_key(m) for m in counted.months)
    scopes = (ALL, *(org for org in counted.organisations if org is not None))
    all_buckets = buckets(counted.months)
    people_cells: dict[Hashable, dict] = {}
    for scope in scopes:
        box = _scope_box(scope)
        people_cells[("stock", scope, "total")] = box
        people_cells[("stock", scope, "active")] = box | {"stage": frozenset(ACTIVE)}
        for stage in STAGES:
            people_cells[("stock", scope, stage)] = box | {"stage": frozenset({stage})}
        for bucket in all_buckets:
            for k in range(len(STEPS)):
                people_cells[("funnel", scope, bucket.key, k)] = box | {
                    "month": frozenset(bucket.months),
                    "reach": frozenset(range(k, len(STEPS))),
                }
    people = Family(
        domain={"org": counted.organisations, "month": keys, "reach": tuple(range(len(STEPS))), "stage": STAGES},
        atoms=dict(counted.people),
        cells=people_cells,
    )
    people_marks = protect(people, threshold)

    closed_cells: dict[Hashable, dict] = {}
    fixed = {}
    for scope in scopes:
        box = _scope_box(scope)
        closed_cells[("closed", scope, "all", "total")] = box
        fixed[("closed", scope, "all", "total")] = people_marks[("stock", scope, "closed")].mark
        for bucket in all_buckets:
            months = {"month": frozenset(bucket.months)}
            closed_cells[("closed", scope, bucket.key, "total")] = box | months
            closed_cells[("closed", scope, bucket.key, "employed")] = box | months | {"outcome": frozenset(EMPLOYED)}
            for outcome in OUTCOMES:
                closed_cells[("closed", scope, bucket.key, outcome)] = box | months | {"outcome": frozenset({outcome})}
            for result, outcomes in esf.RESULTS.items():
                closed_cells[("closed", scope, bucket.key, f"result_{result}")] = (
                    box | months | {"outcome": frozenset(outcomes)}
                )
    closings = Family(
        domain={"org": counted.organisations, "month": keys, "outcome": OUTCOMES},
        atoms=dict(counted.closed),
        cells=closed_cells,
        fixed=fixed,
    )
    closed_marks = protect(closings, threshold)
    times = durations.medians(counted.stays, counted.months, scopes, threshold)
    args = (counted.organisations, keys, scopes, all_buckets, threshold)
    training = programme.protect_training(counted.training, *args)
    introductions = programme.protect_introductions(counted.introductions, *args)
    spent = effort.published(counted.effort, counted.months, scopes, threshold)
    registrations = {
        (scope, b.key): people_marks[("funnel", scope, b.key, 0)].mark for scope in scopes for b in all_buckets
    }
    entries = esf.protect_entries(counted.entries, *args, registrations)
    six = esf.protect_six_months(counted.six_months, *args)
    return {
        scope: _payload(counted, scope, all_buckets, people_marks, closed_marks, threshold)
        | {"time": times[scope], "training": training[scope], "introductions": introductions[scope]}
        | {"effort": spent[scope], "entries": entries[scope], "six_months": six[scope]}
        for scope in scopes
    }


def _payload(counted: Counted, scope: int, all_buckets, people_marks, closed_marks, threshold: int) -> dict:
    def shown(marks, key):
        return marks[key].published

    return {
        "version": PAYLOAD_VERSION,
        "day": counted.day.isoformat(),
        "threshold": threshold,
        "months": [month_key(m) for m in counted.months],
        "stock": {name: shown(people_marks, ("stock", scope, name)) for name in (*STAGES, "active", "total")},
        "funnel": {
            b.key: [shown(people_marks, ("funnel", scope, b.key, k)) for k in range(len(STEPS))] for b in all_buckets
        },
        "closed": {
            b.key: {
                name: shown(closed_marks, ("closed", scope, b.key, name))
                for name in (*OUTCOMES, "employed", "total", *(f"result_{r}" for r in esf.RESULTS))
            }
            for b in all_buckets
        },
    }
