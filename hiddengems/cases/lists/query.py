"""The lists of cases: my caseload, all cases (lead), the intake queue.

Each page of a list is ONE query plus the pager's count: the values beside the case's
own columns come from hiddengems/cases/lists/columns.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import astuple, dataclass, field
from datetime import date
from functools import cache, lru_cache

from sqlalchemy import Select, and_, case, func, or_, select, union_all
from sqlalchemy.orm import aliased, contains_eager, with_expression

from hiddengems.auth.models import User
from hiddengems.cases.lists import columns, triage
from hiddengems.cases.models import Case
from hiddengems.cases.services import inactive_advisers, load_case_statement
from hiddengems.dbsetup import kept_scalar
from hiddengems.extensions import db
from hiddengems.orgs.models import Organisation
from hiddengems.timeutil import helsinki_today
from hiddengems.ui.inputs import parse_id
from hiddengems.ui.paging import Page, counted
from hiddengems.vocab import OPEN_STAGES, STAGES, one_of

# The sorts of the case's own columns; the columns of lists/columns.py add theirs.
OWN_SORTS = ("name", "organisation", "stage", "adviser", "opened")

_SPOUSE = aliased(User, name="spouse")
_ADVISER = aliased(User, name="adviser")
_PAGE_SPOUSE = aliased(User, name="page_spouse")
_PAGE_ADVISER = aliased(User, name="page_adviser")


def is_sort(name: str) -> bool:
    return name in OWN_SORTS or columns.column(name) is not None


def sorts() -> tuple[str, ...]:
    """Every sort a list offers: the case's own columns', then the registered columns'."""
    return (*OWN_SORTS, *columns.sorts())


@dataclass
class CaseFilters:
    q: str = ""
    stage: str = ""  # "" = every open stage
    organisation_id: int | None = None
    overdue: bool = False
    adviser: str = ""  # lead only: "" any, "none" unassigned, or an adviser's id
    needs_reassignment: bool = False  # lead only
    quiet: bool = False  # no contact for columns.QUIET_DAYS
    sort: str = "next_due"
    desc: bool = False


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
    return select(func.count()).select_from(Case).where(one_of(Case.stage, OPEN_STAGES))


def _stage_order():
    return case({stage: i for i, stage in enumerate(STAGES)}, value=Case.stage)


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    email: str | None = None
    active: bool = True
    role: str | None = None


@dataclass(frozen=True, slots=True)
class Named:
    name: str


class CaseRow:
    """A case as a list's row shows it, by the names of a Case loaded with its spouse,
    organisation (and adviser) and the derived columns (lists/columns.py): read from one
    plain row, as making three ORM objects per row cost more than the rest of the row."""

    def __init__(self, values, derived: tuple[str, ...], *, with_adviser: bool) -> None:
        self.id, self.stage = values["id"], values["stage"]
        self.spouse = Person(values["spouse_name"], values["spouse_email"])
        self.organisation = Named(values["organisation_name"]) if values["organisation_id"] is not None else None
        self.adviser = None
        if with_adviser and values["adviser_id"] is not None:
            self.adviser = Person(values["adviser_name"], active=values["adviser_active"], role=values["adviser_role"])
        for attribute in derived:
            setattr(self, attribute, values[attribute])


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
    # The case lists' pages: what a row shows as plain columns (``plain(picked)``), made into
    # CaseRow objects; without it (the intake queue), the pages show Case objects (``eager``).
    plain: Callable | None = None
    with_adviser: bool = False
    # Whether the plain rows carry the list's total ("total"): then counted only past the end.
    counts_itself: bool = False
    # The statements made so far, by (limit, offset): a statement made once is keyed once
    # (SQLAlchemy keeps its cache key), and keying a new one cost as much as running it.
    _made: dict = field(default_factory=dict, repr=False, compare=False)

    def rows(self, *, limit: int | None = None, offset: int = 0) -> Select:
        """The page's Case objects."""
        return self._made_once(("rows", limit, offset), lambda: self._rows(limit, offset, plain=False))

    def plain_rows(self, *, limit: int | None = None, offset: int = 0) -> Select:
        """The same page as plain rows (for CaseRow)."""
        return self._made_once(("plain", limit, offset), lambda: self._rows(limit, offset, plain=True))

    def _made_once(self, key: tuple, make: Callable[[], Select]) -> Select:
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = make()
        return made

    def _rows(self, limit: int | None, offset: int, *, plain: bool) -> Select:
        keys = self.keys if limit is None or self.first_rows is None else self.first_rows(limit + offset)
        picked = keys.limit(limit).offset(offset).subquery("picked")
        stmt = self.plain(picked) if plain else self.eager(select(Case).join(picked, picked.c.id == Case.id))
        return stmt.order_by(*(column(picked) for column in self.order))


def paginate(query: CaseQuery, *, page: int, per_page: int) -> Page:
    derived = tuple(label.name for label in columns.labelled())

    def plain(limit: int, offset: int) -> list:
        return list(db.session.execute(query.plain_rows(limit=limit, offset=offset)).mappings())

    def fetch(limit: int, offset: int) -> list:
        if query.plain is None:
            return list(db.session.scalars(query.rows(limit=limit, offset=offset)))
        return [CaseRow(values, derived, with_adviser=query.with_adviser) for values in plain(limit, offset)]

    if query.counts_itself:
        page = max(page, 1)
        found = plain(per_page, (page - 1) * per_page)
        if found:
            items = [CaseRow(values, derived, with_adviser=query.with_adviser) for values in found]
            return Page(items=items, page=page, per_page=per_page, total=found[0]["total"])
        if page == 1:
            return Page(items=[], page=1, per_page=per_page, total=0)
        # A page past the end: counted, and the last page shown, as below.
    return counted(fetch, db.session.scalar(query.count), page=page, per_page=per_page)


def case_list(filters: CaseFilters, *, adviser_id: int | None = None, with_adviser: bool = False) -> CaseQuery:
    """Cases with their spouse, organisation (and adviser) and the derived columns.

    ``adviser_id`` restricts to one adviser's caseload; ``with_adviser`` joins the
    adviser for the lead's list. The statements are made once per filters, adviser and
    day (and kept for the most recent ones): an adviser's caseload asks the same again
    and again, and making and keying them cost more than running them."""
    dialect = db.session.get_bind().dialect.name
    return _case_list(astuple(filters), adviser_id, with_adviser, helsinki_today(), dialect, columns.sorts())


@lru_cache(maxsize=512)
def _case_list(
    filter_values: tuple, adviser_id: int | None, with_adviser: bool, today: date, dialect: str, _sorts: tuple
) -> CaseQuery:
    return _make_case_list(CaseFilters(*filter_values), adviser_id, with_adviser, today, dialect)


def _make_case_list(
    filters: CaseFilters, adviser_id: int | None, with_adviser: bool, today: date, dialect: str
) -> CaseQuery:
    spouse, adviser = _SPOUSE, _ADVISER
    overdue = columns.filter_clause("overdue")

    where = [Case.stage == filters.stage if filters.stage in STAGES else Case.stage != "closed"]
    if adviser_id is not None:
        where.append(Case.adviser_id == adviser_id)
    if filters.organisation_id:
        where.append(Case.organisation_id == filters.organisation_id)
    if filters.overdue and overdue is not None:
        where.append(overdue(today))
    if filters.quiet:
        where.append(columns.quiet_clause())
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
        "adviser": lambda: adviser.name if with_adviser else Case.adviser_id,
        "opened": lambda: Case.id,
    }
    derived = columns.column(filters.sort)
    sort = filters.sort if filters.sort in sorts or derived else "opened"
    if derived:
        # Most days in stage = the oldest stage change (see ``descending``).
        sorts[sort] = derived.expression
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
        keys = columns.by_stage_change(where, stage=stage, descending=descending, tie_desc=filters.desc)
    else:
        key = sorts[sort]().label("sort_key")
        ordered = key.desc() if descending else key.asc()
        if sort not in ("name", "stage", "opened"):
            # Only where the key can be NULL: on a NOT NULL key, PostgreSQL would not walk
            # an index for "DESC NULLS LAST" (the newest cases first walk the primary key).
            ordered = ordered.nulls_last()
        # A narrow list (a few hundred cases at most) sorts every case it keeps anyway:
        # each row also says how many there are, instead of a second query counting them.
        total = [func.count().over().label("total")] if narrow else []
        keys = joined(select(Case.id, key, *total), for_sort=True).order_by(
            ordered, Case.id.desc() if filters.desc else Case.id
        )
    if len(where) == 1 and filters.stage not in STAGES:
        # No filter but "open": the lead's default list.
        count = _open_cases_count(dialect)
    else:
        count = joined(select(func.count()).select_from(Case), for_sort=False)

    def tie(picked):
        return picked.c.id.desc() if filters.desc else picked.c.id

    def first(picked):
        ordered = picked.c.sort_key.desc() if descending else picked.c.sort_key.asc()
        return ordered.nulls_last()

    first_rows = None
    if derived and derived.walk and not narrow:
        walk = derived.walk(where, descending=descending, tie_desc=filters.desc)

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
                # The spouse's own organisation is not shown: no join for it. Of the
                # spouse's account, only what a row shows (the other columns cost more to
                # load than the row to write); anything else read from it raises.
                contains_eager(Case.spouse.of_type(page_spouse)).load_only(
                    page_spouse.name, page_spouse.email, raiseload=True
                ),
                contains_eager(Case.organisation),
            )
        )
        if with_adviser:
            page_adviser = _PAGE_ADVISER
            stmt = stmt.outerjoin(Case.adviser.of_type(page_adviser)).options(
                contains_eager(Case.adviser.of_type(page_adviser))
            )
        return stmt.options(*columns.with_columns())

    def plain(picked) -> Select:
        page_spouse, page_adviser = _PAGE_SPOUSE, _PAGE_ADVISER
        shown = [
            Case.id.label("id"),
            Case.stage.label("stage"),
            page_spouse.name.label("spouse_name"),
            page_spouse.email.label("spouse_email"),
            Organisation.id.label("organisation_id"),
            Organisation.name.label("organisation_name"),
        ]
        if with_adviser:
            shown += [
                page_adviser.id.label("adviser_id"),
                page_adviser.name.label("adviser_name"),
                page_adviser.active.label("adviser_active"),
                page_adviser.role.label("adviser_role"),
            ]
        stmt = (
            select(*shown, *columns.labelled())
            .select_from(Case)
            .join(picked, picked.c.id == Case.id)
            .join(page_spouse, page_spouse.id == Case.spouse_id)
            .outerjoin(Organisation, Organisation.id == Case.organisation_id)
        )
        if with_adviser:
            stmt = stmt.outerjoin(page_adviser, page_adviser.id == Case.adviser_id)
        return stmt.add_columns(picked.c.total) if narrow else stmt

    return CaseQuery(
        keys=keys,
        count=count,
        order=(first, tie),
        eager=eager,
        first_rows=first_rows,
        plain=plain,
        with_adviser=with_adviser,
        counts_itself=bool(narrow),
    )


def intake_queue(*, organisation_id: int | None = None, conditions: tuple = ()) -> CaseQuery:
    """Submitted intakes nobody has taken, the longest waiting first (since the latest
    stage change, which for a case in intake is its arrival there): the arrivals in
    intake are walked in time order until a page of waiting cases is found. Narrowed to
    an organisation, and by the conditions of the queue's filters (triage.py)."""
    where = (*triage.waiting_in_queue(), *conditions)
    if organisation_id is not None:
        where += (Case.organisation_id == organisation_id,)
    keys = columns.by_stage_change(list(where), stage="intake", descending=False, tie_desc=False)

    def eager(stmt: Select) -> Select:
        return (
            stmt.join(Case.spouse)
            .outerjoin(Case.organisation)
            .options(
                contains_eager(Case.spouse),
                contains_eager(Case.organisation),
                with_expression(Case.stage_since, columns.stage_since_expr()),
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


def load_case_file(case_id: int) -> Case | None:
    """A case with what the case file's header shows: its people, and the values the lists
    show per case (days in stage, last contact, next follow-up …) in the same one query."""
    return kept_scalar(db.session, _case_file_statement(columns.with_columns()), {"case_id": case_id})


@lru_cache(maxsize=4)
def _case_file_statement(with_columns: tuple) -> Select:
    """Built once per set of registered columns (columns.with_columns is made anew when a
    domain registers one): building it, and its cache key, cost more than running it."""
    return load_case_statement().options(*with_columns).execution_options(populate_existing=True)
