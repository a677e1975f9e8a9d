"""Follow-ups on a case: added and marked done from the case file."""

from __future__ import annotations

from functools import partial

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hiddengems.access import get_for, roles
from hiddengems.cases.models import Case
from hiddengems.cases.routes import render_case_file
from hiddengems.cases.services import load_case
from hiddengems.extensions import db
from hiddengems.reminders import bp, queries, rule_routes, services
from hiddengems.reminders.forms import DoneForm, FollowUpForm
from hiddengems.reminders.models import FollowUp

# The lead's rule pages live beside these, on the same blueprint.
__all__ = ["add", "done", "rule_routes"]


@bp.route("/<int:case_id>/follow-ups", methods=["POST"])
@roles("adviser")
def add(case_id: int):
    case = get_for(Case, case_id, need="edit", load=load_case)
    form = FollowUpForm(prefix="follow_up")
    if not form.validate_on_submit():
        return render_case_file(case, given={"follow_up_form": form})
    services.add_follow_up(
        case,
        actor=current_user,
        title=form.title.data,
        due_on=form.due_on.data,
        shared_with_spouse=form.shared_with_spouse.data,
    )
    db.session.commit()
    flash(_("Follow-up added."), "success")
    return redirect(url_for("cases.case_file", case_id=case.id))


@bp.route("/<int:case_id>/follow-ups/<int:follow_up_id>/done", methods=["POST"])
@roles("adviser")
def done(case_id: int, follow_up_id: int):
    load = partial(queries.load_follow_up, case_id=case_id)  # another case's follow-up: 404
    follow_up = get_for(FollowUp, follow_up_id, need="edit", load=load)
    if not DoneForm().validate_on_submit():
        abort(400)
    if services.complete_follow_up(follow_up, actor=current_user):
        flash(_("Follow-up done."), "success")
    else:
        flash(_("This follow-up was already done."), "info")
    db.session.commit()
    return redirect(url_for("cases.case_file", case_id=case_id))
