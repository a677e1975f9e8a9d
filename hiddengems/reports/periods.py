"""Months, quarters and years of Helsinki time, as the figures' keys: a month is written
``2026-01``, a quarter ``2026Q1``, a year ``2026`` (in the snapshot, the CSV and the JSON).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from hiddengems.timeutil import HELSINKI

Month = tuple[int, int]


def month_key(month: Month) -> str:
    return f"{month[0]:04d}-{month[1]:02d}"


def next_month(month: Month) -> Month:
    year, m = month
    return (year + 1, 1) if m == 12 else (year, m + 1)


def months_between(first: Month, last: Month) -> list[Month]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def month_of(day: date) -> Month:
    return (day.year, day.month)


def month_start_utc(month: Month) -> datetime:
    """The instant a Helsinki month begins, in UTC (what the database compares with)."""
    return datetime.combine(date(month[0], month[1], 1), time(), tzinfo=HELSINKI).astimezone(UTC)


def end_of_day_utc(day: date) -> datetime:
    """The first instant after ``day`` in Helsinki, in UTC: figures "as of the end of day"
    count what happened before it."""
    return datetime.combine(date.fromordinal(day.toordinal() + 1), time(), tzinfo=HELSINKI).astimezone(UTC)
