"""Access rows of the host organisations' pages (merged by tests/test_access_table.py)."""

from __future__ import annotations

from tests.access_codes import ADMIN

ACCESS: dict[str, tuple[str, str]] = {
    "orgs.organisations": ("GET", ADMIN),
    "orgs.edit_organisation": ("GET", ADMIN),
}


def world_values(people: dict, values: dict) -> dict:
    return {"organisation_id": people["spouse_a"].organisation_id}
