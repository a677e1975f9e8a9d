"""The cases domain's own parts of the assembled pages (hiddengems/ui/panels.py): the
stage and the reassignment on the case file, the meetings and shared entries on the
spouse's home, the figures on the adviser's desk."""

from __future__ import annotations

from functools import partial

from hiddengems.cases import lists, services, timeline
from hiddengems.cases.forms import ReassignForm, ReopenForm, StageForm
from hiddengems.ui.fragments import form_html
from hiddengems.ui.panels import once, panel
from hiddengems.ui.widgets import CachedOptionsSelect
from hiddengems.vocab import OPEN_STAGES

# --- the case file ------------------------------------------------------------------------


@panel("case_file", "cases/_panel_case_file_stage.html", order=20, column="side")
def stage(case, can_edit: bool, given: dict, **_) -> dict | None:
    if not can_edit:
        return None
    # An empty form is kept per stage and version (ui/fragments.py): its hidden version and
    # its chosen stage are all that differ between cases.
    version = {"version": case.version}
    if case.is_open:
        data = {**version, "stage": case.stage}
        given_form, key = given.get("stage_form"), ("stage", case.stage, case.version)
        make = partial(StageForm, formdata=None, prefix="stage", data=data)
    else:
        given_form, key = given.get("reopen_form"), ("reopen", case.version)
        make = partial(ReopenForm, formdata=None, prefix="reopen", data=version)
    return {"case": case, "form_html": form_html("cases/_stage_fields.html", given_form, make, *key)}


@panel("case_file", "cases/_panel_case_file_reassign.html", order=30, column="side")
def reassign(case, user, **_) -> dict | None:
    if not user.is_lead:
        return None
    form = ReassignForm(formdata=None, data={"case_id": [case.id]})
    form.set_choices(lists.adviser_choices())
    form.adviser_id.widget = CachedOptionsSelect()
    return {"case_id": case.id, "form": form}


# --- the spouse's home --------------------------------------------------------------------


@panel("spouse_home", "cases/_panel_spouse_home_meetings.html", order=20, column="side")
def meetings(case, now, **_) -> dict | None:
    return None if case is None else {"meetings": timeline.upcoming_meetings(case.id, now=now)}


@panel("spouse_home", "cases/_panel_spouse_home_shared.html", order=10, column="main")
def shared(case, now, **_) -> dict | None:
    return None if case is None else {"shared": timeline.shared_entries(case.id, now=now)}


# --- the adviser's desk -------------------------------------------------------------------


def _figures(user) -> dict:
    mine = services.stage_counts(adviser_id=user.id)
    return {
        "mine": mine,
        "mine_open": sum(mine[stage] for stage in OPEN_STAGES),
        "queue": services.stage_counts(unassigned=True),
        "team": services.stage_counts() if user.is_lead else None,
        "orphaned": services.cases_needing_reassignment() if user.is_lead else 0,
    }


@panel("adviser_desk", "cases/_panel_adviser_desk_figures.html", order=10)
def figures(user, **_) -> dict:
    return once("desk_figures", lambda: _figures(user))


@panel("adviser_desk", "cases/_panel_adviser_desk_meetings.html", order=20)
def todays_meetings(user, today, **_) -> dict:
    """The meetings of the adviser's cases today, in time order (a closed case's are cancelled)."""
    return {"meetings": timeline.meetings_on(user.id, today)}


@panel("adviser_desk", "cases/_panel_adviser_desk_stages.html", order=90)
def stages(user, **_) -> dict:
    return once("desk_figures", lambda: _figures(user))
