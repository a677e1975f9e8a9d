"""The registrations whose intake is not sent yet, unassigned: the desk's "Registered,
intake not yet submitted". Until it is sent the intake is the spouse's own draft, and an
adviser may not open the case (Case.can_view): the list shows only what is safe — the
organisation, the day of registration, how long it has waited — never a name or an answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from hiddengems.cases.models import Case
from hiddengems.extensions import db
from hiddengems.orgs.models import Organisation
from hiddengems.ui.paging import Page, counted


@dataclass(frozen=True)
class Waiting:
    registered_at: datetime
    organisation: str | None


def _waiting():
    return (Case.adviser_id.is_(None), Case.stage == "registered")


def registered_waiting(*, page: int, per_page: int) -> Page:
    """The longest waiting first; a page and the total, in two queries."""
    total = db.session.scalar(select(func.count()).select_from(Case).where(*_waiting()))
    stmt = (
        select(Case.created_at, Organisation.name)
        .outerjoin(Organisation, Organisation.id == Case.organisation_id)
        .where(*_waiting())
        .order_by(Case.created_at, Case.id)
    )

    def fetch(limit: int, offset: int) -> list[Waiting]:
        return [Waiting(at, name) for at, name in db.session.execute(stmt.limit(limit).offset(offset))]

    return counted(fetch, total, page=page, per_page=per_page)
