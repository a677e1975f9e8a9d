"""The pages the benchmark visits, one ``Page`` row each, in a module per domain
(bench/pages/<domain>.py, with a ``PAGES`` list), gathered in the order of
hiddengems/domains.py.

To benchmark a new page, add one ``Page`` row to its domain's module. ``url`` is either a path or
a function that receives the database session (inside the app context, on the
benchmark database) and returns a path, for pages that need an id::

    Page("adviser", "case file", lambda s: f"/cases/{busiest_case_id(s)}"),

Roles are the demo logins of ``hiddengems.demo.generator``: spouse, adviser,
lead, hr, admin. Every page is compared with ``FLOOR_URL`` fetched by the same
role: the cheapest authenticated page, so the ratio shows what a page costs
beyond logging in, loading the user and rendering the layout.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hiddengems.auth.models import User
from hiddengems.cases.models import Activity, Case
from hiddengems.demo.generator import DEMO_DOMAIN

UrlBuilder = Callable[[Session], str]

# The change-password form: authenticated, no domain queries.
FLOOR_URL = "/account/password"
ROLES = ("spouse", "adviser", "lead", "hr", "admin")


@dataclass(frozen=True)
class Page:
    role: str
    name: str
    url: str | UrlBuilder

    def resolve(self, session: Session) -> str:
        return self.url if isinstance(self.url, str) else self.url(session)


def demo_user_id(session: Session, role: str) -> int:
    """The id of a demo login (``role`` is the e-mail's local part: adviser, lead, ...)."""
    return session.scalar(select(User.id).where(User.email == f"{role}@{DEMO_DOMAIN}"))


def first_case_of(session: Session, role: str) -> int:
    return session.scalar(select(Case.id).where(Case.adviser_id == demo_user_id(session, role)).order_by(Case.id))


def first_open_case_of(session: Session, role: str) -> int:
    stmt = select(Case.id).where(Case.adviser_id == demo_user_id(session, role), Case.stage != "closed")
    return session.scalar(stmt.order_by(Case.id))


def busiest_case_of(session: Session, role: str) -> int:
    stmt = (
        select(Activity.case_id)
        .join(Case, Case.id == Activity.case_id)
        .where(Case.adviser_id == demo_user_id(session, role))
        .group_by(Activity.case_id)
        .order_by(func.count().desc())
        .limit(1)
    )
    return session.scalar(stmt)


def _gather() -> list[Page]:
    """Every domain's pages, in domain order (a domain without a module has none)."""
    import importlib

    from hiddengems.domains import DOMAINS

    pages: list[Page] = []
    for domain in DOMAINS:
        try:
            module = importlib.import_module(f"bench.pages.{domain}")
        except ModuleNotFoundError as error:
            if error.name != f"bench.pages.{domain}":
                raise
            continue
        pages.extend(module.PAGES)
    return pages


PAGES: list[Page] = _gather()
