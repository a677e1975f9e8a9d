"""What the training domain shows on other domains' pages (hiddengems/ui/panels.py): the
training history on the case file, the spouse's programmes on their home page, the
applications waiting on the adviser's desk. One query each."""

from __future__ import annotations

from hiddengems.training import (
    queries,
    reminder_kinds,  # noqa: F401 - registers "training ended" into the reminders
)
from hiddengems.ui.panels import panel


@panel("case_file", "training/_panel_case_file.html", order=40, column="side")
def training_history(case, **_) -> dict:
    return {"case_id": case.id, "enrolments": queries.history(case.id)}


@panel("spouse_home", "training/_panel_spouse_home.html", order=20, column="main")
def my_programmes(case, **_) -> dict | None:
    if case is None:
        return None
    return {"enrolments": queries.history(case.id)}


@panel("adviser_desk", "training/_panel_adviser_desk.html", order=60)
def applications_waiting(user, **_) -> dict:
    return {"waiting": queries.waiting_for(user.id)}
