"""Time in the programme: the median days in each stage, and from registration to
employment. Counted in SQL as histograms (scope-free: organisation × month × measure ×
days → people), from which the medians are read; a median is published only when its
group has at least the threshold's people, and its group's size is not published.

A stage's time is counted in the month the participant left it; the time to employment
in the month the case closed as employed (full or part time, self-employed).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from sqlalchemy import Integer, and_, case, cast, func, or_, select

from hiddengems.auth.models import User
from hiddengems.cases.models import Case, CaseOutcome, StageChange
from hiddengems.extensions import db
from hiddengems.reports.models import ALL
from hiddengems.reports.periods import Month, buckets, end_of_day_utc, month_key
from hiddengems.reports.suppression import HIDDEN

MEASURES = ("registered", "intake", "skills", "training", "introductions", "to_employment")
EMPLOYED = ("employed_full_time", "employed_part_time", "self_employed")


def _days(later, earlier):
    if db.session.get_bind().dialect.name == "sqlite":
        return cast(func.julianday(later) - func.julianday(earlier), Integer)
    return cast(func.floor(func.extract("epoch", later - earlier) / 86400), Integer)


def histogram(day: date, months: list[Month], month_index) -> Counter:
    """(organisation, month key, measure, days) → participants, in one grouped query."""
    cutoff = end_of_day_utc(day)
    following = func.lead(StageChange.at).over(partition_by=StageChange.case_id, order_by=StageChange.id)
    changes = (
        select(
            StageChange.id,
            StageChange.case_id,
            StageChange.to_stage,
            StageChange.at.label("start"),
            following.label("end"),
        )
        .where(StageChange.at < cutoff)
        .subquery()
    )
    closing = changes.c.to_stage == "closed"
    outcome = func.coalesce(CaseOutcome.outcome, Case.outcome)
    per_stay = (
        select(
            Case.organisation_id.label("org"),
            case((closing, month_index(changes.c.start, months)), else_=month_index(changes.c.end, months)).label(
                "month"
            ),
            case((closing, "to_employment"), else_=changes.c.to_stage).label("measure"),
            case((closing, _days(changes.c.start, Case.created_at)), else_=_days(changes.c.end, changes.c.start)).label(
                "days"
            ),
        )
        .join(Case, Case.id == changes.c.case_id)
        .join(User, User.id == Case.spouse_id)
        .outerjoin(CaseOutcome, CaseOutcome.stage_change_id == changes.c.id)
        .where(
            Case.created_at < cutoff,
            User.email_verified_at.is_not(None),
            User.email_verified_at < cutoff,
            or_(
                and_(~closing, changes.c.end.is_not(None)),
                and_(closing, changes.c.end.is_(None), outcome.in_(EMPLOYED)),
            ),
        )
        .subquery()
    )
    c = per_stay.c
    rows = db.session.execute(
        select(c.org, c.month, c.measure, c.days, func.count()).group_by(c.org, c.month, c.measure, c.days)
    )
    keys = [month_key(m) for m in months]
    found: Counter = Counter()
    for org, month, measure, days, n in rows:
        found[(org, keys[month], measure, max(int(days), 0))] += n
    return found


def median(days: Counter) -> float:
    """The median of a histogram (days → people)."""
    n = sum(days.values())

    def kth(k: int) -> int:  # the k-th smallest, from 0
        seen = 0
        for value in sorted(days):
            seen += days[value]
            if seen > k:
                return value
        raise ValueError("k beyond the histogram")

    return kth((n - 1) // 2) if n % 2 else (kth(n // 2 - 1) + kth(n // 2)) / 2


def medians(found: Counter, months: list[Month], scopes: tuple, threshold: int) -> dict[int, dict]:
    """Per scope: bucket → measure → the median in days, or "–" for a group under the threshold."""
    in_buckets = defaultdict(list)
    for bucket in buckets(months):
        for month in bucket.months:
            in_buckets[month].append(bucket.key)
    groups: dict[tuple, Counter] = defaultdict(Counter)
    for (org, month, measure, days), n in found.items():
        for scope in (ALL, org):
            for key in in_buckets[month]:
                groups[(scope, key, measure)][days] += n
    result: dict[int, dict] = {}
    for scope in scopes:
        result[scope] = {
            bucket.key: {
                measure: _published(groups.get((scope, bucket.key, measure)), threshold) for measure in MEASURES
            }
            for bucket in buckets(months)
        }
    return result


def _published(days: Counter | None, threshold: int):
    if not days or sum(days.values()) < threshold:
        return HIDDEN
    value = median(days)
    return int(value) if value == int(value) else round(value, 1)
