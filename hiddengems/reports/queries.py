"""The figures HR sees: aggregates only, never a row about one person.

Every query here takes the organisation it reports on and refuses to run without
one, so that a missing organisation can never widen a report to everyone.
"""

from __future__ import annotations

from sqlalchemy import func, select

from hiddengems.auth.models import User
from hiddengems.cases.models import Case
from hiddengems.extensions import db
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
    stmt = (
        select(Case.stage, func.count())
        .join(User, User.id == Case.spouse_id)
        .where(Case.organisation_id == organisation_id, User.email_verified_at.is_not(None))
        .group_by(Case.stage)
    )
    counts = dict.fromkeys(STAGES, 0)
    counts.update(dict(db.session.execute(stmt).all()))
    return counts
