"""Access rows of the home pages (merged by tests/test_access_table.py)."""

from __future__ import annotations

from tests.access_codes import ADVISER, SPOUSE

ACCESS: dict[str, tuple[str, str]] = {
    # Anyone may open the landing page; a signed-in user is sent to their own home.
    "main.index": ("GET", "200 302 302 302 302 302 302 302 302"),
    "main.spouse_home": ("GET", SPOUSE),
    "main.adviser_home": ("GET", ADVISER),
}
