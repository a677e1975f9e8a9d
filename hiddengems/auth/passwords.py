"""Password hashing (argon2id) and the password policy of SECURITY.md."""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from hiddengems.ui.words import lazy_gettext as _l

MIN_LENGTH = 12
MAX_LENGTH = 256


def _hasher() -> PasswordHasher:
    params = current_app.config.get("ARGON2_PARAMS") or {}
    return PasswordHasher(**params)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    try:
        return _hasher().check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


# A valid hash to verify against when the account does not exist, so that the
# answer takes as long as for a real account.
def dummy_verify(password: str) -> None:
    verify_password(_dummy_hash(), password)


@cache
def _dummy_hash_for(params: tuple) -> str:
    return PasswordHasher(**dict(params)).hash("not-a-real-password-at-all")


def _dummy_hash() -> str:
    return _dummy_hash_for(tuple(sorted((current_app.config.get("ARGON2_PARAMS") or {}).items())))


@cache
def common_words() -> frozenset[str]:
    text = files("hiddengems.auth").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Return why a new password is refused, or None. No composition rules."""
    if len(password) < MIN_LENGTH:
        return str(_l("Use at least %(n)d characters. A few unrelated words make a good password.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        return str(_l("Use at most %(n)d characters.", n=MAX_LENGTH))
    lowered = password.lower()
    core = re.sub(r"^[\W\d_]+|[\W\d_]+$", "", lowered)
    if len(set(lowered)) <= 2 or lowered.isdigit() or lowered in common_words() or core in common_words():
        return str(_l("This password is among the most commonly used ones. Please choose another."))
    local_part = email.lower().split("@")[0]
    if len(local_part) >= 4 and local_part in lowered:
        return str(_l("Please do not build the password from your e-mail address."))
    if name and len(name) >= 4 and name.lower().replace(" ", "") in lowered.replace(" ", ""):
        return str(_l("Please do not build the password from your name."))
    return None
