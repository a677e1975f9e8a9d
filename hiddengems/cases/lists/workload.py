"""The lead's view of the team: per adviser, what the case lists would count; and the
cases a filtered list matches, for reassigning them all at once.

Two aggregate queries whatever the size of the team or of the caseloads: one row per
adviser (the active ones, and anyone else still holding open cases), and one for the
open cases nobody holds. Each figure is what the lead's list shows with a filter
(adviser, stage, "only with overdue follow-ups", "only without contact for 30 days").
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, false, func, or_, select

from hiddengems.auth.models import User
from hiddengems.cases.lists import columns
from hiddengems.cases.models import Case
from hiddengems.extensions import db


@dataclass(frozen=True, slots=True)
class Load:
    """One row of the workload table: an adviser (None: the unassigned cases)."""

    adviser_id: int | None
    name: str
    open: int
    intake: int
    overdue: int
    quiet: int
    # Deactivated, or no longer an adviser: their cases need reassignment.
    unavailable: bool = False


def _figures(today: date) -> list:
    overdue = columns.filter_clause("overdue")
    return [
        func.count(Case.id).label("open"),
        func.count(Case.id).filter(Case.stage == "intake").label("intake"),
        func.count(Case.id).filter(overdue(today) if overdue is not None else false()).label("overdue"),
        func.count(Case.id).filter(columns.quiet_clause()).label("quiet"),
    ]


def team_workload(today: date) -> tuple[list[Load], Load]:
    """(a row per adviser by name, the unassigned cases): every open case counts once."""
    open_case = and_(Case.adviser_id == User.id, Case.stage != "closed")
    per_adviser = (
        select(User.id, User.name, User.active, User.role, *_figures(today))
        .select_from(User)
        .outerjoin(Case, open_case)
        .where(or_(and_(User.role == "adviser", User.active.is_(True)), Case.id.is_not(None)))
        .group_by(User.id, User.name, User.active, User.role)
        .order_by(User.name, User.id)
    )
    rows = [
        Load(
            r.id,
            r.name,
            r.open,
            r.intake,
            r.overdue,
            r.quiet,
            unavailable=not r.active or r.role != "adviser",
        )
        for r in db.session.execute(per_adviser)
    ]
    unassigned = select(*_figures(today)).where(Case.adviser_id.is_(None), Case.stage != "closed")
    r = db.session.execute(unassigned).one()
    return rows, Load(None, "", r.open, r.intake, r.overdue, r.quiet)


def totals(rows: list[Load], unassigned: Load) -> Load:
    every = [*rows, unassigned]
    return Load(
        None,
        "",
        sum(r.open for r in every),
        sum(r.intake for r in every),
        sum(r.overdue for r in every),
        sum(r.quiet for r in every),
    )


def matching_ids(keys: Select, *, limit: int) -> list[int]:
    """The open cases a list's ``keys`` pick, by id: at most ``limit`` and one more, which
    says there are more. Closed cases stay with whoever closed them."""
    picked = keys.subquery("matching")
    stmt = (
        select(Case.id)
        .join(picked, picked.c.id == Case.id)
        .where(Case.stage != "closed")
        .order_by(Case.id)
        .limit(limit + 1)
    )
    return list(db.session.scalars(stmt))


def digest(ids: list[int]) -> str:
    """What the confirmation carries of the cases it counted: if they are not the same
    cases any more, the lead is asked again."""
    return hashlib.sha256(",".join(map(str, sorted(ids))).encode()).hexdigest()[:32]
