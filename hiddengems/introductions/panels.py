"""What the introductions domain shows on other domains' pages (hiddengems/ui/panels.py):
the spouse's introductions on the case file and on their home page (one query each); an
employer's introductions, their outcomes and the contact history on the employer's page."""

from __future__ import annotations

from hiddengems.introductions import (
    queries,
    reminder_kinds,  # noqa: F401 - registers "introduction without a status change" into the reminders
)
from hiddengems.ui.panels import panel


@panel("case_file", "introductions/_panel_case_file.html", order=45, column="side")
def case_introductions(case, **_) -> dict:
    return {"case": case, "introductions": queries.of_case(case.id)}


@panel("spouse_home", "introductions/_panel_spouse_home.html", order=25, column="main")
def my_introductions(case, **_) -> dict | None:
    if case is None:
        return None
    return {"introductions": queries.of_case(case.id)}


PANEL_ROWS = 10


@panel("employer", "introductions/_panel_employer.html", order=10, column="main")
def employer_introductions(employer, **_) -> dict:
    """The employer's outcomes, latest introductions and contact history: four queries."""
    counts = queries.outcomes(employer.id)
    return {
        "employer": employer,
        "outcomes": counts,
        "latest": queries.of_employer(employer.id, page=1, per_page=PANEL_ROWS, total=sum(counts.values())),
        "contacts": queries.contact_history(employer.id),
    }
