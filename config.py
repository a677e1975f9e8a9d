"""Configuration for development, testing and production.

The app factory picks a class by ``HIDDENGEMS_CONFIG`` (development by default).
Every setting can be overridden from the environment where it says so.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEFAULT_SECRET = "dev-secret-not-for-production"  # noqa: S105 - refused in production


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET)
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'hiddengems.sqlite'}")
    # No pool_pre_ping (a round trip on every request): a pooled connection is tried only
    # after it has been idle this long (hiddengems/dbsetup.py ping_when_idle), and none is
    # kept longer than pool_recycle.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_recycle": 1800}
    DATABASE_PING_AFTER_IDLE_SECONDS = float(os.environ.get("DATABASE_PING_AFTER_IDLE_SECONDS", "10"))

    # Sessions: idle timeout, fresh session at login, cookie flags (SECURITY.md).
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=int(os.environ.get("IDLE_TIMEOUT_MINUTES", "30")))
    SESSION_REFRESH_EACH_REQUEST = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    REMEMBER_COOKIE_REFRESH_EACH_REQUEST = False

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # bound to the session, which itself expires

    BOOTSTRAP_SERVE_LOCAL = True
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Europe/Helsinki"
    LANGUAGES = ["en", "fi"]

    # Login throttling: failures counted in the database so every worker shares them.
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 20
    LOGIN_FAILURE_WINDOW = timedelta(minutes=15)

    # E-mails that anyone can trigger by typing an address (reset, verification, "already
    # registered") go to one account at most this often per hour.
    MAIL_PER_ACCOUNT_PER_HOUR = 3
    VERIFY_TOKEN_MAX_AGE = 3 * 24 * 3600
    RESET_TOKEN_MAX_AGE = 3600
    INVITE_TOKEN_MAX_AGE = 7 * 24 * 3600
    PRIVACY_NOTICE_VERSION = os.environ.get("PRIVACY_NOTICE_VERSION", "2026-11")

    # E-mail: every message goes through the outbox; the backend delivers it.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "console")  # console | smtp | memory
    MAIL_FROM = os.environ.get("MAIL_FROM", "Hidden Gems <no-reply@hiddengems.invalid>")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    # starttls (port 587), tls (implicit TLS, port 465) or none (a relay on this host);
    # MAIL_USE_TLS=1 is the older spelling of starttls.
    MAIL_SECURITY = os.environ.get("MAIL_SECURITY", "starttls" if os.environ.get("MAIL_USE_TLS") == "1" else "none")
    MAIL_TLS_CA_FILE = os.environ.get("MAIL_TLS_CA_FILE")  # a private CA's certificate; the system's by default
    MAIL_TIMEOUT_SECONDS = float(os.environ.get("MAIL_TIMEOUT_SECONDS", "30"))  # each network step, not the batch
    MAIL_MAX_ATTEMPTS = 8
    # Links in e-mails must point at the public site, not at whatever Host header came in.
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000")
    # How a participant reaches the programme besides their adviser (their home page).
    PROGRAMME_CONTACT_EMAIL = os.environ.get("PROGRAMME_CONTACT_EMAIL", "careers@hiddengems.invalid")
    PROGRAMME_CONTACT_PHONE = os.environ.get("PROGRAMME_CONTACT_PHONE", "")

    # The development server runs jobs in-process; production runs `flask scheduler run`.
    SCHEDULER_IN_PROCESS = False
    OUTBOX_INTERVAL_SECONDS = 15
    # The reminder sweep: every five minutes is soon enough for rules counted in days.
    REMINDER_SWEEP_SECONDS = 300
    OUTBOX_BATCH = 50  # messages one run of the outbox job sends at most, over one SMTP session
    # The advisers' daily digest: working days, from this time (Europe/Helsinki, HH:MM);
    # a scheduler that was down then sends it within this many hours after.
    DIGEST_TIME = os.environ.get("DIGEST_TIME", "07:30")
    DIGEST_CATCH_UP_HOURS = 4
    DIGEST_LIMIT = 50  # follow-ups listed in one digest; the rest are counted
    # HR's figures: counts under this show as "<5" (at least 3: "<2" would say "exactly 1");
    # the day's figures are made at this time (Helsinki), or on the day's first request.
    REPORT_THRESHOLD = int(os.environ.get("REPORT_THRESHOLD", "5"))
    REPORT_SNAPSHOT_TIME = "00:15"
    # How often a standby scheduler tries to lead, and the leader checks it still does:
    # a dead leader's successor runs jobs within this (plus keepalive detection, ~25 s).
    SCHEDULER_STANDBY_POLL_SECONDS = int(os.environ.get("SCHEDULER_STANDBY_POLL_SECONDS", "15"))

    PAGE_SIZE = 25
    HSTS = False
    # Number of reverse proxies in front of the app whose X-Forwarded-For/-Proto to trust.
    # Without it, behind a proxy every login would come from the proxy's address.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))


class DevelopmentConfig(Config):
    # `make run` sets this for the development server; other commands leave it off.
    SCHEDULER_IN_PROCESS = os.environ.get("SCHEDULER_IN_PROCESS", "0") == "1"
    OUTBOX_INTERVAL_SECONDS = 5


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    MAIL_BACKEND = "memory"
    PUBLIC_URL = "http://localhost"
    # argon2 defaults are deliberately slow; tests hash hundreds of passwords.
    ARGON2_PARAMS = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS = True

    @classmethod
    def check(cls, values: dict) -> None:
        """Refuse to start with a default secret or without an explicit database."""
        secret = values.get("SECRET_KEY")
        if not secret or secret == DEFAULT_SECRET or len(secret) < 32:
            raise RuntimeError("Production needs SECRET_KEY set to a random value of 32+ characters.")
        if not os.environ.get("DATABASE_URL") and "DATABASE_URL" not in values:
            raise RuntimeError("Production needs DATABASE_URL (PostgreSQL).")
        if values.get("MAIL_BACKEND") != "smtp":
            raise RuntimeError("Production needs MAIL_BACKEND=smtp (and MAIL_SERVER): e-mail must be delivered.")
        public_url = values.get("PUBLIC_URL", "")
        if not public_url.startswith("https://") or "127.0.0.1" in public_url or "localhost" in public_url:
            raise RuntimeError("Production needs PUBLIC_URL set to the site's https:// address (links in e-mails).")
        if values.get("REPORT_THRESHOLD", 5) < 3:
            # "<2" would say "exactly 1": HR's figures would name people.
            raise RuntimeError("REPORT_THRESHOLD must be 3 or more (5 is the default).")
        check_smtp(values)


LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


def check_smtp(values: dict) -> None:
    """Refuse SMTP settings that cannot work or would send the password in clear text."""
    security = values.get("MAIL_SECURITY", "none")
    if security not in ("starttls", "tls", "none"):
        raise RuntimeError(f"MAIL_SECURITY must be starttls, tls or none, not {security!r}.")
    local = values.get("MAIL_SERVER", "localhost") in LOCAL_HOSTS
    username, password = values.get("MAIL_USERNAME"), values.get("MAIL_PASSWORD")
    if username and not password:
        raise RuntimeError(f"MAIL_PASSWORD is missing: the SMTP login {username!r} needs it.")
    if not local and not (username and password):
        raise RuntimeError(
            f"MAIL_USERNAME and MAIL_PASSWORD are missing: {values.get('MAIL_SERVER')} needs a login"
            " (only a relay on this host, MAIL_SERVER=localhost, may go without)."
        )
    if username and security == "none" and not local:
        raise RuntimeError("MAIL_SECURITY=none would send the SMTP password in clear text: use starttls or tls.")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
