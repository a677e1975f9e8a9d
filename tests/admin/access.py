"""Access rows of the admin's pages (merged by tests/test_access_table.py)."""

from __future__ import annotations

from tests.access_codes import ADMIN

ACCESS: dict[str, tuple[str, str]] = {
    "admin.home": ("GET", ADMIN),
    "admin.users": ("GET", ADMIN),
    "admin.create_user": ("GET", ADMIN),
    "admin.edit_user": ("GET", ADMIN),
    # The world's account has logged in or is not staff: the admin is told so, back on its page.
    "admin.resend_invitation": ("POST", "302 403 403 403 403 403 403 403 302"),
    "admin.audit": ("GET", ADMIN),
}


def world_values(people: dict, values: dict) -> dict:
    return {"user_id": people["spouse_a"].id}
