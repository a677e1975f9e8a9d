"""Deny by default: every view declares who may use it; one hook enforces it.

Roles: ``spouse``, ``adviser`` (leads included), ``lead``, ``hr``, ``admin``,
plus ``PUBLIC`` for pages anyone may open and ``ANONYMOUS`` for pages that only
make sense logged out (a logged-in user is sent home).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, abort, current_app, redirect, request, url_for
from flask_login import current_user

from hiddengems.audit.services import record_now
from hiddengems.extensions import db

PUBLIC = "public"
ANONYMOUS = "anonymous"
KNOWN = {PUBLIC, ANONYMOUS, "spouse", "adviser", "lead", "hr", "admin"}

F = TypeVar("F", bound=Callable)


def roles(*allowed: str) -> Callable[[F], F]:
    """Declare the roles that may use a view. Enforced in ``enforce_access``."""
    unknown = set(allowed) - KNOWN
    if unknown or not allowed:
        raise ValueError(f"unknown roles {unknown}")

    def decorate(view: F) -> F:
        view.allowed_roles = frozenset(allowed)  # type: ignore[attr-defined]
        return view

    return decorate


def user_has_any(user, allowed: frozenset[str]) -> bool:
    return any(user.has_role(role) for role in allowed)


def home_endpoint(user) -> str:
    return {
        "spouse": "main.spouse_home",
        "adviser": "main.adviser_home",
        "hr": "reports.hr_home",
        "admin": "admin.home",
    }[user.role]


def enforce_access():
    """before_request: answer 302 to login, 403, or let the view run."""
    if request.endpoint is None:
        return None  # 404/405 are answered by Flask
    allowed = allowed_roles(current_app, request.endpoint)
    if allowed is None:
        # A view nobody declared roles for is closed to everyone.
        current_app.logger.error("endpoint %s has no declared roles", request.endpoint)
        abort(403)
    if PUBLIC in allowed:
        return None
    if ANONYMOUS in allowed:
        if current_user.is_authenticated:
            return redirect(url_for(home_endpoint(current_user)))
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if not user_has_any(current_user, allowed):
        deny(detail={"endpoint": request.endpoint})
    return None


def deny(*, object_type: str | None = None, object_id: int | None = None, detail: dict | None = None):
    """Answer 403 and keep the refusal in the audit log (its own transaction: the
    request's own work, if any, is not committed with it)."""
    # Rolled back first: a POST's transaction holds SQLite's write lock, which the audit
    # row's own connection must take. The id is read before, while the user is loaded.
    actor_id = current_user.id if current_user.is_authenticated else None
    db.session.rollback()
    record_now("access.denied", actor_id=actor_id, object_type=object_type, object_id=object_id, detail=detail)
    abort(403)


def require(allowed: bool, *, object_type: str, object_id: int) -> None:
    """Object-level check in a view: the object answered can_view/can_edit."""
    if not allowed:
        deny(object_type=object_type, object_id=object_id)


T = TypeVar("T")


def get_for(model: type[T], object_id: int, *, need: str = "view", load: Callable[[int], T | None] | None = None) -> T:
    """The one way a view fetches an object and checks it: 404 when there is none, 403
    (audited) when the current user may not ``need`` ("view" or "edit") it, as the object
    itself answers (``can_view``/``can_edit``). ``load`` fetches it with what the page
    shows, where plain ``session.get`` would not do."""
    if need not in ("view", "edit"):
        raise ValueError(f"unknown need {need!r}")
    found = load(object_id) if load is not None else db.session.get(model, object_id)
    if found is None:
        abort(404)
    allowed = found.can_edit(current_user) if need == "edit" else found.can_view(current_user)
    if not allowed:
        deny(object_type=getattr(model, "audit_type", model.__tablename__), object_id=object_id)
    return found


def mark_public(app: Flask, *endpoints: str) -> None:
    """Static files from Flask and Bootstrap-Flask are public by nature (their views
    are bound methods, which cannot carry the attribute)."""
    app.extensions["public_endpoints"] = frozenset(endpoints)


def allowed_roles(app: Flask, endpoint: str) -> frozenset[str] | None:
    if endpoint in app.extensions.get("public_endpoints", ()):
        return frozenset({PUBLIC})
    return getattr(app.view_functions[endpoint], "allowed_roles", None)


def undeclared_endpoints(app: Flask) -> list[str]:
    return sorted(e for e in app.view_functions if allowed_roles(app, e) is None)
