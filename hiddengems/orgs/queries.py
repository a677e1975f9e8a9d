"""Reads of host organisations: the choices offered in forms, and the admin's list."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Integer, Select, bindparam, column, func, or_, select, table

from hiddengems.extensions import db
from hiddengems.orgs.models import Organisation


def organisation_choices(*, include_inactive: bool = False, keep_id: int | None = None) -> list[tuple[int, str]]:
    """Organisations to choose from: the active ones, plus ``keep_id`` (the one a person
    already belongs to) even when it has since been deactivated."""
    if include_inactive:
        rows = db.session.execute(_choices_statement(every=True))
    else:
        rows = db.session.execute(_choices_statement(every=False), {"keep_id": keep_id})
    return [(row.id, row.name) for row in rows]


@cache
def _choices_statement(*, every: bool) -> Select:
    """Built once: every page of the case lists offers the organisations."""
    stmt = select(Organisation.id, Organisation.name).order_by(Organisation.name)
    if every:
        return stmt
    return stmt.where(or_(Organisation.active.is_(True), Organisation.id == bindparam("keep_id", type_=Integer)))


def name_taken(name: str, exclude_id: int | None = None) -> bool:
    """Whether another organisation has this name, whatever the case of its letters."""
    stmt = select(Organisation.id).where(func.lower(Organisation.name) == name.strip().lower())
    if exclude_id:
        stmt = stmt.where(Organisation.id != exclude_id)
    return db.session.scalar(stmt) is not None


# The accounts' table, as far as counting members needs it: the accounts are the auth
# domain's, which itself reads organisations (the registration form's choices), so this
# domain does not import its model.
_ACCOUNTS = table("user_account", column("organisation_id"), column("role"))


def organisation_rows():
    """Organisations with their participant and HR counts, in one query."""

    def members(role: str):
        # Counted per organisation and role within ix_user_account_org_role, which the
        # database reads alone; a join and GROUP BY went through every user's row.
        return (
            select(func.count())
            .select_from(_ACCOUNTS)
            .where(_ACCOUNTS.c.organisation_id == Organisation.id, _ACCOUNTS.c.role == role)
            .correlate(Organisation)
            .scalar_subquery()
        )

    stmt = select(Organisation, members("spouse").label("spouses"), members("hr").label("hr")).order_by(
        Organisation.name
    )
    return db.session.execute(stmt).all()
