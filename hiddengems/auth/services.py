"""Accounts: registration, login with throttling, e-mail tokens, passwords.

Services change the database and flush; the request commits once.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta

from blinker import Namespace
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from hiddengems.audit.services import record
from hiddengems.auth.models import LoginFailure, User
from hiddengems.auth.passwords import dummy_verify, hash_password, needs_rehash, verify_password
from hiddengems.extensions import db
from hiddengems.mail.services import public_url, queue, recently_sent
from hiddengems.timeutil import utcnow


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


# --- registration ---------------------------------------------------------------------

_signals = Namespace()
# Sent with the new spouse's account, in the registration's transaction: the domains that
# keep something for every spouse (their case) make it here, without auth knowing them.
spouse_registered = _signals.signal("spouse-registered")


@dataclass
class Registration:
    name: str
    email: str
    password: str
    organisation_id: int
    preferred_language: str
    privacy_accepted: bool


def register_spouse(data: Registration) -> User | None:
    """Create the account (the cases domain opens its case on ``spouse_registered``) and
    send the verification e-mail.

    An address that already has an account gets an e-mail saying so, and the
    caller shows the same answer either way."""
    email = normalise_email(data.email)
    # Hashed before we know whether the address is taken: the hash is most of a
    # registration's time, so skipping it for a taken address would tell by the timing.
    password_hash = hash_password(data.password)
    existing = find_user_by_email(email)
    if existing is not None:
        _registered_already(existing)
        return None
    user = User(
        email=email,
        name=data.name.strip(),
        password_hash=password_hash,
        role="spouse",
        organisation_id=data.organisation_id,
        preferred_language=data.preferred_language,
        privacy_notice_version=current_app.config["PRIVACY_NOTICE_VERSION"],
        privacy_accepted_at=utcnow(),
    )
    try:
        # A registration of the same address (a double click, a script) may commit between
        # our look-up and this insert: the unique e-mail refuses ours, the savepoint keeps
        # the transaction usable, and this registration is the duplicate it turned out to be.
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError:
        existing = find_user_by_email(email)
        if existing is None:
            raise
        _registered_already(existing)
        return None
    spouse_registered.send(user)
    send_verification(user)
    record("auth.register", actor=user, object_type="user", object_id=user.id)
    return user


def _registered_already(existing: User) -> None:
    """Tell the owner of the address that someone tried to register with it."""
    # The account's row is locked first, so that duplicates arriving together count each
    # other's e-mails (PostgreSQL; SQLite runs them one at a time) and the cap holds.
    db.session.execute(select(User.id).where(User.id == existing.id).with_for_update())
    if not may_email(existing, "already_registered"):
        return
    queue(
        existing.email,
        _("Someone tried to register with your e-mail address"),
        "already_registered",
        kind="already_registered",
        user_id=existing.id,
        user=existing,
        login_url=public_url("auth.login"),
        reset_url=public_url("auth.forgot_password"),
    )
    record("auth.register_duplicate", object_type="user", object_id=existing.id)


def may_email(user: User, kind: str) -> bool:
    """Whether another e-mail of this kind may go to this account now (see config)."""
    limit = current_app.config["MAIL_PER_ACCOUNT_PER_HOUR"]
    return recently_sent(user.id, kind, timedelta(hours=1)) < limit


def send_verification(user: User) -> None:
    if not may_email(user, "verify_email"):
        return
    queue(
        user.email,
        _("Please confirm your e-mail address"),
        "verify_email",
        kind="verify_email",
        user_id=user.id,
        user=user,
        secrets={"verify_url": public_url("auth.verify_email", token=make_token(user, "verify"))},
    )


# --- tokens: signed, expiring, single use ---------------------------------------------


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"hiddengems-{purpose}")


def _fingerprint(user: User, purpose: str) -> str:
    # The token is bound to the state it changes, so once used it no longer matches.
    state = user.password_hash if purpose in ("reset", "invite") else str(user.email_verified_at is not None)
    return hashlib.sha256(f"{user.email}|{state}".encode()).hexdigest()[:16]


# The config key of each purpose's lifetime: an invitation waits days for a new colleague.
TOKEN_MAX_AGE = {"verify": "VERIFY_TOKEN_MAX_AGE", "reset": "RESET_TOKEN_MAX_AGE", "invite": "INVITE_TOKEN_MAX_AGE"}


def make_token(user: User, purpose: str) -> str:
    return _serializer(purpose).dumps({"u": user.id, "f": _fingerprint(user, purpose)})


class TokenError(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "expired" | "invalid" | "used"


def load_token(token: str, purpose: str) -> User:
    max_age = current_app.config[TOKEN_MAX_AGE[purpose]]
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise TokenError("expired") from exc
    except BadSignature as exc:
        raise TokenError("invalid") from exc
    user = db.session.get(User, payload.get("u")) if isinstance(payload, dict) else None
    if user is None or not user.active:
        raise TokenError("invalid")
    if not hmac.compare_digest(payload.get("f", ""), _fingerprint(user, purpose)):
        raise TokenError("used")
    return user


def verify_email(user: User) -> None:
    user.email_verified_at = utcnow()
    record("auth.verify_email", actor=user, object_type="user", object_id=user.id)


# --- login ------------------------------------------------------------------------------


def _account_key(email: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, normalise_email(email).encode(), hashlib.sha256).hexdigest()


@dataclass
class LoginResult:
    user: User | None
    error: str | None = None  # "throttled" | "invalid" | "unverified"


def _recent_failures(column, value: str) -> int:
    since = utcnow() - current_app.config["LOGIN_FAILURE_WINDOW"]
    return db.session.scalar(
        select(func.count()).select_from(LoginFailure).where(column == value, LoginFailure.at >= since)
    )


def authenticate(email: str, password: str, address: str) -> LoginResult:
    """Check a login. Failures are counted per account and per address in the
    database, so every web worker shares the count; over the limit even the right
    password is refused until the window passes."""
    key = _account_key(email)
    config = current_app.config
    if (
        _recent_failures(LoginFailure.account_key, key) >= config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
        or _recent_failures(LoginFailure.address, address) >= config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    ):
        record("auth.login_throttled", detail={"account": key[:12]})
        return LoginResult(None, "throttled")
    user = find_user_by_email(email)
    if user is None:
        dummy_verify(password)
        ok = False
    else:
        ok = verify_password(user.password_hash, password) and user.active
    if not ok:
        db.session.add(LoginFailure(account_key=key, address=address))
        record("auth.login_failed", object_type="user", object_id=user.id if user else None)
        return LoginResult(None, "invalid")
    if user.email_verified_at is None:
        return LoginResult(user, "unverified")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    db.session.execute(delete(LoginFailure).where(LoginFailure.account_key == key))
    user.last_login_at = utcnow()
    record("auth.login", actor=user, object_type="user", object_id=user.id)
    return LoginResult(user)


# --- passwords --------------------------------------------------------------------------


def request_password_reset(email: str) -> None:
    user = find_user_by_email(email)
    if user is None or not user.active or not may_email(user, "reset_password"):
        return
    queue(
        user.email,
        _("Reset your Hidden Gems password"),
        "reset_password",
        kind="reset_password",
        user_id=user.id,
        user=user,
        secrets={"reset_url": public_url("auth.reset_password", token=make_token(user, "reset"))},
    )
    record("auth.reset_requested", object_type="user", object_id=user.id)


def set_password(user: User, new_password: str, *, reason: str) -> None:
    """Set a new password, end every other session and tell the user by e-mail."""
    user.password_hash = hash_password(new_password)
    user.rotate_session()
    queue(
        user.email,
        _("Your Hidden Gems password was changed"),
        "password_changed",
        kind="password_changed",
        user_id=user.id,
        user=user,
        reset_url=public_url("auth.forgot_password"),
    )
    record(f"auth.{reason}", actor=user, object_type="user", object_id=user.id)


def invite(user: User, *, invited_by: User) -> None:
    """A new staff account's first password: an e-mail with a link to choose it (a reset
    token that lives longer), never a password passed on by hand. The link is a secret
    of the message: the outbox shows it to nobody (mail/services.queue)."""
    queue(
        user.email,
        _("You are invited to Hidden Gems"),
        "invitation",
        kind="invitation",
        user_id=user.id,
        user=user,
        invited_by=invited_by,
        days=current_app.config["INVITE_TOKEN_MAX_AGE"] // (24 * 3600),
        forgot_url=public_url("auth.forgot_password"),
        secrets={"invite_url": public_url("auth.accept_invitation", token=make_token(user, "invite"))},
    )
    record("auth.invited", actor=invited_by, object_type="user", object_id=user.id)


def accept_invitation(user: User, new_password: str) -> None:
    """The first password, from the invitation's link (which proves the address too)."""
    user.password_hash = hash_password(new_password)
    user.rotate_session()
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    record("auth.invitation_accepted", actor=user, object_type="user", object_id=user.id)


def may_be_remembered(user: User) -> bool:
    """ "Keep me logged in" is for participants only: staff sessions hold many people's
    data and end when the browser closes or after the idle timeout."""
    return user.role == "spouse"


class WrongPassword(Exception):
    """The current password given to change it is not the account's."""


def change_password(user: User, current: str, new_password: str) -> None:
    """A signed-in user's change: only with the current password (a session left open on a
    shared computer is not enough to take the account over)."""
    if not verify_password(user.password_hash, current):
        raise WrongPassword
    set_password(user, new_password, reason="password_changed")


def reset_password(user: User, new_password: str) -> None:
    """The new password from a reset link. Following a link sent to the address proves
    the address as well as the confirmation link does."""
    set_password(user, new_password, reason="password_reset")
    if user.email_verified_at is None:
        verify_email(user)


def resend_verification(email: str) -> None:
    """A new confirmation link, to an account that is waiting for one. Nothing tells the
    asker whether the address has an account."""
    user = find_user_by_email(email)
    if user is not None and user.active and user.email_verified_at is None:
        send_verification(user)


def set_email_updates(user: User, wanted: bool) -> bool:
    """A participant's choice about the non-essential e-mails; True when it changed."""
    if user.email_updates == wanted:
        return False
    user.email_updates = wanted
    db.session.flush()
    record("auth.email_updates", actor=user, object_type="user", object_id=user.id, detail={"on": wanted})
    return True


def logout(user: User) -> None:
    user.rotate_session()
    record("auth.logout", actor=user, object_type="user", object_id=user.id)
