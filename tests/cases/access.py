"""Access rows of the case pages. Spouse A's case belongs to "adviser"; a lead sees all."""

from __future__ import annotations

from tests import factories as f
from tests.access_codes import ADVISER

# Own case file: its adviser and a lead; everyone else 403 (a spouse never sees it).
CASE = "302 403 403 200 403 200 403 403 403"
LEAD = "302 403 403 403 403 200 403 403 403"

ACCESS: dict[str, tuple[str, str]] = {
    "cases.caseload_list": ("GET", ADVISER),
    "cases.queue": ("GET", ADVISER),
    "cases.registered": ("GET", ADVISER),
    "cases.all_cases": ("GET", LEAD),
    # Anyone on the team may try to take a case; A's is taken, so each is told and redirected.
    "cases.take": ("POST", "302 403 403 302 302 302 403 403 403"),
    "cases.reassign": ("POST", "302 403 403 403 403 302 403 403 403"),
    # An empty form: the lead is sent back to the list with a message.
    "cases.reassign_matching": ("POST", "302 403 403 403 403 302 403 403 403"),
    "cases.team": ("GET", LEAD),
    "cases.case_file": ("GET", CASE),
    # An empty form: shown again with messages beside the fields.
    "cases.add_activity": ("POST", CASE),
    "cases.change_stage": ("POST", CASE),
    "cases.close": ("POST", CASE),
    "cases.reopen": ("POST", CASE),
    # Only the entry's author corrects it: the adviser wrote it; a lead may edit the case
    # but not a colleague's words.
    "cases.correct_activity": ("GET", "302 403 403 200 403 403 403 403 403"),
}


def world_values(people: dict, values: dict) -> dict:
    case = f.case_of(people["spouse_a"])
    return {"case_id": case.id, "activity_id": f.activity(case, people["adviser"]).id}
