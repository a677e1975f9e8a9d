"""Access rows of the outbox pages (merged by tests/test_access_table.py)."""

from __future__ import annotations

from tests import factories as f
from tests.access_codes import ADMIN

ACCESS: dict[str, tuple[str, str]] = {
    "mail.outbox": ("GET", ADMIN),
    "mail.message": ("GET", ADMIN),
    # A queued message, not a failed one: the admin is told so on the message's page.
    "mail.retry": ("POST", "302 403 403 403 403 403 403 403 302"),
}


def world_values(people: dict, values: dict) -> dict:
    from flask import current_app

    return {"message_id": f.queued_email(current_app).id}
