"""What the introductions domain shows on other domains' pages (hiddengems/ui/panels.py):
the spouse's introductions on the case file and on their home page. One query each."""

from __future__ import annotations

from hiddengems.introductions import queries
from hiddengems.ui.panels import panel


@panel("case_file", "introductions/_panel_case_file.html", order=45, column="side")
def case_introductions(case, **_) -> dict:
    return {"case": case, "introductions": queries.of_case(case.id)}


@panel("spouse_home", "introductions/_panel_spouse_home.html", order=25, column="main")
def my_introductions(case, **_) -> dict | None:
    if case is None:
        return None
    return {"introductions": queries.of_case(case.id)}
