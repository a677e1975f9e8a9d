"""The day's figures: counted in SQL (grouped queries, the same number however many people),
then published as one tree per scope (hiddengems/reports/tree.py).

Whom they are about: every participant who confirmed their e-mail address and registered
by the end of the report's day, in a **cohort** by the year they registered (Helsinki
time). Everything is published per cohort; a period of several years is added up from its
cohorts (hiddengems/reports/dashboard.py). The tree of one scope:

- everyone → registration year
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
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Integer, case, cast, func, literal, select

from hiddengems.auth.models import User
from hiddengems.cases.models import Activity, Case, CaseOutcome, StageChange
from hiddengems.extensions import db
from hiddengems.intake.models import IntakeProfile
from hiddengems.introductions.models import Introduction, IntroductionEvent
from hiddengems.orgs.models import Organisation
from hiddengems.reports.periods import Month, end_of_day_utc, month_key, month_of, month_start_utc, months_between
from hiddengems.reports.suppression import HIDDEN
from hiddengems.reports.tree import Published, add, root, row
from hiddengems.training.models import KINDS, Enrolment, Programme
from hiddengems.vocab import OPEN_STAGES, OUTCOMES, SIX_MONTH_RESULTS

PAYLOAD_VERSION = 1
ALL = 0  # the scope of every organisation together (admins and leads)

# The furthest stage a closed participant had reached, by its order in the programme.
LEVELS = {"registered": 0, "intake": 1, "skills": 2, "training": 3, "introductions": 4}
REACHED = tuple(LEVELS)
# The funnel's steps: each counts those at it or beyond (the employed, from the results).
STEPS = ("registered", "intake", "skills", "training", "introductions", "employed")
RESULTS: dict[str, tuple[str, ...]] = {
    "employed": ("employed_full_time", "employed_part_time", "self_employed"),
    "education_training": ("studying",),
    "other": ("left_region", "not_participating", "other"),
}
SIX_MONTHS = (*SIX_MONTH_RESULTS, "not_recorded")
INDICATORS: dict[str, tuple[str, ...]] = {
    "labour": ("unemployed", "inactive", "employed", "unknown"),
    "education": ("isced_0_2", "isced_3_4", "isced_5_8", "unknown"),
    "gender": ("woman", "man", "other", "unknown"),
    "age": ("under_25", "25_34", "35_44", "45_54", "55_plus", "unknown"),
}
LABOUR_CODES = {"unemployed": "unemployed", "inactive": "inactive", "studying": "inactive", "employed": "employed"}
RESULT_OF = {outcome: result for result, outcomes in RESULTS.items() for outcome in outcomes}
LED_TO = ("none", "interview", "work_trial", "hired")  # the furthest an introduction led to
PLACED = ("enrolled", "completed", "dropped")  # enrolments that had a place
MEDIANS = ("intake", "skills", "training", "introductions", "employed")
STAYS = tuple(f"in_{stage}" for stage in OPEN_STAGES)  # medians of the days spent in each stage


@dataclass(frozen=True)
class Person:
    """What is counted of one participant (``Counted.people`` counts people by it)."""

    org: int | None
    month: str  # of registration, "2026-01"
    stage: str
    reach: str | None = None  # the closed: the furthest stage before closing
    outcome: str | None = None  # the closed
    six: str | None = None  # the closed: the six-month result, or "not_recorded"
    labour: str = "unknown"
    education: str = "unknown"
    gender: str = "unknown"
    age: str = "unknown"

    @property
    def year(self) -> str:
        return self.month[:4]


@dataclass(frozen=True)
class Counted:
    """The grouped counts of one day (true counts: for this module only)."""

    day: date
    organisations: tuple[int, ...]
    people: Counter  # Person -> n
    days: Counter  # (org, year, measure, days) -> people
    training: Counter  # (org, year, kind, completed) -> enrolments
    introductions: Counter  # (org, year, led_to) -> introductions
    minutes: Counter  # (org, year) -> minutes of advisers' time


def _month_index(column, months: list[Month]):
    """Which of ``months`` (Helsinki) a UTC instant falls in, in SQL."""
    whens = [(column < month_start_utc(month), literal(i - 1)) for i, month in enumerate(months[1:], start=1)]
    return case(*whens, else_=literal(len(months) - 1)) if whens else literal(0)


def _days(later, earlier):
    if db.session.get_bind().dialect.name == "sqlite":
        return cast(func.julianday(later) - func.julianday(earlier), Integer)
    return cast(func.floor(func.extract("epoch", later - earlier) / 86400), Integer)


def _coded(column, codes: Mapping[str, str]):
    return case(*[(column == raw, code) for raw, code in codes.items()], else_="unknown")


def _people(cutoff, months: list[Month]):
    """Every verified participant registered before ``cutoff``: case id, organisation and
    registration month index (a subquery the other counts join)."""
    return (
        select(
            Case.id.label("case_id"),
            Case.organisation_id.label("org"),
            Case.created_at.label("created_at"),
            _month_index(Case.created_at, months).label("month"),
        )
        .join(User, User.id == Case.spouse_id)
        .where(Case.created_at < cutoff, User.email_verified_at.is_not(None), User.email_verified_at < cutoff)
        .subquery()
    )


def count(day: date) -> Counted:
    """Six grouped queries (and two small ones), whatever the number of people."""
    cutoff = end_of_day_utc(day)
    first = db.session.scalar(select(func.min(Case.created_at)))
    start = month_of(min(first.date(), day)) if first is not None else month_of(day)
    months = months_between((start[0], 1), month_of(day))
    keys = [month_key(m) for m in months]
    people = _people(cutoff, months)

    level = case(LEVELS, value=StageChange.to_stage, else_=0)
    history = (
        select(StageChange.case_id, func.max(StageChange.id).label("last_id"), func.max(level).label("level"))
        .where(StageChange.at < cutoff)
        .group_by(StageChange.case_id)
        .subquery()
    )
    last = StageChange.__table__.alias("last_change")
    closed = last.c.to_stage == "closed"
    level_names = case({v: k for k, v in LEVELS.items()}, value=history.c.level, else_="registered")
    six = case(
        (CaseOutcome.six_month_recorded_at < cutoff, CaseOutcome.six_month_result), else_=literal("not_recorded")
    )
    education = IntakeProfile.education_level
    per_person = (
        select(
            people.c.org,
            people.c.month,
            last.c.to_stage.label("stage"),
            case((closed, level_names), else_=None).label("reach"),
            case((closed, func.coalesce(CaseOutcome.outcome, "other")), else_=None).label("outcome"),
            case((closed, six), else_=None).label("six"),
            _coded(IntakeProfile.labour_status, LABOUR_CODES).label("labour"),
            case(
                (education.is_(None), "unknown"),
                (education <= 2, "isced_0_2"),
                (education <= 4, "isced_3_4"),
                else_="isced_5_8",
            ).label("education"),
            _coded(IntakeProfile.gender, {g: g for g in ("woman", "man", "other")}).label("gender"),
            _coded(IntakeProfile.age_group, {a: a for a in INDICATORS["age"][:-1]}).label("age"),
        )
        .join(history, history.c.case_id == people.c.case_id)
        .join(last, last.c.id == history.c.last_id)
        .outerjoin(CaseOutcome, CaseOutcome.stage_change_id == last.c.id)
        .outerjoin(IntakeProfile, IntakeProfile.case_id == people.c.case_id)
        .subquery()
    )
    columns = list(per_person.c)
    found: Counter = Counter()
    for org, month, stage, reach, outcome, six_result, *codes, n in db.session.execute(
        select(*columns, func.count()).group_by(*columns)
    ):
        if stage == "closed":
            outcome = outcome if outcome in OUTCOMES else "other"
            six_result = six_result if six_result in SIX_MONTHS else "not_recorded"
        found[Person(org, keys[month], stage, reach, outcome, six_result, *codes)] += n

    days = _count_days(cutoff, people, keys)
    training = _count_training(cutoff, people, keys)
    introductions = _count_introductions(cutoff, people, keys)
    minutes = _count_minutes(cutoff, people, keys)
    organisations = tuple(db.session.scalars(select(Organisation.id).order_by(Organisation.id)))
    return Counted(day, organisations, found, days, training, introductions, minutes)


def _count_days(cutoff, people, keys: list[str]) -> Counter:
    """(org, year, measure, days) → people: days from registration to first reaching each
    stage, and to a close as employed; and ``in_<stage>`` → stays: the days each stay in a
    stage lasted, for the stays that ended."""
    outcome = func.coalesce(CaseOutcome.outcome, "other")
    measure = case(
        (StageChange.to_stage == "closed", case((outcome.in_(RESULTS["employed"]), "employed"), else_=None)),
        else_=StageChange.to_stage,
    )
    firsts = (
        select(
            people.c.org,
            people.c.month,
            measure.label("measure"),
            _days(func.min(StageChange.at), people.c.created_at).label("days"),
        )
        .join(StageChange, StageChange.case_id == people.c.case_id)
        .outerjoin(CaseOutcome, CaseOutcome.stage_change_id == StageChange.id)
        .where(
            StageChange.at < cutoff,
            StageChange.to_stage.in_(("intake", "skills", "training", "introductions", "closed")),
        )
        .group_by(people.c.case_id, people.c.org, people.c.month, people.c.created_at, measure)
        .subquery()
    )
    c = firsts.c
    found: Counter = Counter()
    stmt = select(c.org, c.month, c.measure, c.days, func.count()).where(c.measure.is_not(None))
    for org, month, what, n_days, n in db.session.execute(stmt.group_by(c.org, c.month, c.measure, c.days)):
        found[(org, keys[month][:4], what, max(int(n_days), 0))] += n
    # How long each stay in a stage lasted (the stays that ended by the day).
    following = func.lead(StageChange.at).over(partition_by=StageChange.case_id, order_by=StageChange.id)
    changes = (
        select(StageChange.case_id, StageChange.to_stage, StageChange.at.label("start"), following.label("end"))
        .where(StageChange.at < cutoff)
        .subquery()
    )
    stays = (
        select(
            people.c.org,
            people.c.month,
            changes.c.to_stage.label("stage"),
            _days(changes.c.end, changes.c.start).label("days"),
        )
        .join(changes, changes.c.case_id == people.c.case_id)
        .where(changes.c.end.is_not(None), changes.c.to_stage.in_(OPEN_STAGES))
        .subquery()
    )
    c = stays.c
    stmt = select(c.org, c.month, c.stage, c.days, func.count()).group_by(c.org, c.month, c.stage, c.days)
    for org, month, stage, n_days, n in db.session.execute(stmt):
        found[(org, keys[month][:4], f"in_{stage}", max(int(n_days), 0))] += n
    return found


def _count_training(cutoff, people, keys: list[str]) -> Counter:
    """(org, year, kind, completed) → enrolments that had a place by the end of the day."""
    completed = case(((Enrolment.status == "completed") & (Enrolment.ended_at < cutoff), 1), else_=0)
    rows = (
        select(people.c.org, people.c.month, Programme.kind.label("kind"), completed.label("completed"))
        .join(Enrolment, Enrolment.case_id == people.c.case_id)
        .join(Programme, Programme.id == Enrolment.programme_id)
        .where(Enrolment.status.in_(PLACED), Enrolment.enrolled_at < cutoff)
        .subquery()
    )
    c = rows.c
    found: Counter = Counter()
    for org, month, kind, done, n in db.session.execute(
        select(c.org, c.month, c.kind, c.completed, func.count()).group_by(c.org, c.month, c.kind, c.completed)
    ):
        found[(org, keys[month][:4], kind, int(done))] += n
    return found


def _count_introductions(cutoff, people, keys: list[str]) -> Counter:
    """(org, year, led_to) → introductions sent to an employer by the end of the day, by
    the furthest they led to (a hire, a work trial, an interview, or nothing yet)."""
    event = IntroductionEvent
    rank = case({"interview": 1, "work_trial": 2, "hired": 3}, value=event.status, else_=0)
    per_introduction = (
        select(
            event.introduction_id,
            func.max(case((event.status == "introduced", 1), else_=0)).label("sent"),
            func.max(rank).label("rank"),
        )
        .where(event.at < cutoff)
        .group_by(event.introduction_id)
        .subquery()
    )
    p = per_introduction.c
    rows = (
        select(people.c.org, people.c.month, p.rank)
        .join(Introduction, Introduction.case_id == people.c.case_id)
        .join(per_introduction, p.introduction_id == Introduction.id)
        .where(p.sent == 1)
        .subquery()
    )
    c = rows.c
    found: Counter = Counter()
    for org, month, rank_found, n in db.session.execute(
        select(c.org, c.month, c.rank, func.count()).group_by(c.org, c.month, c.rank)
    ):
        found[(org, keys[month][:4], LED_TO[int(rank_found)])] += n
    return found


def _count_minutes(cutoff, people, keys: list[str]) -> Counter:
    """(org, year) → minutes of advisers' time recorded on the cohort's timelines."""
    stmt = (
        select(people.c.org, people.c.month, func.sum(Activity.duration_minutes))
        .join(Activity, Activity.case_id == people.c.case_id)
        .where(Activity.duration_minutes > 0, Activity.occurred_at < cutoff)
        .group_by(people.c.org, people.c.month)
    )
    found: Counter = Counter()
    for org, month, total in db.session.execute(stmt):
        found[(org, keys[month][:4])] += int(total or 0)
    return found


# --- publishing ---------------------------------------------------------------------------


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
