"""What HR, leads and admins see of the figures: the dashboard, the funder's page, each
table's CSV, the JSON. All read the day's snapshot; the day's first request (a warm-up
one) builds it when the nightly job has not (`python -m bench.snapshot` times that)."""

from bench.pages import Page
from hiddengems.reports.labels import TABLE_TITLES

TABLES = tuple(TABLE_TITLES)  # every table of the dashboard

PAGES = [
    Page("hr", "HR dashboard (own organisation)", "/hr"),
    Page("hr", "HR dashboard by quarter, one year", "/hr?from_year=2026&to_year=2026&grouping=quarter"),
    Page("hr", "HR funder's page (ESF+)", "/hr/funder"),
    *(Page("hr", f"HR CSV: {table}", f"/hr/{table}.csv") for table in TABLES),
    Page("hr", "HR dashboard JSON (API v1)", "/hr/api/v1/dashboard"),
    Page("lead", "dashboard of all organisations", "/hr"),
    Page("admin", "dashboard JSON of all organisations", "/hr/api/v1/dashboard"),
]
