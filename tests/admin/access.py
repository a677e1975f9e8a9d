"""Access rows of the admin's pages (merged by tests/test_access_table.py)."""

from __future__ import annotations

from tests.access_codes import ADMIN

ACCESS: dict[str, tuple[str, str]] = {
    "admin.home": ("GET", ADMIN),
    "admin.users": ("GET", ADMIN),
    "admin.create_user": ("GET", ADMIN),
    "admin.edit_user": ("GET", ADMIN),
    "admin.audit": ("GET", ADMIN),
}


def world_values(people: dict, values: dict) -> dict:
    return {"user_id": people["spouse_a"].id}
