"""Access rows of the account pages (merged by tests/test_access_table.py)."""

from __future__ import annotations

from tests.access_codes import ANON_ONLY, PUBLIC, SIGNED_IN, SPOUSE

# A made-up token: every role is told the link is not valid.
BAD_LINK = "400 400 400 400 400 400 400 400 400"

ACCESS: dict[str, tuple[str, str]] = {
    "auth.login": ("GET", ANON_ONLY),
    "auth.logout": ("POST", "302 302 302 302 302 302 302 302 302"),
    "auth.register": ("GET", ANON_ONLY),
    "auth.registered": ("GET", ANON_ONLY),
    "auth.privacy": ("GET", PUBLIC),
    "auth.verify_email": ("GET", BAD_LINK),
    "auth.resend_verification": ("GET", ANON_ONLY),
    "auth.forgot_password": ("GET", PUBLIC),
    "auth.reset_password": ("GET", BAD_LINK),
    "auth.accept_invitation": ("GET", BAD_LINK),
    "auth.change_password": ("GET", SIGNED_IN),
    "auth.account": ("GET", SPOUSE),
}


def world_values(people: dict, values: dict) -> dict:
    return {"token": "not-a-real-token"}
