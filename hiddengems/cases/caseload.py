"""The lists of cases: my caseload, all cases (lead), the intake queue.

Each page of a list is ONE query plus the pager's count: the derived columns
(since when in this stage, last contact, next follow-up due) are correlated
subqueries on indexed columns, attached to the Case rows with ``with_expression``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import Select, and_, bindparam, case, cast, exists, func, null, or_, select, union_all
from sqlalchemy.orm import aliased, contains_eager, with_expression

from hiddengems.auth.models import User
from hiddengems.cases.models import Activity, Case, StageChange
from hiddengems.cases.services import inactive_advisers
from hiddengems.extensions import db
from hiddengems.inputs import parse_id
from hiddengems.orgs.models import Organisation
from hiddengems.reminders.models import FollowUp
from hiddengems.timeutil import UTCDateTime, helsinki_today, utcnow
from hiddengems.vocab import CONTACT_KINDS, OPEN_STAGES, STAGES

SORTS = ("name", "organisation", "stage", "days", "last_contact", "next_due", "adviser", "opened")

# Made once: the first use of a new alias's columns costs more than the rest of the
# statement (half a millisecond for the two stage change aliases).
_SPOUSE = aliased(User, name="spouse")
_ADVISER = aliased(User, name="adviser")
_PAGE_SPOUSE = aliased(User, name="page_spouse")
_PAGE_ADVISER = aliased(User, name="page_adviser")
_LATEST = aliased(StageChange, name="latest")
_LATER = aliased(StageChange, name="later")
_CONTACT = aliased(Activity, name="contact")
_LATER_CONTACT = aliased(Activity, name="later_contact")
_OPEN = aliased(FollowUp, name="open_follow_up")
_EARLIER = aliased(FollowUp, name="earlier")


@dataclass
class CaseFilters:
    q: str = ""
    stage: str = ""  # "" = every open stage
    organisation_id: int | None = None
    overdue: bool = False
    adviser: str = ""  # lead only: "" any, "none" unassigned, or an adviser's id
    needs_reassignment: bool = False  # lead only
    sort: str = "next_due"
    desc: bool = False


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


def _by_stage_change(where: list, *, stage: str | None, descending: bool, tie_desc: bool) -> Select:
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


def _contact_kinds():
    # The kinds as literals in the SQL: SQLite uses the partial indexes on contacts only
    # when it can see that the query's kinds are the index's (not with bound values).
    return bindparam("contact_kinds", CONTACT_KINDS, expanding=True, literal_execute=True, unique=True)


def last_contact_expr():
    # Planned meetings lie ahead: the last contact is the latest one that has happened.
    return (
        select(func.max(Activity.occurred_at))
        .where(Activity.case_id == Case.id, Activity.kind.in_(_contact_kinds()), Activity.occurred_at <= _now())
        .correlate(Case)
        .scalar_subquery()
    )


@dataclass
class _Walk:
    """The cases with a value, as (id, sort_key) rows in list order (without LIMIT), and
    those without one (no contact yet, no open follow-up) by id: they come last."""

    valued: Select
    valueless: Select


def _by_last_contact(where: list, *, descending: bool, tie_desc: bool) -> _Walk:
    """Walk the contacts that have happened by time (ix_activity_contact_at), keeping each
    case's latest (ties on ``occurred_at`` go to the higher id, so each case has one)."""
    contact, later = _CONTACT, _LATER_CONTACT
    now, kinds = _now(), _contact_kinds()
    tied = and_(later.occurred_at == contact.occurred_at, later.id > contact.id)
    latest = ~exists().where(
        later.case_id == contact.case_id,
        later.kind.in_(kinds),
        later.occurred_at <= now,
        or_(later.occurred_at > contact.occurred_at, tied),
    )
    at = contact.occurred_at.desc() if descending else contact.occurred_at.asc()
    tie = contact.case_id.desc() if tie_desc else contact.case_id.asc()
    valued = (
        select(contact.case_id.label("id"), contact.occurred_at.label("sort_key"))
        .where(
            contact.kind.in_(kinds),
            contact.occurred_at <= now,
            exists().where(Case.id == contact.case_id, *where),
            latest,
        )
        .order_by(at, tie)
    )
    none = ~exists().where(Activity.case_id == Case.id, Activity.kind.in_(kinds), Activity.occurred_at <= now)
    valueless = select(Case.id, cast(null(), UTCDateTime).label("sort_key")).where(*where, none)
    return _Walk(valued, valueless.order_by(Case.id.desc() if tie_desc else Case.id))


def _by_next_follow_up(where: list, *, descending: bool, tie_desc: bool) -> _Walk:
    """Walk the open follow-ups by due date (ix_follow_up_open_due), keeping each case's
    earliest (ties on ``due_on`` go to the lower id, so each case has one)."""
    follow_up, earlier = _OPEN, _EARLIER
    earliest = ~exists().where(
        earlier.case_id == follow_up.case_id,
        earlier.done_at.is_(None),
        or_(earlier.due_on < follow_up.due_on, and_(earlier.due_on == follow_up.due_on, earlier.id < follow_up.id)),
    )
    due = follow_up.due_on.desc() if descending else follow_up.due_on.asc()
    tie = follow_up.case_id.desc() if tie_desc else follow_up.case_id.asc()
    valued = (
        select(follow_up.case_id.label("id"), follow_up.due_on.label("sort_key"))
        .where(follow_up.done_at.is_(None), exists().where(Case.id == follow_up.case_id, *where), earliest)
        .order_by(due, tie)
    )
    none = ~exists().where(FollowUp.case_id == Case.id, FollowUp.done_at.is_(None))
    valueless = select(Case.id, cast(null(), FollowUp.due_on.type).label("sort_key")).where(*where, none)
    return _Walk(valued, valueless.order_by(Case.id.desc() if tie_desc else Case.id))


def next_follow_up_expr():
    return (
        select(func.min(FollowUp.due_on))
        .where(FollowUp.case_id == Case.id, FollowUp.done_at.is_(None))
        .correlate(Case)
        .scalar_subquery()
    )


def overdue_clause(today: date):
    return exists().where(FollowUp.case_id == Case.id, FollowUp.done_at.is_(None), FollowUp.due_on < today)


@cache
def _open_cases_count(dialect: str) -> Select:
    """Every open case, counted the way each database does cheapest (85,000 at 100k).

    SQLite counts a whole table from its b-tree pages without reading the rows: all cases
    less the closed ones (one range of ix_case_file_stage) takes 0.3 ms where counting the
    open ones takes 2.3. PostgreSQL reads an index entry per case either way; the open
    stages as ranges of ix_case_file_stage spare it the "!= 'closed'" test on each (2.3
    ms, against 3.7, or 3.1 for the difference)."""
    if dialect == "sqlite":
        every = select(func.count()).select_from(Case).scalar_subquery()
        closed = select(func.count()).select_from(Case).where(Case.stage == "closed").scalar_subquery()
        return select(every - closed)
    return select(func.count()).select_from(Case).where(Case.stage.in_(OPEN_STAGES))


def _stage_order():
    return case({stage: i for i, stage in enumerate(STAGES)}, value=Case.stage)


@dataclass
class CaseQuery:
    """A list of cases in two steps: ``keys`` picks one page of case ids by the filters
    and the sort (narrow rows, only the joins they need), then ``rows(keys)`` loads
    those cases with what the page shows. ``count`` is the total for the pager."""

    keys: Select  # (id, sort key) in order, without LIMIT
    count: Select
    order: tuple  # the sort, as columns of the picked page
    eager: Callable[[Select], Select]
    # For a limited page, the first ``n`` rows of ``keys`` (and perhaps more), by a walk.
    first_rows: Callable[[int], Select] | None = None

    def rows(self, *, limit: int | None = None, offset: int = 0) -> Select:
        keys = self.keys if limit is None or self.first_rows is None else self.first_rows(limit + offset)
        picked = keys.limit(limit).offset(offset).subquery("picked")
        stmt = self.eager(select(Case).join(picked, picked.c.id == Case.id))
        return stmt.order_by(*(column(picked) for column in self.order))


@dataclass
class CasePage:
    """What the pager macro needs, for a CaseQuery."""

    items: list[Case]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def paginate(query: CaseQuery, *, page: int, per_page: int) -> CasePage:
    page = max(page, 1)
    items = list(db.session.scalars(query.rows(limit=per_page, offset=(page - 1) * per_page)))
    total = db.session.scalar(query.count)
    if not items and page > 1 and total:
        # Past the last page (a link kept from before cases moved away): show the last one.
        page = -(-total // per_page)
        items = list(db.session.scalars(query.rows(limit=per_page, offset=(page - 1) * per_page)))
    return CasePage(items=items, page=page, per_page=per_page, total=total)


@cache
def _derived() -> tuple:
    """The options that attach the derived columns to the Case rows; built once, as
    building them costs more than running them for a page."""
    return (
        with_expression(Case.stage_since, stage_since_expr()),
        with_expression(Case.last_contact_at, last_contact_expr()),
        with_expression(Case.next_follow_up_on, next_follow_up_expr()),
    )


def case_list(filters: CaseFilters, *, adviser_id: int | None = None, with_adviser: bool = False) -> CaseQuery:
    """Cases with their spouse, organisation (and adviser) and the derived columns.

    ``adviser_id`` restricts to one adviser's caseload; ``with_adviser`` joins the
    adviser for the lead's list."""
    today = helsinki_today()
    spouse, adviser = _SPOUSE, _ADVISER

    where = [Case.stage == filters.stage if filters.stage in STAGES else Case.stage != "closed"]
    if adviser_id is not None:
        where.append(Case.adviser_id == adviser_id)
    if filters.organisation_id:
        where.append(Case.organisation_id == filters.organisation_id)
    if filters.overdue:
        where.append(overdue_clause(today))
    if filters.q:
        q = filters.q.strip()
        where.append(or_(spouse.name.icontains(q, autoescape=True), spouse.email.icontains(q, autoescape=True)))
    reassignment = with_adviser and filters.needs_reassignment
    filter_adviser_id = parse_id(filters.adviser)
    if with_adviser:
        if filters.adviser == "none":
            where.append(Case.adviser_id.is_(None))
        elif filter_adviser_id is not None:
            where.append(Case.adviser_id == filter_adviser_id)
        if reassignment:
            where.append(and_(Case.adviser_id.in_(inactive_advisers()), Case.stage != "closed"))

    # Built on demand: only the chosen sort's expression is made.
    sorts = {
        "name": lambda: spouse.name,
        "organisation": lambda: Organisation.name,
        "stage": _stage_order,
        # Most days in stage = the oldest stage change.
        "days": stage_since_expr,
        "last_contact": last_contact_expr,
        "next_due": next_follow_up_expr,
        "adviser": lambda: adviser.name if with_adviser else Case.adviser_id,
        "opened": lambda: Case.id,
    }
    sort = filters.sort if filters.sort in sorts else "next_due"
    descending = filters.desc != (sort == "days")

    def joined(stmt: Select, *, for_sort: bool) -> Select:
        # Only the joins the filters (and, for the page's keys, the sort) need.
        if filters.q or (for_sort and sort == "name"):
            stmt = stmt.join(spouse, spouse.id == Case.spouse_id)
        if for_sort and sort == "adviser" and with_adviser:
            stmt = stmt.outerjoin(adviser, adviser.id == Case.adviser_id)
        if for_sort and sort == "organisation":
            stmt = stmt.outerjoin(Organisation, Organisation.id == Case.organisation_id)
        return stmt.where(*where)

    narrow = adviser_id is not None or filters.q or reassignment or (with_adviser and filter_adviser_id is not None)
    if sort == "days" and not narrow:
        stage = filters.stage if filters.stage in STAGES else None
        keys = _by_stage_change(where, stage=stage, descending=descending, tie_desc=filters.desc)
    else:
        key = sorts[sort]().label("sort_key")
        ordered = key.desc() if descending else key.asc()
        if sort not in ("name", "stage", "opened"):
            # Only where the key can be NULL: on a NOT NULL key, PostgreSQL would not walk
            # an index for "DESC NULLS LAST" (the newest cases first walk the primary key).
            ordered = ordered.nulls_last()
        keys = joined(select(Case.id, key), for_sort=True).order_by(
            ordered, Case.id.desc() if filters.desc else Case.id
        )
    if len(where) == 1 and filters.stage not in STAGES:
        # No filter but "open": the lead's default list.
        count = _open_cases_count(db.session.get_bind().dialect.name)
    else:
        count = joined(select(func.count()).select_from(Case), for_sort=False)

    def tie(picked):
        return picked.c.id.desc() if filters.desc else picked.c.id

    def first(picked):
        ordered = picked.c.sort_key.desc() if descending else picked.c.sort_key.asc()
        return ordered.nulls_last()

    first_rows = None
    walks = {"last_contact": _by_last_contact, "next_due": _by_next_follow_up}
    if sort in walks and not narrow:
        walk = walks[sort](where, descending=descending, tie_desc=filters.desc)

        def first_rows(n: int) -> Select:
            """The first ``n`` cases with a value, by the walk, then (only if there are
            fewer) as many without one; sorted again, n rows at most."""
            walked = walk.valued.limit(n).cte("walked")
            # As many as the walk fell short of n: LIMIT 0, the usual case, reads no row.
            short = n - select(func.count()).select_from(walked).scalar_subquery()
            valueless = walk.valueless.limit(short).subquery("valueless")
            both = union_all(select(walked.c.id, walked.c.sort_key), select(valueless.c.id, valueless.c.sort_key))
            picked = both.subquery("both")
            return select(picked.c.id, picked.c.sort_key).order_by(first(picked), tie(picked))

    def eager(stmt: Select) -> Select:
        page_spouse = _PAGE_SPOUSE
        stmt = (
            stmt.join(Case.spouse.of_type(page_spouse))
            .outerjoin(Case.organisation)
            .options(
                # The spouse's own organisation is not shown: no join for it.
                contains_eager(Case.spouse.of_type(page_spouse)),
                contains_eager(Case.organisation),
            )
        )
        if with_adviser:
            page_adviser = _PAGE_ADVISER
            stmt = stmt.outerjoin(Case.adviser.of_type(page_adviser)).options(
                contains_eager(Case.adviser.of_type(page_adviser))
            )
        return stmt.options(*_derived())

    return CaseQuery(keys=keys, count=count, order=(first, tie), eager=eager, first_rows=first_rows)


def intake_queue() -> CaseQuery:
    """Submitted intakes nobody has taken, the longest waiting first (since the latest
    stage change, which for a case in intake is its arrival there): the arrivals in
    intake are walked in time order until a page of waiting cases is found."""
    where = (Case.adviser_id.is_(None), Case.stage == "intake")
    keys = _by_stage_change(list(where), stage="intake", descending=False, tie_desc=False)

    def eager(stmt: Select) -> Select:
        return (
            stmt.join(Case.spouse)
            .outerjoin(Case.organisation)
            .options(
                contains_eager(Case.spouse),
                contains_eager(Case.organisation),
                with_expression(Case.stage_since, stage_since_expr()),
            )
        )

    return CaseQuery(
        keys=keys,
        count=select(func.count()).select_from(Case).where(*where),
        order=(lambda picked: picked.c.sort_key.asc(), lambda picked: picked.c.id),
        eager=eager,
    )


def adviser_choices() -> list:
    """Every adviser as (id, name, active), deactivated ones last (the lead filters their
    cases for reassignment; the reassign form offers only the active ones). Plain rows,
    not User objects: hundreds of them are loaded for every page of the lead's list."""
    stmt = select(User.id, User.name, User.active).where(User.role == "adviser").order_by(User.active.desc(), User.name)
    return list(db.session.execute(stmt))
