"""Advisers' time (activity durations): the hours spent in each month, quarter and year,
and the median hours per participant who had any.

Counted in SQL: per bucket kind (month, quarter, year), per organisation, bucket and
participant the minutes summed, then per organisation, bucket and tenth of an hour the
participants counted (one grouped query per kind). What is published:

- the median hours per participant, when the bucket has at least the threshold's
  participants (a median does not add up, and does not tell how many there were);
- the total hours, when no organisation-month in it had from 1 to threshold − 1
  participants: totals add up across organisations and months, so a total that holds such
  a month could be set against others to give that month's hours away.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from sqlalchemy import func, literal_column, select

from hiddengems.auth.models import User
from hiddengems.cases.models import Activity, Case
from hiddengems.extensions import db
from hiddengems.reports.durations import median
from hiddengems.reports.models import ALL
from hiddengems.reports.periods import Month, buckets, end_of_day_utc, month_key, quarter_key, year_key
from hiddengems.reports.suppression import HIDDEN

KEYS = {"month": month_key, "quarter": quarter_key, "year": year_key}


def histograms(day: date, months: list[Month], month_index) -> dict[str, Counter]:
    """Per bucket kind: (org, bucket key, tenths of an hour) → participants."""
    cutoff = end_of_day_utc(day)
    activities = (
        select(
            Case.organisation_id.label("org"),
            month_index(Activity.occurred_at, months).label("month"),
            Activity.case_id,
            Activity.duration_minutes.label("minutes"),
        )
        .join(Case, Case.id == Activity.case_id)
        .join(User, User.id == Case.spouse_id)
        .where(
            Activity.occurred_at < cutoff,
            Activity.duration_minutes > 0,
            Case.created_at < cutoff,
            User.email_verified_at.is_not(None),
            User.email_verified_at < cutoff,
        )
        .subquery()
    )
    found: dict[str, Counter] = {}
    # The months run from a January on, so a month's quarter is its index // 3, its year // 12.
    for kind, months_in in (("month", 1), ("quarter", 3), ("year", 12)):
        distinct = list(dict.fromkeys(KEYS[kind](m) for m in months))
        bucket = activities.c.month // months_in if months_in > 1 else activities.c.month
        mapped = select(activities.c.org, bucket.label("bucket"), activities.c.case_id, activities.c.minutes).subquery()
        m = mapped.c
        per_case = (
            select(m.org, m.bucket, (func.sum(m.minutes) / literal_column("6.0")).label("tenths"))
            .group_by(m.org, m.bucket, m.case_id)
            .subquery()
        )
        rounded = select(per_case.c.org, per_case.c.bucket, func.round(per_case.c.tenths).label("tenths")).subquery()
        r = rounded.c
        counter: Counter = Counter()
        stmt = select(r.org, r.bucket, r.tenths, func.count()).group_by(r.org, r.bucket, r.tenths)
        for org, index, tenth, n in db.session.execute(stmt):
            counter[(org, distinct[index], int(tenth))] += n
        found[kind] = counter
    return found


def published(found: dict[str, Counter], months: list[Month], scopes: tuple, threshold: int) -> dict[int, dict]:
    """Per scope: bucket → [total hours, median hours per participant], or "–"."""
    groups: dict[tuple, Counter] = defaultdict(Counter)
    for counter in found.values():
        for (org, key, tenth), n in counter.items():
            for scope in (ALL, org):
                groups[(scope, key)][tenth] += n
    sensitive_months = {
        (org, key)
        for (org, key), n in _participants(found["month"]).items()
        if 0 < n < threshold  # an organisation-month of a few participants
    }
    result: dict[int, dict] = {}
    for scope in scopes:
        result[scope] = {}
        for bucket in buckets(months):
            hist = groups.get((scope, bucket.key), Counter())
            people = sum(hist.values())
            risky = any(
                (org, month) in sensitive_months
                for (org, month) in sensitive_months
                if month in bucket.months and (scope == ALL or org == scope)
            )
            total = round(sum(t * n for t, n in hist.items()) / 10) if not risky else HIDDEN
            middle = round(median(hist) / 10, 1) if people >= threshold else HIDDEN
            result[scope][bucket.key] = [total, middle]
    return result


def _participants(month_counter: Counter) -> Counter:
    people: Counter = Counter()
    for (org, key, _tenth), n in month_counter.items():
        people[(org, key)] += n
    return people
