"""What the dashboard, its CSV files and its JSON show: tables read from a scope's published
figures (hiddengems/reports/figures.py) for a period. Nothing here counts anyone: it reads
published values, and what it adds up or divides is shown only when every part is
(hiddengems/reports/tree.py ``add`` and ``rate``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from hiddengems.reports.counting import INDICATORS, LED_TO, RESULTS, SIX_MONTHS
from hiddengems.reports.figures import MEDIANS, STAYS, STEPS, steps
from hiddengems.reports.labels import (
    CATEGORY_LABELS,
    COLUMN_LABELS,
    INDICATOR_LABELS,
    LED_TO_LABELS,
    MEDIAN_LABELS,
    RESULT_LABELS,
    STEP_LABELS,
    TABLE_TITLES,
)
from hiddengems.reports.suppression import HIDDEN
from hiddengems.reports.tree import Published, add, rate
from hiddengems.training.labels import KIND_LABELS
from hiddengems.training.models import KINDS
from hiddengems.vocab import OPEN_STAGES, OUTCOME_LABELS, STAGE_LABELS

TABLES = tuple(TABLE_TITLES)
FUNDER_TABLES = ("esf_entry", "esf_results")
ACTIVE = ("intake", "skills", "training", "introductions")


@dataclass(frozen=True)
class Period:
    """The cohorts a view adds up (their keys in the payload) and how its trend is grouped."""

    cohorts: tuple[str, ...]
    grouping: str = "month"
    widened: bool = False  # the years asked for cut a cohort of merged years: widened to it


@dataclass
class Row:
    key: str
    label: str
    values: list[Published]


@dataclass
class Table:
    name: str
    title: str
    columns: list[tuple[str, str]]  # (key, label), after the row's own label
    rows: list[Row] = field(default_factory=list)
    head: str = ""  # what the rows are: the first column's heading


def period_of(payload: dict, first_year: int | None, last_year: int | None, grouping: str) -> Period:
    """The cohorts with a year in ``first_year``…``last_year`` (every cohort when not given);
    years nobody registered in are left out."""
    chosen, widened = [], False
    for key, cohort in payload["cohorts"].items():
        if cohort["participants"] == 0:
            continue
        years = [int(y) for y in cohort["years"]]
        inside = [y for y in years if (first_year is None or y >= first_year) and (last_year is None or y <= last_year)]
        if inside:
            chosen.append(key)
            widened = widened or len(inside) < len(years)
    return Period(tuple(chosen), grouping, widened)


def _by_cohort(period: Period, get) -> list[Published]:
    """One value per cohort, and the period's total when it has several."""
    values = [get(key) for key in period.cohorts]
    return [*values, add(values)] if len(values) > 1 else values


def _columns(period: Period) -> list[tuple[str, str]]:
    columns = [(key, key) for key in period.cohorts]
    return [*columns, ("total", str(COLUMN_LABELS["total"]))] if len(columns) > 1 else columns


def tables(payload: dict, period: Period) -> dict[str, Table]:
    threshold = payload["threshold"]
    cohorts = payload["cohorts"]

    def c(key: str) -> dict:
        return cohorts[key]

    cohort_columns = _columns(period)
    head = _("Registered in")

    stages = Table("stages", str(TABLE_TITLES["stages"]), cohort_columns, head=_("Stage"))
    for stage in (*OPEN_STAGES, "closed"):
        stages.rows.append(
            Row(stage, str(STAGE_LABELS[stage]), _by_cohort(period, lambda k, s=stage: c(k)["stages"][s]))
        )
    stages.rows.append(
        Row(
            "active", str(COLUMN_LABELS["active"]), _by_cohort(period, lambda k: add(c(k)["stages"][s] for s in ACTIVE))
        )
    )
    stages.rows.append(Row("total", str(COLUMN_LABELS["total"]), _by_cohort(period, lambda k: c(k)["participants"])))

    funnel = Table(
        "funnel",
        str(TABLE_TITLES["funnel"]),
        [("participants", str(COLUMN_LABELS["participants"])), ("conversion", str(COLUMN_LABELS["conversion"]))],
        head=_("Step reached"),
    )
    per_cohort = [steps(c(key)) for key in period.cohorts]
    counts = [add(found[i] for found in per_cohort) for i in range(len(STEPS))]
    for i, step in enumerate(STEPS):
        conversion: Published = rate(counts[i], counts[i - 1], threshold) if i else ""
        funnel.rows.append(Row(step, str(STEP_LABELS[step]), [counts[i], conversion]))

    registrations = Table(
        "registrations",
        str(TABLE_TITLES["registrations"]),
        [("registrations", str(COLUMN_LABELS["registrations"]))],
        head=_("Month") if period.grouping == "month" else _("Quarter"),
    )
    last = payload["day"][:7]
    for key in period.cohorts:
        buckets = c(key)["months"] if period.grouping == "month" else c(key)["quarters"]
        for bucket, value in buckets.items():
            if bucket[:7] <= last if period.grouping == "month" else _quarter_start(bucket) <= last:
                registrations.rows.append(Row(bucket, bucket.replace("Q", " Q"), [value]))

    outcomes = Table("outcomes", str(TABLE_TITLES["outcomes"]), cohort_columns, head=_("Outcome"))
    for outcome in RESULTS["employed"]:
        outcomes.rows.append(
            Row(outcome, str(OUTCOME_LABELS[outcome]), _by_cohort(period, lambda k, o=outcome: c(k)["employed_as"][o]))
        )
    outcomes.rows.append(
        Row(
            "studying",
            str(OUTCOME_LABELS["studying"]),
            _by_cohort(period, lambda k: c(k)["results"]["education_training"]),
        )
    )
    for outcome in RESULTS["other"]:
        outcomes.rows.append(
            Row(outcome, str(OUTCOME_LABELS[outcome]), _by_cohort(period, lambda k, o=outcome: c(k)["other_as"][o]))
        )
    employed = _by_cohort(period, lambda k: c(k)["results"]["employed"])
    closed = _by_cohort(period, lambda k: c(k)["stages"]["closed"])
    outcomes.rows.append(Row("employed", str(COLUMN_LABELS["employed"]), employed))
    outcomes.rows.append(Row("closed", str(COLUMN_LABELS["closed"]), closed))
    outcomes.rows.append(
        Row(
            "employment_rate",
            str(COLUMN_LABELS["employment_rate"]),
            [rate(e, n, threshold) for e, n in zip(employed, closed, strict=True)],
        )
    )

    time = Table("time", str(TABLE_TITLES["time"]), [(k, k) for k in period.cohorts], head=_("Median days"))
    for measure in (*MEDIANS, *STAYS):
        time.rows.append(Row(measure, str(MEDIAN_LABELS[measure]), [c(k)["medians"][measure] for k in period.cohorts]))

    training = Table(
        "training",
        str(TABLE_TITLES["training"]),
        [("enrolments", str(COLUMN_LABELS["enrolments"])), ("completed", str(COLUMN_LABELS["completed"]))],
        head=_("Kind"),
    )
    for kind in KINDS:
        training.rows.append(
            Row(
                kind,
                str(KIND_LABELS[kind]),
                [
                    add(c(k)["training"]["kinds"][kind] for k in period.cohorts),
                    add(c(k)["training"]["completed"][kind] for k in period.cohorts),
                ],
            )
        )
    training.rows.append(
        Row(
            "total",
            str(COLUMN_LABELS["total"]),
            [add(c(k)["training"]["enrolments"] for k in period.cohorts), add(row.values[1] for row in training.rows)],
        )
    )

    introductions = Table(
        "introductions",
        str(TABLE_TITLES["introductions"]),
        [("introductions", _("Introductions"))],
        head=_("What it led to (the furthest)"),
    )
    for led in LED_TO:
        introductions.rows.append(
            Row(led, str(LED_TO_LABELS[led]), [add(c(k)["introductions"]["led_to"][led] for k in period.cohorts)])
        )
    introductions.rows.append(
        Row("total", str(COLUMN_LABELS["total"]), [add(c(k)["introductions"]["introductions"] for k in period.cohorts)])
    )

    effort = Table(
        "effort",
        str(TABLE_TITLES["effort"]),
        [(k, str(COLUMN_LABELS[k])) for k in ("hours", "participants", "hours_per_participant")],
        head=head,
    )
    for key in period.cohorts:
        hours, people = c(key)["hours"], c(key)["participants"]
        effort.rows.append(Row(key, key, [hours, people, _per(hours, people, threshold)]))
    if len(period.cohorts) > 1:
        hours = _add_hours(row.values[0] for row in effort.rows)
        people = add(row.values[1] for row in effort.rows)
        effort.rows.append(Row("total", str(COLUMN_LABELS["total"]), [hours, people, _per(hours, people, threshold)]))

    entry = Table("esf_entry", str(TABLE_TITLES["esf_entry"]), cohort_columns, head=_("On entry"))
    for indicator, categories in INDICATORS.items():
        for category in categories:
            entry.rows.append(
                Row(
                    f"{indicator}:{category}",
                    f"{INDICATOR_LABELS[indicator]}: {CATEGORY_LABELS[category]}",
                    _by_cohort(period, lambda k, i=indicator, cat=category: c(k)[i][cat]),
                )
            )
    entry.rows.append(Row("total", str(COLUMN_LABELS["total"]), _by_cohort(period, lambda k: c(k)["participants"])))

    results = Table(
        "esf_results",
        str(TABLE_TITLES["esf_results"]),
        [("on_leaving", str(COLUMN_LABELS["on_leaving"])), ("six_months", str(COLUMN_LABELS["six_months"]))],
        head=_("Result"),
    )
    for result in SIX_MONTHS:
        leaving = add(c(k)["results"][result] for k in period.cohorts) if result in RESULTS else ""
        later = add(c(k)["six_months"][result] for k in period.cohorts)
        results.rows.append(Row(result, str(RESULT_LABELS[result]), [leaving, later]))
    left = add(c(k)["stages"]["closed"] for k in period.cohorts)
    results.rows.append(Row("total", str(COLUMN_LABELS["closed"]), [left, left]))

    found = (stages, funnel, registrations, outcomes, time, training, introductions, effort, entry, results)
    return {table.name: table for table in found}


def _quarter_start(quarter: str) -> str:
    year, q = quarter.split("Q")
    return f"{year}-{3 * int(q) - 2:02d}"


def _add_hours(values) -> Published:
    values = list(values)
    return round(sum(values), 1) if all(isinstance(v, int | float) for v in values) else HIDDEN


def _per(hours: Published, people: Published, threshold: int) -> Published:
    if isinstance(hours, int | float) and isinstance(people, int) and people >= threshold:
        return round(hours / people, 1)
    return HIDDEN


def headline(payload: dict) -> dict:
    """Every cohort together: participants, the active, the closed, the employed and their
    rate (each shown only when every part is: ``add``, ``rate``)."""
    cohorts = [c for c in payload["cohorts"].values() if c["participants"] != 0]
    closed = add(c["stages"]["closed"] for c in cohorts)
    employed = add(c["results"]["employed"] for c in cohorts)
    return {
        "day": payload["day"],
        "participants": payload["participants"],
        "active": add(c["stages"][s] for c in cohorts for s in ACTIVE),
        "closed": closed,
        "employed": employed,
        "employment_rate": rate(employed, closed, payload["threshold"]),
    }
