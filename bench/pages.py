"""The pages the benchmark visits: one row per page, grouped by role.

To benchmark a new page, append one ``Page`` row. ``url`` is either a path or
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


PAGES: list[Page] = [
    Page("spouse", "home", "/home"),
    Page("adviser", "desk", "/desk"),
    Page("lead", "desk", "/desk"),
    Page("hr", "home", "/hr"),
    Page("admin", "home", "/admin/"),
    Page("admin", "users", "/admin/users"),
    Page("admin", "organisations", "/admin/organisations"),
    Page("admin", "outbox", "/admin/outbox/"),
    Page("admin", "audit log", "/admin/audit"),
    Page("spouse", "intake step", "/intake/step/languages"),
    Page("spouse", "my profile", "/intake/profile"),
    Page("adviser", "intake profile edit", lambda s: f"/intake/case/{first_case_of(s, 'adviser')}/languages"),
    Page("adviser", "my caseload", "/cases/"),
    Page("adviser", "caseload by last contact", "/cases/?sort=last_contact&desc=1"),
    Page("adviser", "intake queue", "/cases/queue"),
    Page("adviser", "case file (longest timeline)", lambda s: f"/cases/{busiest_case_of(s, 'adviser')}"),
    Page("lead", "all cases", "/cases/all"),
    Page("lead", "all cases by days in stage", "/cases/all?sort=days&desc=1"),
    # Walked in value order until a page is full (hiddengems/cases/caseload.py).
    Page("lead", "all cases by last contact", "/cases/all?sort=last_contact&desc=1"),
    Page("lead", "all cases by next follow-up", "/cases/all?sort=next_due"),
    Page("adviser", "close a case", lambda s: f"/cases/{first_open_case_of(s, 'adviser')}/close"),
    Page("admin", "edit a user", lambda s: f"/admin/users/{demo_user_id(s, 'adviser')}"),
]


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
