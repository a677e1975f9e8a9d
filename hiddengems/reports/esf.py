"""The ESF+ indicators: participants entering (registering) by labour-market status on
entry, education (ISCED 0–2, 3–4, 5–8), gender and age group, from the intake's optional
monitoring questions ("unknown" when not answered). Each indicator a family over the same
people as the registrations (every organisation and all, every month, quarter and year);
each table's total is the month's registrations, whose mark the family keeps
(hiddengems/reports/figures.py decides it first).

The results on leaving are the closed cases' outcomes grouped (in figures.py's family);
the results six months after, those the advisers recorded on the six-month follow-up
(``CaseOutcome.six_month_result``), by the month of the close: a family of their own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from datetime import date

from sqlalchemy import case, func, select

from hiddengems.auth.models import User
from hiddengems.cases.models import Case, CaseOutcome, StageChange
from hiddengems.extensions import db
from hiddengems.intake.models import IntakeProfile
from hiddengems.reports.models import ALL
from hiddengems.reports.periods import Bucket, Month, end_of_day_utc, month_key
from hiddengems.reports.protect import Family, protect
from hiddengems.vocab import SIX_MONTH_RESULTS

INDICATORS: dict[str, tuple[str, ...]] = {
    "labour": ("unemployed", "inactive", "employed", "unknown"),
    "education": ("isced_0_2", "isced_3_4", "isced_5_8", "unknown"),
    "gender": ("woman", "man", "other", "unknown"),
    "age": ("under_25", "25_34", "35_44", "45_54", "55_plus", "unknown"),
}
# The results on leaving, as the closed cases' outcomes make them.
RESULTS = {
    "employed": ("employed_full_time", "employed_part_time", "self_employed"),
    "education_training": ("studying",),
    "other": ("left_region", "not_participating", "other"),
}


def _coded(column, codes: Mapping[str, str]):
    return case(*[(column == raw, code) for raw, code in codes.items()], else_="unknown")


def count(day: date, months: list[Month], month_index) -> Counter:
    """(org, month, labour, education, gender, age) → participants registered, one grouped query."""
    cutoff = end_of_day_utc(day)
    level = IntakeProfile.education_level
    education = case(
        (level.is_(None), "unknown"), (level <= 2, "isced_0_2"), (level <= 4, "isced_3_4"), else_="isced_5_8"
    )
    per_case = (
        select(
            Case.organisation_id.label("org"),
            month_index(Case.created_at, months).label("month"),
            _coded(
                IntakeProfile.labour_status,
                {"unemployed": "unemployed", "inactive": "inactive", "studying": "inactive", "employed": "employed"},
            ).label("labour"),
            education.label("education"),
            _coded(IntakeProfile.gender, {"woman": "woman", "man": "man", "other": "other"}).label("gender"),
            _coded(IntakeProfile.age_group, {a: a for a in INDICATORS["age"][:-1]}).label("age"),
        )
        .join(User, User.id == Case.spouse_id)
        .outerjoin(IntakeProfile, IntakeProfile.case_id == Case.id)
        .where(Case.created_at < cutoff, User.email_verified_at.is_not(None), User.email_verified_at < cutoff)
        .subquery()
    )
    c = per_case.c
    columns = [c.org, c.month, c.labour, c.education, c.gender, c.age]
    keys = [month_key(m) for m in months]
    found: Counter = Counter()
    for org, month, *codes, n in db.session.execute(select(*columns, func.count()).group_by(*columns)):
        found[(org, keys[month], *codes)] += n
    return found


def protect_entries(
    atoms: Counter, organisations, keys, scopes, all_buckets: list[Bucket], threshold: int, registrations: dict
) -> dict[int, dict]:
    """Per scope: bucket → indicator → [count per category]; ``registrations`` gives the
    marks of the same totals decided in the participants' family.

    Each indicator is a one-way table (by organisation and month): tables of different
    indicators share only their totals, which keep the registrations' marks, so each is
    a family of its own (a joint family of all four, 4 × 4 × 4 × 6 categories a month and
    organisation, would hold tens of thousands of atoms at 100,000 participants)."""
    published: dict[int, dict] = {scope: {b.key: {} for b in all_buckets} for scope in scopes}
    for position, (indicator, categories) in enumerate(INDICATORS.items()):
        counts: Counter = Counter()
        for (org, month, *codes), n in atoms.items():
            counts[(org, month, codes[position])] += n
        cells: dict[Hashable, dict] = {}
        fixed = {}
        for scope in scopes:
            box = {} if scope == ALL else {"org": frozenset({scope})}
            for bucket in all_buckets:
                months = box | {"month": frozenset(bucket.months)}
                cells[(scope, bucket.key, "total")] = months
                fixed[(scope, bucket.key, "total")] = registrations[(scope, bucket.key)]
                for category in categories:
                    cells[(scope, bucket.key, category)] = months | {indicator: frozenset({category})}
        family = Family(
            domain={"org": organisations, "month": keys, indicator: categories},
            atoms=dict(counts),
            cells=cells,
            fixed=fixed,
        )
        marks = protect(family, threshold)
        for scope in scopes:
            for bucket in all_buckets:
                published[scope][bucket.key][indicator] = [
                    marks[(scope, bucket.key, category)].published for category in categories
                ]
    return published


def count_six_months(day: date, months: list[Month], month_index) -> Counter:
    """(org, month of the close, result) → closes whose six-month result was recorded by the end of ``day``."""
    cutoff = end_of_day_utc(day)
    per_close = (
        select(
            Case.organisation_id.label("org"),
            month_index(StageChange.at, months).label("month"),
            CaseOutcome.six_month_result.label("result"),
        )
        .join(StageChange, StageChange.id == CaseOutcome.stage_change_id)
        .join(Case, Case.id == CaseOutcome.case_id)
        .join(User, User.id == Case.spouse_id)
        .where(
            CaseOutcome.six_month_result.is_not(None),
            CaseOutcome.six_month_recorded_at < cutoff,
            StageChange.at < cutoff,
            Case.created_at < cutoff,
            User.email_verified_at.is_not(None),
            User.email_verified_at < cutoff,
        )
        .subquery()
    )
    c = per_close.c
    keys = [month_key(m) for m in months]
    found: Counter = Counter()
    for org, month, result, n in db.session.execute(
        select(c.org, c.month, c.result, func.count()).group_by(c.org, c.month, c.result)
    ):
        found[(org, keys[month], result)] += n
    return found


def protect_six_months(
    atoms: Counter, organisations, keys, scopes, all_buckets: list[Bucket], threshold: int
) -> dict[int, dict]:
    """Per scope: bucket → [count per result, total recorded]."""
    cells: dict[Hashable, dict] = {}
    for scope in scopes:
        box = {} if scope == ALL else {"org": frozenset({scope})}
        for bucket in all_buckets:
            months = box | {"month": frozenset(bucket.months)}
            cells[("six", scope, bucket.key, "total")] = months
            for result in SIX_MONTH_RESULTS:
                cells[("six", scope, bucket.key, result)] = months | {"result": frozenset({result})}
    family = Family(
        domain={"org": organisations, "month": keys, "result": SIX_MONTH_RESULTS}, atoms=dict(atoms), cells=cells
    )
    marks = protect(family, threshold)
    return {
        scope: {
            b.key: [marks[("six", scope, b.key, r)].published for r in (*SIX_MONTH_RESULTS, "total")]
            for b in all_buckets
        }
        for scope in scopes
    }
