from __future__ import annotations

from sqlalchemy import or_, select

from hiddengems.extensions import db
from hiddengems.orgs.models import Organisation


def organisation_choices(*, include_inactive: bool = False, keep_id: int | None = None) -> list[tuple[int, str]]:
    """Organisations to choose from: the active ones, plus ``keep_id`` (the one a person
    already belongs to) even when it has since been deactivated."""
    stmt = select(Organisation.id, Organisation.name).order_by(Organisation.name)
    if not include_inactive:
        stmt = stmt.where(or_(Organisation.active.is_(True), Organisation.id == keep_id))
    return [(row.id, row.name) for row in db.session.execute(stmt)]
