"""Host organisations: created and changed by the admin. Flush, never commit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError

from hiddengems.audit.services import record
from hiddengems.extensions import db
from hiddengems.orgs.models import Organisation

if TYPE_CHECKING:
    from hiddengems.auth.models import User


class OrganisationNameTaken(Exception):
    """Another organisation got this name after the form checked it."""


def save_organisation(actor: User, organisation: Organisation | None, *, name: str, active: bool) -> Organisation:
    try:
        # The form checked the name, but another save may have taken it since: the unique
        # name refuses this one, and the savepoint keeps the transaction usable.
        with db.session.begin_nested():
            if organisation is None:
                organisation = Organisation(name=name.strip(), active=active)
                db.session.add(organisation)
                action = "admin.organisation_created"
            else:
                organisation.name, organisation.active = name.strip(), active
                action = "admin.organisation_updated"
    except IntegrityError as error:
        raise OrganisationNameTaken() from error
    record(action, actor=actor, object_type="organisation", object_id=organisation.id)
    return organisation
