"""The lists of cases: my caseload, all cases (lead), the intake queue.

Each page of a list is ONE query plus the pager's count: the derived columns
(since when in this stage, last contact, next follow-up due) are correlated
subqueries on indexed columns, attached to the Case rows with ``with_expression``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import aliased, contains_eager, with_expression

from hiddengems.auth.models import User
from hiddengems.cases.models import CONTACT_KINDS, STAGES, Activity, Case, StageChange
from hiddengems.extensions import db
from hiddengems.orgs.models import Organisation
from hiddengems.reminders.models import FollowUp
from hiddengems.timeutil import HELSINKI, utcnow

SORTS = ("name", "organisation", "stage", "days", "last_contact", "next_due", "adviser", "opened")


def helsinki_today() -> date:
    return utcnow().astimezone(HELSINKI).date()


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


def last_contact_expr(now=None):
    # Planned meetings lie ahead: the last contact is the latest one that has happened.
    now = now or utcnow()
    return (
        select(func.max(Activity.occurred_at))
        .where(Activity.case_id == Case.id, Activity.kind.in_(CONTACT_KINDS), Activity.occurred_at <= now)
        .correlate(Case)
        .scalar_subquery()
    )


def next_follow_up_expr():
    return (
        select(func.min(FollowUp.due_on))
        .where(FollowUp.case_id == Case.id, FollowUp.done_at.is_(None))
        .correlate(Case)
        .scalar_subquery()
    )


def overdue_clause(today: date):
    return exists().where(FollowUp.case_id == Case.id, FollowUp.done_at.is_(None), FollowUp.due_on < today)


def _stage_order():
    return case({stage: i for i, stage in enumerate(STAGES)}, value=Case.stage)


def case_list(filters: CaseFilters, *, adviser_id: int | None = None, with_adviser: bool = False) -> Select:
    """Cases with their spouse, organisation (and adviser) and the derived columns.

    ``adviser_id`` restricts to one adviser's caseload; ``with_adviser`` joins the
    adviser for the lead's list."""
    now = utcnow()
    today = now.astimezone(HELSINKI).date()
    since, last_contact, next_due = stage_since_expr(), last_contact_expr(now), next_follow_up_expr()
    spouse = aliased(User, name="spouse")
    stmt = (
        select(Case)
        .join(Case.spouse.of_type(spouse))
        .outerjoin(Case.organisation)
        .options(
            # The spouse's own organisation is not shown: no join for it.
            contains_eager(Case.spouse.of_type(spouse)).lazyload(spouse.organisation),
            contains_eager(Case.organisation),
            with_expression(Case.stage_since, since),
            with_expression(Case.last_contact_at, last_contact),
            with_expression(Case.next_follow_up_on, next_due),
        )
    )
    adviser = None
    if with_adviser:
        adviser = aliased(User, name="adviser")
        stmt = stmt.outerjoin(Case.adviser.of_type(adviser)).options(contains_eager(Case.adviser.of_type(adviser)))
    if adviser_id is not None:
        stmt = stmt.where(Case.adviser_id == adviser_id)

    stmt = stmt.where(Case.stage == filters.stage if filters.stage in STAGES else Case.stage != "closed")
    if filters.organisation_id:
        stmt = stmt.where(Case.organisation_id == filters.organisation_id)
    if filters.overdue:
        stmt = stmt.where(overdue_clause(today))
    if filters.q:
        q = filters.q.strip()
        stmt = stmt.where(or_(spouse.name.icontains(q, autoescape=True), spouse.email.icontains(q, autoescape=True)))
    if adviser is not None:
        if filters.adviser == "none":
            stmt = stmt.where(Case.adviser_id.is_(None))
        elif filters.adviser.isdigit():
            stmt = stmt.where(Case.adviser_id == int(filters.adviser))
        if filters.needs_reassignment:
            stmt = stmt.where(and_(adviser.active.is_(False), Case.stage != "closed"))

    keys = {
        "name": spouse.name,
        "organisation": Organisation.name,
        "stage": _stage_order(),
        # Most days in stage = the oldest stage change.
        "days": since,
        "last_contact": last_contact,
        "next_due": next_due,
        "adviser": adviser.name if adviser is not None else Case.adviser_id,
        "opened": Case.id,
    }
    sort = filters.sort if filters.sort in keys else "next_due"
    key = keys[sort]
    descending = filters.desc != (sort == "days")
    ordered = key.desc() if descending else key.asc()
    return stmt.order_by(ordered.nulls_last(), Case.id.desc() if filters.desc else Case.id)


def intake_queue() -> Select:
    """Submitted intakes nobody has taken, the longest waiting first."""
    since = stage_since_expr()
    return (
        select(Case)
        .join(Case.spouse)
        .outerjoin(Case.organisation)
        .where(Case.adviser_id.is_(None), Case.stage == "intake")
        .options(
            contains_eager(Case.spouse).lazyload(User.organisation),
            contains_eager(Case.organisation),
            with_expression(Case.stage_since, since),
        )
        .order_by(since.asc().nulls_last(), Case.id)
    )


def adviser_choices() -> list[User]:
    """Every adviser, deactivated ones too (their cases are filtered for reassignment)."""
    return list(db.session.scalars(select(User).where(User.role == "adviser").order_by(User.active.desc(), User.name)))
