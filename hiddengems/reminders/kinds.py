"""What a reminder rule counts from: each kind is one date per case, found set-based.

A kind gives, for every case it matches, an *anchor*: the moment of an event (the
registration, the last contact, the last stage change, the close) or a date held on the
case (the residence permit's expiry). A rule fires ``days`` after (or before) the anchor;
the anchor's day is the firing's *occasion*, so a new event (a new contact, a renewed
permit) is a new occasion and the same one never fires twice.

Each anchor is one SELECT over all cases (correlated subqueries on the indexes the case
lists use), never a query per case.

Domains above this one add their own kinds with ``register`` (training: "training ended",
from hiddengems/training/reminder_kinds.py, imported by its panels.py at startup): this
module never imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date

from sqlalchemy import Date, func
from sqlalchemy import select as sa_select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from hiddengems.cases.models import Activity, Case, StageChange
from hiddengems.intake.models import IntakeProfile
from hiddengems.ui.words import lazy_gettext as _l
from hiddengems.vocab import CONTACT_KINDS, one_of

WORKING_STAGES = ("intake", "skills", "training", "introductions")


class add_days(FunctionElement):  # noqa: N801
    """A DATE plus a whole number of days (a bound integer)."""

    type = Date()
    inherit_cache = True


@compiles(add_days, "sqlite")
def _add_days_sqlite(element, compiler, **kw):
    day, days = list(element.clauses)
    return f"date({compiler.process(day, **kw)}, {compiler.process(days, **kw)} || ' days')"


@compiles(add_days, "postgresql")
def _add_days_postgresql(element, compiler, **kw):
    day, days = list(element.clauses)
    return f"(CAST({compiler.process(day, **kw)} AS DATE) + CAST({compiler.process(days, **kw)} AS INTEGER))"


class utc_day(FunctionElement):  # noqa: N801 - a SQL function, named like one
    """The UTC calendar day of a stored UTC time, as a DATE, on SQLite and PostgreSQL."""

    type = Date()
    inherit_cache = True


@compiles(utc_day, "sqlite")
def _utc_day_sqlite(element, compiler, **kw):
    # UTCDateTime stores naive UTC text on SQLite: date() reads its first ten characters' day.
    return f"date({compiler.process(element.clauses, **kw)})"


@compiles(utc_day, "postgresql")
def _utc_day_postgresql(element, compiler, **kw):
    return f"CAST(timezone('UTC', {compiler.process(element.clauses, **kw)}) AS DATE)"


@dataclass(frozen=True)
class Kind:
    code: str
    label: object
    # "event": the anchor is a past moment (a UTC time); "date": a calendar date, which
    # may lie ahead, so that a rule can fire before it.
    anchor_type: str
    help: object

    @property
    def directions(self) -> tuple[str, ...]:
        return ("before", "after") if self.anchor_type == "date" else ("after",)


KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in (
        Kind(
            "intake_not_submitted",
            _l("Intake not submitted after registration"),
            "event",
            _l("Counts from the registration, while the spouse has not sent the intake."),
        ),
        Kind(
            "intake_not_taken",
            _l("Submitted intake not taken by an adviser"),
            "event",
            _l("Counts from the intake's submission, while the case waits in the intake queue."),
        ),
        Kind(
            "no_contact",
            _l("No adviser contact on an active case"),
            "event",
            _l("Counts from the last meeting, call or e-mail (or the last stage change) of an assigned open case."),
        ),
        Kind(
            "stage_stuck",
            _l("Days in one stage"),
            "event",
            _l("Counts from the last stage change of an open case past registration."),
        ),
        Kind(
            "permit_expiring",
            _l("Residence permit expiry"),
            "date",
            _l("Counts to (or from) the permit's expiry date the spouse gave in the intake, on an open case."),
        ),
        Kind(
            "closed_check",
            _l("Closed with an outcome: check the situation later"),
            "event",
            _l("Counts from the close (the funder asks for the result six months after)."),
        ),
    )
}


# Kinds registered by the domains above (code -> the function that gives their anchors,
# for all cases or for one) and the default rule each seeds (hiddengems/reminders/rules.py).
REGISTERED: dict[str, Callable] = {}
REGISTERED_DEFAULTS: list[dict] = []


def register(kind: Kind, anchors_of: Callable, *, default: dict | None = None) -> None:
    """Add a domain's kind: ``anchors_of(case_id)`` returns a SELECT of case_id, anchor
    (never NULL; a case may have several anchors, one per occasion), for every case when
    case_id is None. Registering again replaces (an app made twice in one process)."""
    KINDS[kind.code] = kind
    REGISTERED[kind.code] = anchors_of
    if default is not None:
        REGISTERED_DEFAULTS[:] = [d for d in REGISTERED_DEFAULTS if d["key"] != default["key"]] + [default]


def _last_stage_change():
    return sa_select(func.max(StageChange.at)).where(StageChange.case_id == Case.id).correlate(Case).scalar_subquery()


def _last_contact():
    return (
        sa_select(func.max(Activity.occurred_at))
        # A meeting cancelled by a close never took place: not a contact.
        .where(Activity.case_id == Case.id, one_of(Activity.kind, CONTACT_KINDS), Activity.cancelled_at.is_(None))
        .correlate(Case)
        .scalar_subquery()
    )


def anchors(kind: str, case_id: int | None = None):
    """SELECT case_id, anchor for every case the kind matches (anchor never NULL), or for
    one case."""
    if kind in REGISTERED:
        return REGISTERED[kind](case_id)
    pick = _one_case(case_id)
    if kind == "intake_not_submitted":
        return pick(Case.id.label("case_id"), Case.created_at.label("anchor")).where(one_of(Case.stage, ["registered"]))
    if kind == "intake_not_taken":
        return (
            pick(Case.id.label("case_id"), IntakeProfile.submitted_at.label("anchor"))
            .join(IntakeProfile, IntakeProfile.case_id == Case.id)
            .where(one_of(Case.stage, ["intake"]), Case.adviser_id.is_(None), IntakeProfile.submitted_at.is_not(None))
        )
    if kind == "no_contact":
        anchor = func.coalesce(_last_contact(), _last_stage_change(), Case.created_at)
        inner = pick(Case.id.label("case_id"), anchor.label("anchor")).where(
            one_of(Case.stage, WORKING_STAGES), Case.adviser_id.is_not(None)
        )
        return _wrapped(inner, kind, case_id)
    if kind == "stage_stuck":
        inner = pick(Case.id.label("case_id"), _last_stage_change().label("anchor")).where(
            one_of(Case.stage, WORKING_STAGES)
        )
        return _wrapped(inner, kind, case_id)
    if kind == "permit_expiring":
        return (
            pick(Case.id.label("case_id"), IntakeProfile.permit_expires.label("anchor"))
            .join(IntakeProfile, IntakeProfile.case_id == Case.id)
            .where(~one_of(Case.stage, ["closed"]), IntakeProfile.permit_expires.is_not(None))
        )
    if kind == "closed_check":
        # A closed case's last stage change is its close (read on the (case, at) index).
        inner = pick(Case.id.label("case_id"), _last_stage_change().label("anchor")).where(
            one_of(Case.stage, ["closed"]), Case.outcome.is_not(None)
        )
        return _wrapped(inner, kind, case_id)
    raise ValueError(f"unknown rule kind {kind!r}")


def _one_case(case_id: int | None):
    """``select`` that adds "this case only" when one is asked for."""
    if case_id is None:
        return sa_select

    def select_one(*columns):
        return sa_select(*columns).where(Case.id == case_id)

    return select_one


def _wrapped(inner, kind: str, case_id: int | None):
    """Computed anchors are filtered from outside. Over all cases they are materialized
    first (WITH ... AS MATERIALIZED, SQLite and PostgreSQL), so that each case's anchor is
    computed once, not once for each condition and column that mentions it."""
    if case_id is None:
        sub = inner.cte(f"anchors_{kind}").prefix_with("MATERIALIZED")
    else:
        sub = inner.subquery(f"anchors_{kind}")
    return sa_select(sub.c.case_id, sub.c.anchor).where(sub.c.anchor.is_not(None))


def occasion_of(kind: str, anchor: ColumnElement) -> ColumnElement:
    """The occasion (a DATE) of an anchor column: a date anchor is its own occasion."""
    return anchor if KINDS[kind].anchor_type == "date" else utc_day(anchor)


def python_occasion(kind: str, anchor) -> date:
    """The same, for an anchor read into Python (the case's "why" page)."""
    return anchor if KINDS[kind].anchor_type == "date" else anchor.astimezone(UTC).date()
