"""The values per case that the lists show and sort by, beside the case's own columns:
since when in this stage and the last contact (this domain's), and what other domains
register (the next follow-up is the reminders domain's: reminders/panels.py).

Each is a correlated subquery on indexed columns, attached to the Case rows with
``with_expression``; for the lists that are not narrowed to a few cases, a *walk*
reads the values in sort order and stops once a page is full.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from sqlalchemy import ColumnElement, Select, and_, bindparam, cast, exists, func, null, or_, select
from sqlalchemy.orm import aliased, with_expression

from hiddengems.cases.models import Activity, Case, StageChange
from hiddengems.timeutil import UTCDateTime, utcnow
from hiddengems.vocab import CONTACT_KINDS, one_of

# Made once: the first use of a new alias's columns costs more than the rest of the
# statement (half a millisecond for the two stage change aliases).
_LATEST = aliased(StageChange, name="latest")
_LATER = aliased(StageChange, name="later")
_CONTACT = aliased(Activity, name="contact")
_LATER_CONTACT = aliased(Activity, name="later_contact")


@dataclass
class Walk:
    """The cases with a value, as (id, sort_key) rows in list order (without LIMIT), and
    those without one (no contact yet, no open follow-up) by id: they come last."""

    valued: Select
    valueless: Select


WalkMaker = Callable[..., Walk]  # (where, *, descending, tie_desc) -> Walk


@dataclass(frozen=True)
class Column:
    """A value per case the lists show and sort by: ``sort`` is its key in URLs, and
    ``attribute`` the Case query_expression it fills."""

    sort: str
    attribute: str
    expression: Callable[[], ColumnElement]
    walk: WalkMaker | None = None


_COLUMNS: dict[str, Column] = {}
# Filters other domains add, by the name of the list form's flag: (today) -> a condition on Case.
_FILTERS: dict[str, Callable[[date], ColumnElement]] = {}


def register_column(column: Column) -> None:
    _COLUMNS[column.sort] = column
    _with_expressions.cache_clear()
    labelled.cache_clear()


def register_filter(name: str, clause: Callable[[date], ColumnElement]) -> None:
    _FILTERS[name] = clause


def sorts() -> tuple[str, ...]:
    return tuple(_COLUMNS)


def column(sort: str) -> Column | None:
    return _COLUMNS.get(sort)


def filter_clause(name: str) -> Callable[[date], ColumnElement] | None:
    return _FILTERS.get(name)


def stage_since_expr():
    return select(func.max(StageChange.at)).where(StageChange.case_id == Case.id).correlate(Case).scalar_subquery()


@cache
def _is_latest():
    """No later stage change of the same case: ``_LATEST`` is the one its time in stage
    counts from (ties on ``at`` go to the higher id, so each case has exactly one)."""
    change = _LATEST
    return ~exists().where(
        _LATER.case_id == change.case_id,
        or_(_LATER.at > change.at, and_(_LATER.at == change.at, _LATER.id > change.id)),
    )


def by_stage_change(where: list, *, stage: str | None, descending: bool, tie_desc: bool) -> Select:
    """(id, sort_key) of the cases matching ``where``, by the time of their latest stage
    change, walking the stage changes in time order (ix_stage_change_stage_at for one
    stage, ix_stage_change_at for all) and stopping once the page is full, instead of
    computing the time in stage of every case and sorting them all.

    Only for filters that keep a good share of the cases: a narrow one (one adviser's
    caseload, a name) is cheaper the other way round, per case (stage_since_expr)."""
    change = _LATEST
    conditions = [exists().where(Case.id == change.case_id, *where), _is_latest()]
    if stage:
        # The latest change of a case in this stage is the one into it.
        conditions.insert(0, change.to_stage == stage)
    at = change.at.desc() if descending else change.at.asc()
    tie = change.case_id.desc() if tie_desc else change.case_id.asc()
    # ``at`` is never NULL: no NULLS LAST, which would keep the index from giving the order.
    return select(change.case_id.label("id"), change.at.label("sort_key")).where(*conditions).order_by(at, tie)


def _now():
    # The clock is read when the statement runs, so that an expression can be built once.
    return bindparam("now", callable_=utcnow, type_=UTCDateTime, unique=True)


def last_contact_expr():
    # Planned meetings lie ahead: the last contact is the latest one that has happened (and
    # was not cancelled by a close).
    return (
        select(func.max(Activity.occurred_at))
        .where(
            Activity.case_id == Case.id,
            one_of(Activity.kind, CONTACT_KINDS),
            Activity.occurred_at <= _now(),
            Activity.cancelled_at.is_(None),
        )
        .correlate(Case)
        .scalar_subquery()
    )


# A case without contact for this many days has gone quiet (the team workload, the lists' filter).
QUIET_DAYS = 30


def quiet_clause():
    """Opened at least QUIET_DAYS ago and no contact in the last QUIET_DAYS: a condition on Case."""
    since = bindparam("quiet_since", callable_=lambda: utcnow() - timedelta(days=QUIET_DAYS), type_=UTCDateTime)
    recent = exists().where(
        Activity.case_id == Case.id,
        one_of(Activity.kind, CONTACT_KINDS),
        Activity.occurred_at > since,
        Activity.occurred_at <= _now(),
    )
    return and_(Case.created_at <= since, ~recent)


def _by_last_contact(where: list, *, descending: bool, tie_desc: bool) -> Walk:
    """Walk the contacts that have happened by time (ix_activity_contact_at), keeping each
    case's latest (ties on ``occurred_at`` go to the higher id, so each case has one)."""
    contact, later = _CONTACT, _LATER_CONTACT
    # The kinds written into the SQL (one_of): SQLite uses the partial indexes on contacts
    # only when it can see that the query's kinds are the index's (not with bound values).
    now = _now()
    tied = and_(later.occurred_at == contact.occurred_at, later.id > contact.id)
    latest = ~exists().where(
        later.case_id == contact.case_id,
        one_of(later.kind, CONTACT_KINDS),
        later.occurred_at <= now,
        later.cancelled_at.is_(None),
        or_(later.occurred_at > contact.occurred_at, tied),
    )
    at = contact.occurred_at.desc() if descending else contact.occurred_at.asc()
    tie = contact.case_id.desc() if tie_desc else contact.case_id.asc()
    valued = (
        select(contact.case_id.label("id"), contact.occurred_at.label("sort_key"))
        .where(
            one_of(contact.kind, CONTACT_KINDS),
            contact.occurred_at <= now,
            contact.cancelled_at.is_(None),
            exists().where(Case.id == contact.case_id, *where),
            latest,
        )
        .order_by(at, tie)
    )
    none = ~exists().where(
        Activity.case_id == Case.id,
        one_of(Activity.kind, CONTACT_KINDS),
        Activity.occurred_at <= now,
        Activity.cancelled_at.is_(None),
    )
    valueless = select(Case.id, cast(null(), UTCDateTime).label("sort_key")).where(*where, none)
    return Walk(valued, valueless.order_by(Case.id.desc() if tie_desc else Case.id))


@cache
def _with_expressions() -> tuple:
    """The options that attach every column to the Case rows; built once, as building
    them costs more than running them for a page."""
    return tuple(with_expression(getattr(Case, c.attribute), c.expression()) for c in _COLUMNS.values())


def with_columns() -> tuple:
    return _with_expressions()


@cache
def labelled() -> tuple:
    """Every column's expression labelled with its attribute, for the lists' plain rows."""
    return tuple(c.expression().label(c.attribute) for c in _COLUMNS.values())


register_column(Column("days", "stage_since", stage_since_expr))
register_column(Column("last_contact", "last_contact_at", last_contact_expr, _by_last_contact))
