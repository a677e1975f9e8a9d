"""The day's figures, counted by hiddengems/reports/counting.py, published as one tree per
scope (hiddengems/reports/tree.py).

Whom they are about: every participant who confirmed their e-mail address and registered
by the end of the report's day, in a **cohort** by the year they registered (Helsinki
time). Everything is published per cohort; a period of several years is added up from its
cohorts (hiddengems/reports/dashboard.py). The tree of one scope:

- everyone → registration year (a year of 1 to 4 people joins the next: ``cohorts_of``)
  - a year → quarter → month (the registrations' trend)
  - a year → current stage
    - the closed → the furthest stage reached before closing (the funnel of those who left)
    - the closed → result on leaving (employed, in education or training, other)
      - the employed → full time, part time, self-employed; the other → left the region, …
    - the closed → the situation six months after leaving (or not recorded yet)
  - a year → each ESF+ indicator on entry: labour-market status, education, gender, age
- a year's training enrolments (events, not people: a tree of their own) → kind → completed
- a year's introductions to employers (likewise) → what the furthest led to

Medians of days (to each step, to employment) and advisers' hours are published beside
a year only when the group they describe is shown and has at least the threshold's people.

Only published values leave this module: a payload holds what may be shown, never a
hidden count (the true counts live in ``Counted``, for ``publish_scope`` alone).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping

from hiddengems.reports.counting import INDICATORS, LED_TO, LEVELS, RESULTS, SIX_MONTHS, Counted
from hiddengems.reports.suppression import HIDDEN
from hiddengems.reports.tree import Published, add, root, row
from hiddengems.training.models import KINDS
from hiddengems.vocab import OPEN_STAGES

PAYLOAD_VERSION = 1
ALL = 0  # the scope of every organisation together (admins and leads)
REACHED = tuple(LEVELS)
# The funnel's steps: each counts those at it or beyond (the employed, from the results).
STEPS = ("registered", "intake", "skills", "training", "introductions", "employed")
RESULT_OF = {outcome: result for result, outcomes in RESULTS.items() for outcome in outcomes}
MEDIANS = ("intake", "skills", "training", "introductions", "employed")
STAYS = tuple(f"in_{stage}" for stage in OPEN_STAGES)  # medians of the days spent in each stage


def median(days: Counter) -> float:
    """The median of a histogram (days → people)."""
    ordered = sorted(days.items())
    n = sum(days.values())
    middle = [(n - 1) // 2, n // 2]
    found, seen = [], 0
    for value, count_ in ordered:
        for position in middle:
            if seen <= position < seen + count_:
                found.append(value)
        seen += count_
    return sum(found) / 2


def _split(people: Counter, key) -> dict:
    parts: dict = defaultdict(Counter)
    for person, n in people.items():
        parts[key(person)][person] += n
    return parts


def _row(people: Counter, key, categories, above: Published, threshold: int) -> dict:
    counts = dict.fromkeys(categories, 0)
    for person, n in people.items():
        counts[key(person)] += n
    return row(counts, above, threshold)


def publish_scope(
    people: Counter,
    threshold: int,
    *,
    days: Counter | None = None,
    training: Counter | None = None,
    introductions: Counter | None = None,
    minutes: Counter | None = None,
    years: tuple[str, ...] = (),
    day: str = "",
) -> dict:
    """The published tree of one scope: ``people`` counts its participants by ``Person``;
    ``days``, ``training``, ``introductions`` and ``minutes`` are keyed by year first."""
    days, training, introductions, minutes = (
        days or Counter(),
        training or Counter(),
        introductions or Counter(),
        minutes or Counter(),
    )
    everyone = root(sum(people.values()), threshold)
    years = tuple(sorted(set(years) | {p.year for p in people}))
    per_year = Counter()
    for person, n in people.items():
        per_year[person.year] += n
    groups = cohorts_of(years, per_year, threshold)
    group_of = {year: key for key, members in groups.items() for year in members}
    by_cohort = _split(people, lambda p: group_of[p.year])
    cohort_row = row({key: sum(by_cohort.get(key, Counter()).values()) for key in groups}, everyone, threshold)
    cohorts = {}
    for key, members in groups.items():
        cohort = by_cohort.get(key, Counter())
        total = cohort_row[key]
        quarters = {
            f"{y}Q{q}": [f"{y}-{m:02d}" for m in range(3 * q - 2, 3 * q + 1)] for y in members for q in range(1, 5)
        }
        by_quarter = _split(cohort, lambda p: f"{p.year}Q{(int(p.month[5:]) - 1) // 3 + 1}")
        quarter_row = row({q: sum(by_quarter.get(q, Counter()).values()) for q in quarters}, total, threshold)
        month_rows: dict[str, Published] = {}
        for q, ms in quarters.items():
            month_rows |= _row(by_quarter.get(q, Counter()), lambda p: p.month, ms, quarter_row[q], threshold)
        stages = _row(cohort, lambda p: p.stage, (*OPEN_STAGES, "closed"), total, threshold)
        closed = Counter({p: n for p, n in cohort.items() if p.stage == "closed"})
        results = _row(closed, lambda p: RESULT_OF[p.outcome], RESULTS, stages["closed"], threshold)
        by_result = _split(closed, lambda p: RESULT_OF[p.outcome])
        cohort_published = {
            "years": list(members),
            "participants": total,
            "quarters": quarter_row,
            "months": month_rows,
            "stages": stages,
            "reach": _row(closed, lambda p: p.reach, REACHED, stages["closed"], threshold),
            "results": results,
            "employed_as": _row(
                by_result.get("employed", Counter()),
                lambda p: p.outcome,
                RESULTS["employed"],
                results["employed"],
                threshold,
            ),
            "other_as": _row(
                by_result.get("other", Counter()), lambda p: p.outcome, RESULTS["other"], results["other"], threshold
            ),
            "six_months": _row(closed, lambda p: p.six, SIX_MONTHS, stages["closed"], threshold),
        }
        for indicator, categories in INDICATORS.items():
            cohort_published[indicator] = _row(
                cohort, lambda p, i=indicator: getattr(p, i), categories, total, threshold
            )
        counted_people = isinstance(total, int) and total >= threshold
        funnel = steps(cohort_published)
        reached = dict(zip(STEPS, funnel, strict=True))
        cohort_published["medians"] = {
            measure: _median_shown(days, members, measure, reached[measure], threshold) for measure in MEDIANS
        }
        # A stay's group (the stays that ended) is not a published figure: its median is
        # shown for a cohort that is, when the group has at least the threshold's stays.
        cohort_published["medians"] |= {
            stay: _median_shown(days, members, stay, total if counted_people else HIDDEN, threshold) for stay in STAYS
        }
        enrolments: Counter = Counter()
        for (y, kind, done), n in training.items():
            if y in members:
                enrolments[(kind, done)] += n
        # Events of a cohort too small to show are not shown either: "none enrolled" beside
        # "<5 participants" would tell what each of them did.
        counted = isinstance(total, int) and total >= threshold
        enrolled = root(sum(enrolments.values()), threshold) if counted else HIDDEN
        kinds = row({k: sum(n for (kind, _), n in enrolments.items() if kind == k) for k in KINDS}, enrolled, threshold)
        cohort_published["training"] = {
            "enrolments": enrolled,
            "kinds": kinds,
            "completed": {
                k: row(
                    {"completed": enrolments.get((k, 1), 0), "not_completed": enrolments.get((k, 0), 0)},
                    kinds[k],
                    threshold,
                )["completed"]
                for k in KINDS
            },
        }
        sent: Counter = Counter()
        for (y, led), n in introductions.items():
            if y in members:
                sent[led] += n
        introduced = root(sum(sent.values()), threshold) if counted else HIDDEN
        cohort_published["introductions"] = {
            "introductions": introduced,
            "led_to": row({led: sent.get(led, 0) for led in LED_TO}, introduced, threshold),
        }
        hours = round(sum(minutes.get(y, 0) for y in members) / 60, 1)
        cohort_published["hours"] = hours if counted else HIDDEN
        cohorts[key] = cohort_published
    return {
        "version": PAYLOAD_VERSION,
        "day": day,
        "threshold": threshold,
        "participants": everyone,
        "cohorts": cohorts,
    }


def cohorts_of(years: tuple[str, ...], per_year: Mapping[str, int], threshold: int) -> dict[str, tuple[str, ...]]:
    """The cohorts: registration years, a year with 1 to 4 people merged with the years
    after it until the cohort has the threshold's people (a small last year joins the
    cohort before it). Coarsening rather than hiding: a hidden year would hide every
    figure under it. Keyed "2026", or "2024–2025" for merged years."""
    groups: list[list[str]] = []
    current: list[str] = []
    n = 0
    for year in years:
        current.append(year)
        n += per_year.get(year, 0)
        if n == 0 or n >= threshold:
            groups.append(current)
            current, n = [], 0
    if current:  # a small tail: with the empty years before it, into the cohort before those
        while groups and not sum(per_year.get(y, 0) for y in groups[-1]):
            current = groups.pop() + current
        if groups:
            groups[-1] += current
        else:
            groups = [current]
    return {(g[0] if len(g) == 1 else f"{g[0]}–{g[-1]}"): tuple(g) for g in groups}


def _median_shown(days: Counter, years: tuple[str, ...], measure: str, group: Published, threshold: int) -> Published:
    histogram: Counter = Counter()
    for (y, m, d), n in days.items():
        if y in years and m == measure:
            histogram[d] += n
    if not isinstance(group, int) or group < threshold or sum(histogram.values()) < threshold:
        return HIDDEN
    return round(median(histogram))


def steps(cohort: dict) -> list[Published]:
    """The funnel of a published cohort: each step counts those at it or beyond, the open
    by their stage, the closed by the furthest stage they reached; the last step, the
    closed as employed. Derived: a step is shown only when all it adds up is."""
    stages, reach = cohort["stages"], cohort["reach"]
    found = []
    for k, step in enumerate(STEPS[:-1]):
        open_parts = [stages[s] for s in OPEN_STAGES if LEVELS[s] >= k]
        closed_parts = [reach[s] for s in REACHED if LEVELS[s] >= k]
        found.append(cohort["participants"] if step == "registered" else add([*open_parts, *closed_parts]))
    found.append(cohort["results"]["employed"])
    return found


def publish_day(counted: Counted, threshold: int) -> dict[int, dict]:
    """Every scope's payload: each organisation's, and all of them together (``ALL``)."""
    years = tuple(sorted({p.year for p in counted.people}))
    day = counted.day.isoformat()

    def of(org) -> dict:
        keep = (lambda key: True) if org == ALL else (lambda key: key == org)
        return publish_scope(
            Counter({p: n for p, n in counted.people.items() if keep(p.org)}),
            threshold,
            days=_by_year(counted.days, keep),
            training=_by_year(counted.training, keep),
            introductions=_by_year(counted.introductions, keep),
            minutes=_by_year(counted.minutes, keep),
            years=years,
            day=day,
        )

    return {scope: of(scope) for scope in (ALL, *counted.organisations)}


def _by_year(found: Counter, keep) -> Counter:
    """Drop the organisation from keys ``(org, year, …)`` of the organisations kept."""
    out: Counter = Counter()
    for (org, *rest), n in found.items():
        if keep(org):
            out[tuple(rest) if len(rest) > 1 else rest[0]] += n
    return out
