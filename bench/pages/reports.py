"""What HR, leads and admins see of the figures: the dashboard, each table's CSV, the JSON,
for the default period (the last 12 complete months and the current one). All read the
day's snapshot; the day's first request (a warm-up one) builds it."""

from bench.pages import Page
from hiddengems.reports.labels import TABLE_TITLES

TABLES = tuple(TABLE_TITLES)  # every table of the dashboard

PAGES = [
    Page("hr", "HR dashboard (own organisation)", "/hr"),
    Page("hr", "HR dashboard by quarter", "/hr?grouping=quarter"),
    *(Page("hr", f"HR CSV: {table}", f"/hr/{table}.csv") for table in TABLES),
    Page("hr", "HR dashboard JSON (API v1)", "/hr/api/v1/dashboard"),
    Page("lead", "dashboard of all organisations", "/hr"),
    Page("admin", "dashboard JSON of all organisations", "/hr/api/v1/dashboard"),
]
