"""The names a figures page shows beside its figures: organisations, never a person.

(The figures themselves are counted in hiddengems/reports/figures.py, for every
organisation at once, and read from the day's snapshot.)"""

from __future__ import annotations

from sqlalchemy import select

from hiddengems.extensions import db
from hiddengems.orgs.models import Organisation


class NoOrganisation(Exception):
    """A report was asked for without the organisation it is about."""


def organisations() -> list[tuple[int, str]]:
    """Every organisation (id, name) by name: what an admin or a lead chooses from."""
    return [
        (i, name)
        for i, name in db.session.execute(select(Organisation.id, Organisation.name).order_by(Organisation.name))
    ]


def organisation_name(organisation_id: int) -> str:
    if not isinstance(organisation_id, int) or isinstance(organisation_id, bool):
        raise NoOrganisation
    return db.session.scalar(select(Organisation.name).where(Organisation.id == organisation_id)) or ""
