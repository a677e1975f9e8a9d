from __future__ import annotations

from sqlalchemy import select

from hiddengems.extensions import db
from hiddengems.orgs.models import Organisation


def organisation_choices(*, include_inactive: bool = False) -> list[tuple[int, str]]:
    stmt = select(Organisation.id, Organisation.name).order_by(Organisation.name)
    if not include_inactive:
        stmt = stmt.where(Organisation.active.is_(True))
    return [(row.id, row.name) for row in db.session.execute(stmt)]
