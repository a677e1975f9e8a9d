"""What every request shares: blueprints, the access hook, headers, errors, locale."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import cache

from flask import Flask, has_request_context, render_template, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_babel import get_locale
from flask_login import current_user
from itsdangerous import BadSignature
from sqlalchemy import Select, String, bindparam, select
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import HTTPException

from hiddengems import domains, vocab
from hiddengems.access import enforce_access, mark_public, undeclared_endpoints
from hiddengems.auth.models import User
from hiddengems.dbsetup import configure_engine, end_reading, kept_scalar, track_writes
from hiddengems.extensions import db, login_manager
from hiddengems.ui import formatting, summary, templating
from hiddengems.ui.inputs import CleanRequest, IdConverter
from hiddengems.ui.words import lazy_gettext as _l

log = logging.getLogger("hiddengems")
STATIC_ENDPOINTS = ("static", "bootstrap.static")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def select_locale() -> str:
    # English is shown with British conventions (24-hour clock, day before month), as
    # people in Finland expect; "en_GB" falls back to the untranslated English strings.
    languages = ["en", "fi"]
    if not has_request_context():
        return "en_GB"  # command line and jobs
    if current_user and current_user.is_authenticated and current_user.preferred_language in languages:
        language = current_user.preferred_language
    else:
        language = request.accept_languages.best_match(languages) or "en"
    return "en_GB" if language == "en" else language


def select_timezone() -> str:
    return "Europe/Helsinki"


class SessionCookie(SecureCookieSessionInterface):
    """Flask's signed session cookie, signed again at most once a minute.

    The idle timeout (PERMANENT_SESSION_LIFETIME) counts from when the cookie was last
    signed, so Flask signs it again on every answer: serialising, signing and a
    Set-Cookie header for every page. Here a cookie less than REFRESH_AFTER old is left
    as it is, unless the session changed: someone idle times out between 29 and 30
    minutes after their last page instead of exactly 30."""

    REFRESH_AFTER = timedelta(minutes=1)

    def open_session(self, app: Flask, request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        session = self.session_class(data)
        session.signed_at = signed_at
        return session

    def should_set_cookie(self, app: Flask, session) -> bool:
        if session.modified:
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        signed_at = getattr(session, "signed_at", None)
        return signed_at is None or datetime.now(UTC) - signed_at >= self.REFRESH_AFTER


def write_lock_by_default() -> bool:
    """Whether a transaction takes SQLite's write lock up front (hiddengems/dbsetup.py).

    POST and the other unsafe methods read then write: they take it, or an upgrade
    under load fails with "database is locked". GET pages only read and never wait for
    a writer; the few that write say so (audit.record_now, dbsetup.begin_writing).
    Jobs and commands outside a request take it, as they mostly write."""
    return not has_request_context() or request.method not in SAFE_METHODS


@login_manager.user_loader
def load_user(token: str) -> User | None:
    # The cookie carries the rotating session token; a rotated token finds nobody.
    # With the user's organisation, which HR's pages name (an outer join on a primary key).
    return kept_scalar(db.session, _user_by_token(), {"token": token})


@cache
def _user_by_token() -> Select:
    """Built once: every request runs it, and building it cost as much as running it."""
    return (
        select(User)
        .where(User.session_token == bindparam("token", type_=String))
        .options(joinedload(User.organisation))
    )


login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please log in to see this page.")
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"


def register_blueprints(app: Flask) -> None:
    for bp in domains.blueprints():
        app.register_blueprint(bp)
    domains.load_panels()


def _plain(labels: dict) -> Callable[[], dict[str, str]]:
    # The labels translated once, for loops that would otherwise translate them per row.
    return lambda: {code: str(label) for code, label in labels.items()}


def register_template_words(app: Flask) -> None:
    """The words every template may use, registered in this one place: the shared
    vocabulary, and each domain's ``TEMPLATE_WORDS`` (in its labels.py)."""
    words = {
        "stage_names": vocab.STAGE_LABELS,
        "outcome_names": vocab.OUTCOME_LABELS,
        "activity_names": vocab.ACTIVITY_LABELS,
        "stage_names_plain": _plain(vocab.STAGE_LABELS),
        "activity_names_plain": _plain(vocab.ACTIVITY_LABELS),
        "language_name": vocab.language_name,
        "country_name": vocab.country_name,
        "get_locale": get_locale,
    }
    for module in domains.modules("labels"):
        words.update(getattr(module, "TEMPLATE_WORDS", {}))
    app.jinja_env.globals.update(words)


def init_app(app: Flask) -> None:
    app.request_class = CleanRequest
    app.session_interface = SessionCookie()
    # Before the blueprints: their rules pick their converters when they are added.
    app.url_map.converters["int"] = IdConverter
    register_blueprints(app)
    mark_public(app, *STATIC_ENDPOINTS)
    undeclared = undeclared_endpoints(app)
    if undeclared:
        raise RuntimeError(f"views without declared roles: {undeclared}")

    with app.app_context():
        configure_engine(
            db.engine,
            write_lock_by_default=write_lock_by_default,
            ping_after_idle=app.config["DATABASE_PING_AFTER_IDLE_SECONDS"],
        )

    track_writes(db.session)
    app.before_request(enforce_access)

    @app.teardown_request
    def end_a_read(error: BaseException | None) -> None:
        # Before Flask-SQLAlchemy removes the session (teardown_appcontext), which rolls back.
        # Any method: what a post reads after committing is a read like a page's.
        if error is not None:
            return
        try:
            end_reading(db.session)
        except Exception:  # nothing was written: the rollback that follows ends it as before
            log.exception("ending a read-only transaction failed on endpoint %s", request.endpoint)

    @app.after_request
    def security_headers(response):
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        if app.config["HSTS"]:
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if request.endpoint not in STATIC_ENDPOINTS:
            # Pages may hold personal data: never cache them anywhere.
            response.headers["Cache-Control"] = "no-store"
        return response

    register_template_words(app)

    formatting.init_app(app)
    summary.init_app(app)
    templating.init_app(app)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code in (403, 404, 405, 400, 413, 429):
            return render_template("errors/http.html", error=error), error.code
        return error

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        # HTTPExceptions reach the handler above (Flask picks the most specific one).
        error_id = uuid.uuid4().hex[:12]
        db.session.rollback()
        log.exception("unhandled error %s on endpoint %s", error_id, request.endpoint)
        return render_template("errors/500.html", error_id=error_id), 500
