"""The dashboard's tables as CSV and the whole dashboard as JSON: the same published
figures as the page ("<5", "–"), never a count behind them."""

from __future__ import annotations

import csv
import io

from hiddengems.reports.choices import Choice
from hiddengems.reports.dashboard import Period, Table

API_VERSION = 1


def table_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([table.head, *(label for _, label in table.columns)])
    for row in table.rows:
        writer.writerow([row.label, *row.values])
    return out.getvalue()


def dashboard_json(choice: Choice, payload: dict, period: Period, tables: dict[str, Table]) -> dict:
    """Codes as keys (for BI tools), the page's labels beside them."""
    return {
        "version": API_VERSION,
        "as_of": payload["day"],
        "threshold": payload["threshold"],
        "organisation": {"id": choice.scope or None, "name": choice.scope_name},
        "period": {"cohorts": list(period.cohorts), "grouping": period.grouping, "widened": period.widened},
        "participants": payload["participants"],
        "tables": {
            name: {
                "title": table.title,
                "columns": [key for key, _ in table.columns],
                "column_labels": [label for _, label in table.columns],
                "rows": [{"key": row.key, "label": row.label, "values": row.values} for row in table.rows],
            }
            for name, table in tables.items()
        },
    }


def error_json(choice: Choice) -> dict:
    return {"version": API_VERSION, "error": "bad_request", "reasons": choice.form.reasons()}
