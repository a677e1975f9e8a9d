"""The lead's view of the team: per adviser, what the case lists would count; and the
cases a filtered list matches, for reassigning them all at once.

Two queries whatever the size of the team or of the caseloads: the open cases counted
per adviser (and for nobody: the unassigned), then the advisers (the active ones, and
anyone else still holding open cases). Each figure is what the lead's list shows with a filter
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
    """(a row per adviser by name, the unassigned cases): every open case counts once.

    The open cases are counted per adviser first (through ix_case_file_adviser_stage),
    then the advisers are read: the active ones, and whoever else still holds cases."""
    per_adviser = select(Case.adviser_id, *_figures(today)).where(Case.stage != "closed").group_by(Case.adviser_id)
    figures = {row.adviser_id: row for row in db.session.execute(per_adviser)}
    holders = sorted(k for k in figures if k is not None)
    people = (
        select(User.id, User.name, User.active, User.role)
        .where(or_(and_(User.role == "adviser", User.active.is_(True)), User.id.in_(holders)))
        .order_by(User.name, User.id)
    )
    rows = []
    for person in db.session.execute(people):
        f = figures.get(person.id)
        counts = (f.open, f.intake, f.overdue, f.quiet) if f is not None else (0, 0, 0, 0)
        rows.append(Load(person.id, person.name, *counts, unavailable=not person.active or person.role != "adviser"))
    u = figures.get(None)
    unassigned = Load(None, "", *((u.open, u.intake, u.overdue, u.quiet) if u is not None else (0, 0, 0, 0)))
    return rows, unassigned


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
