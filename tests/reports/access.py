"""Access rows of the reports (merged by tests/test_access_table.py)."""

from __future__ import annotations

from tests.access_codes import HR

ACCESS: dict[str, tuple[str, str]] = {
    "reports.hr_home": ("GET", HR),
}
