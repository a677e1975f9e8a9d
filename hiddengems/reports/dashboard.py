"""What the dashboard, its CSV files and its JSON show: tables read from the day's
snapshot for a period. Nothing here counts anyone; it only reads published marks.

A figure for the whole period is the period's own cell when the period is exactly a
month, a calendar quarter or a year; otherwise the sum of its months when every month is shown, and
"–" if not: a total over an arbitrary range could be set against another range's to
recover a hidden month.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import gettext as _

from hiddengems.reports.durations import MEASURES
from hiddengems.reports.esf import INDICATORS
from hiddengems.reports.figures import STEPS
from hiddengems.reports.labels import (
    CATEGORY_LABELS,
    COLUMN_LABELS,
    INDICATOR_LABELS,
    LED_TO_LABELS,
    MEASURE_LABELS,
    STEP_LABELS,
    TABLE_TITLES,
)
from hiddengems.reports.periods import Month, month_key, months_between, quarter_key, year_key
from hiddengems.reports.programme import LED_TO
from hiddengems.reports.suppression import HIDDEN
from hiddengems.training.labels import KIND_LABELS
from hiddengems.training.models import KINDS
from hiddengems.vocab import OUTCOME_LABELS, OUTCOMES, SIX_MONTH_LABELS, SIX_MONTH_RESULTS, STAGE_LABELS, STAGES

TABLES = tuple(TABLE_TITLES)
Published = int | str


@dataclass(frozen=True)
class Period:
    first: Month
    last: Month
    grouping: str = "month"

    @classmethod
    def of(cls, first: Month, last: Month, grouping: str) -> Period:
        """The period, widened to whole quarters when grouped by quarter."""
        if grouping == "quarter":
            first = (first[0], (first[1] - 1) // 3 * 3 + 1)
            last = (last[0], (last[1] - 1) // 3 * 3 + 3)
        return cls(first, last, grouping)

    @property
    def months(self) -> list[str]:
        return [month_key(m) for m in months_between(self.first, self.last)]

    @property
    def buckets(self) -> list[str]:
        keys = [
            month_key(m) if self.grouping == "month" else quarter_key(m) for m in months_between(self.first, self.last)
        ]
        return list(dict.fromkeys(keys))

    @property
    def canonical(self) -> str | None:
        """The period's own cell: it is exactly a month, a calendar quarter or a year."""
        (y1, m1), (y2, m2) = self.first, self.last
        if self.first == self.last:
            return month_key(self.first)
        if y1 == y2 and m1 == 1 and m2 == 12:
            return year_key(self.first)
        if y1 == y2 and m1 % 3 == 1 and m2 == m1 + 2:
            return quarter_key(self.first)
        return None


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


def rate(part: Published, base: Published, threshold: int) -> Published:
    """A percentage, shown only when both counts are and the base is large enough."""
    if isinstance(part, int) and isinstance(base, int) and base >= threshold:
        return round(100 * part / base)
    return HIDDEN


def over_period(period: Period, get: Callable[[str], Published]) -> Published:
    if period.canonical:
        return get(period.canonical)
    values = [get(month) for month in period.months]
    return sum(values) if all(isinstance(v, int) for v in values) else HIDDEN  # type: ignore[arg-type]


def bucket_label(key: str) -> str:
    return key.replace("Q", " Q") if "Q" in key else key


def tables(payload: dict, period: Period) -> dict[str, Table]:
    threshold = payload["threshold"]
    funnel, closed = payload["funnel"], payload["closed"]

    def step(key: str, k: int) -> Published:
        return funnel[key][k] if key in funnel else 0  # before the first registration: nobody

    def closing(key: str, name: str) -> Published:
        return closed[key][name] if key in closed else 0

    stock = payload["stock"]
    stages = Table("stages", str(TABLE_TITLES["stages"]), [("participants", str(COLUMN_LABELS["participants"]))])
    stages.head = _("Stage")
    stages.rows = [Row(s, str(STAGE_LABELS[s]), [stock[s]]) for s in STAGES]
    stages.rows += [Row(name, str(COLUMN_LABELS[name]), [stock[name]]) for name in ("active", "total")]

    funnel_table = Table(
        "funnel",
        str(TABLE_TITLES["funnel"]),
        [("participants", str(COLUMN_LABELS["participants"])), ("conversion", str(COLUMN_LABELS["conversion"]))],
        head=_("Furthest step reached"),
    )
    counts = [over_period(period, lambda key, k=k: step(key, k)) for k in range(len(STEPS))]
    for k, name in enumerate(STEPS):
        conversion = rate(counts[k], counts[k - 1], threshold) if k else ""
        funnel_table.rows.append(Row(name, str(STEP_LABELS[name]), [counts[k], conversion]))

    flow = Table(
        "flow",
        str(TABLE_TITLES["flow"]),
        [("registrations", str(COLUMN_LABELS["registrations"])), ("closures", str(COLUMN_LABELS["closures"]))],
        head=_("Period"),
    )
    outcome_columns = [*OUTCOMES, "employed", "total"]
    outcomes = Table(
        "outcomes",
        str(TABLE_TITLES["outcomes"]),
        [
            *((o, str(OUTCOME_LABELS[o])) for o in OUTCOMES),
            ("employed", str(COLUMN_LABELS["employed"])),
            ("total", str(COLUMN_LABELS["total"])),
            ("employment_rate", str(COLUMN_LABELS["employment_rate"])),
        ],
        head=_("Period"),
    )
    for key in period.buckets:
        flow.rows.append(Row(key, bucket_label(key), [step(key, 0), closing(key, "total")]))
        values = [closing(key, name) for name in outcome_columns]
        outcomes.rows.append(Row(key, bucket_label(key), [*values, rate(values[-2], values[-1], threshold)]))
    whole = str(COLUMN_LABELS["period"])
    flow.rows.append(
        Row(
            "period",
            whole,
            [over_period(period, lambda k: step(k, 0)), over_period(period, lambda k: closing(k, "total"))],
        )
    )
    values = [over_period(period, lambda k, name=name: closing(k, name)) for name in outcome_columns]
    outcomes.rows.append(Row("period", whole, [*values, rate(values[-2], values[-1], threshold)]))
    return {
        t.name: t
        for t in (
            stages,
            funnel_table,
            flow,
            outcomes,
            _time(payload, period),
            _training(payload, period),
            _introductions(payload, period),
            _effort(payload, period),
            *_esf(payload, period, step, closing),
        )
    }


def _esf(payload: dict, period: Period, step, closing) -> tuple[Table, Table]:
    """The funder's two tables, for the whole period (the whole-period rule)."""
    entries = payload["entries"]
    participants = [("participants", str(COLUMN_LABELS["participants"]))]
    entry = Table("esf_entry", str(TABLE_TITLES["esf_entry"]), participants, head=_("On entry"))
    for indicator, categories in INDICATORS.items():
        for i, category in enumerate(categories):

            def get(key: str, indicator=indicator, i=i):
                return entries[key][indicator][i] if key in entries else 0

            label = f"{INDICATOR_LABELS[indicator]}: {CATEGORY_LABELS[category]}"
            entry.rows.append(Row(f"{indicator}:{category}", label, [over_period(period, get)]))
    entry.rows.append(Row("total", str(COLUMN_LABELS["total"]), [over_period(period, lambda key: step(key, 0))]))
    six = payload["six_months"]
    columns = [("on_leaving", str(COLUMN_LABELS["on_leaving"])), ("six_months", str(COLUMN_LABELS["six_months"]))]
    results = Table("esf_results", str(TABLE_TITLES["esf_results"]), columns, head=_("Result"))
    for result in (*SIX_MONTH_RESULTS, "total"):
        if result == "job_searching":
            leaving = ""  # not an outcome recorded at close
        else:
            name = "total" if result == "total" else f"result_{result}"
            leaving = over_period(period, lambda key, name=name: closing(key, name))
        i = (*SIX_MONTH_RESULTS, "total").index(result)
        later = over_period(period, lambda key, i=i: six[key][i] if key in six else 0)
        label = str(COLUMN_LABELS["total"]) if result == "total" else str(SIX_MONTH_LABELS[result])
        results.rows.append(Row(result, label, [leaving, later]))
    return entry, results


def _effort(payload: dict, period: Period) -> Table:
    """Hours add up (the whole-period rule); medians only for the period's own cell."""
    spent = payload["effort"]
    table = Table(
        "effort",
        str(TABLE_TITLES["effort"]),
        [(k, str(COLUMN_LABELS[k])) for k in ("hours", "hours_per_participant")],
        head=_("Period"),
    )
    for key in period.buckets:
        table.rows.append(Row(key, bucket_label(key), list(spent.get(key, [0, HIDDEN]))))
    total = over_period(period, lambda key: spent[key][0] if key in spent else 0)
    middle = spent[period.canonical][1] if period.canonical in spent else HIDDEN
    table.rows.append(Row("period", str(COLUMN_LABELS["period"]), [total, middle]))
    return table


def _training(payload: dict, period: Period) -> Table:
    """Enrolments and completions by kind over the period (the whole-period rule above)."""
    training = payload["training"]
    table = Table(
        "training",
        str(TABLE_TITLES["training"]),
        [(k, str(COLUMN_LABELS[k])) for k in ("enrolled", "completed")],
        head=_("Kind"),
    )
    for kind in (*KINDS, "total"):
        label = str(KIND_LABELS[kind]) if kind != "total" else str(COLUMN_LABELS["total"])
        values = [
            over_period(period, lambda key, i=i, kind=kind: training[key][kind][i] if key in training else 0)
            for i in (0, 1)
        ]
        table.rows.append(Row(kind, label, values))
    return table


def _introductions(payload: dict, period: Period) -> Table:
    found = payload["introductions"]
    names = ("introduced", *LED_TO)
    table = Table(
        "introductions",
        str(TABLE_TITLES["introductions"]),
        [(n, str(LED_TO_LABELS[n])) for n in names],
        head=_("Period"),
    )

    def value(key: str, i: int):
        return found[key][i] if key in found else 0

    for key in period.buckets:
        table.rows.append(Row(key, bucket_label(key), [value(key, i) for i in range(len(names))]))
    whole = [over_period(period, lambda key, i=i: value(key, i)) for i in range(len(names))]
    table.rows.append(Row("period", str(COLUMN_LABELS["period"]), whole))
    return table


def _time(payload: dict, period: Period) -> Table:
    """Medians by bucket; for the whole period only its own cell (a quarter or a year):
    medians do not add up."""
    time = payload["time"]
    table = Table("time", str(TABLE_TITLES["time"]), [(m, str(MEASURE_LABELS[m])) for m in MEASURES], head=_("Period"))
    for key in period.buckets:
        table.rows.append(Row(key, bucket_label(key), [time[key][m] if key in time else HIDDEN for m in MEASURES]))
    whole = time.get(period.canonical) if period.canonical else None
    values = [whole[m] if whole else HIDDEN for m in MEASURES]
    table.rows.append(Row("period", str(COLUMN_LABELS["period"]), values))
    return table
