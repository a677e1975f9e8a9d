"""Access-table rows for the intake (merged by tests/test_access_table.py)."""

from __future__ import annotations

from tests.access_codes import SPOUSE

# Only spouse A's own adviser and the lead may edit A's profile.
OWN_ADVISER_OR_LEAD = "302 403 403 200 403 200 403 403 403"

ACCESS: dict[str, tuple[str, str]] = {
    "intake.start": ("GET", "302 302 302 403 403 403 403 403 403"),
    "intake.step": ("GET", SPOUSE),
    "intake.submit": ("POST", "302 302 302 403 403 403 403 403 403"),
    "intake.profile": ("GET", SPOUSE),
    "intake.adviser_step": ("GET", OWN_ADVISER_OR_LEAD),
}


def world_values(people, values) -> dict:
    return {"step": "contact"}
