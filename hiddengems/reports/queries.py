"""The figures HR sees: aggregates only, never a row about one person.

Every query here takes the organisation it reports on and refuses to run without
one, so that a missing organisation can never widen a report to everyone.
"""

from __future__ import annotations

from sqlalchemy import func, select, union_all

from hiddengems.auth.models import User
from hiddengems.cases.models import Case
from hiddengems.extensions import db
from hiddengems.orgs.models import Organisation
from hiddengems.vocab import STAGES


class NoOrganisation(Exception):
    """A report was asked for without the organisation it is about."""


def participants_by_stage(organisation_id: int) -> dict[str, int]:
    """Participants of one organisation by their case's current stage.

    Only participants who confirmed their e-mail address count: anyone can register
    with an invented address, and unverified sign-ups would let them raise another
    organisation's figures, or pad a small count to read the rest by subtraction."""
    if not isinstance(organisation_id, int) or isinstance(organisation_id, bool):
        raise NoOrganisation
    everyone = (
        select(Case.stage.label("stage"), func.count().label("n"))
        .where(Case.organisation_id == organisation_id)
        .group_by(Case.stage)
    )
    # Counted from the (few) unconfirmed accounts, not by visiting every confirmed one;
    # "+ 0" keeps SQLite from walking the organisation's cases for them.
    unverified_ids = select(User.id).where(User.email_verified_at.is_(None))
    unverified = (
        select(Case.stage.label("stage"), (-func.count()).label("n"))
        .where(Case.spouse_id.in_(unverified_ids), Case.organisation_id + 0 == organisation_id)
        .group_by(Case.stage)
    )
    both = union_all(everyone, unverified).subquery()
    stmt = select(both.c.stage, func.sum(both.c.n)).group_by(both.c.stage)
    counts = dict.fromkeys(STAGES, 0)
    counts.update({stage: int(n) for stage, n in db.session.execute(stmt)})
    return counts


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
