"""Access rows of the reports (merged by tests/test_access_table.py). HR reads their own
organisation's figures (another's, or all, is a 403: tests/reports/test_dashboard.py);
leads and admins read any organisation's, or all; the page, the funder's page, each CSV
and the JSON alike."""

from __future__ import annotations

READERS = "302 403 403 403 403 200 200 200 200"

ACCESS: dict[str, tuple[str, str]] = {
    "reports.hr_home": ("GET", READERS),
    "reports.funder": ("GET", READERS),
    "reports.table_csv": ("GET", READERS),
    "reports.dashboard_json": ("GET", READERS),
}


def world_values(people, values) -> dict:
    return {"table": "funnel"}
