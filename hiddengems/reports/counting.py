"""Counting the day's figures in SQL: grouped queries, the same number however many people.

Whom: every participant who confirmed their e-mail address and registered by the end of
the report's day. What: per participant a ``Person`` (organisation, month of registration,
stage, how a closed one left, the ESF+ answers), counted by how many share it; and, per
organisation and registration year, the days to each step and in each stage, the training
enrolments, the introductions and the advisers' minutes. These are true counts: they go
to hiddengems/reports/figures.py, which publishes them, and nowhere else.
"""

from __future__ import annotations

from collections import Counter
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
from hiddengems.training.models import Enrolment, Programme
from hiddengems.vocab import OPEN_STAGES, OUTCOMES, SIX_MONTH_RESULTS

# The furthest stage a closed participant had reached, by its order in the programme.
LEVELS = {"registered": 0, "intake": 1, "skills": 2, "training": 3, "introductions": 4}
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
LED_TO = ("none", "interview", "work_trial", "hired")  # the furthest an introduction led to
PLACED = ("enrolled", "completed", "dropped")  # enrolments that had a place


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
