"""Follow-ups on a case: added and marked done from the case file; the adviser's calendar feed."""

from __future__ import annotations

from functools import partial

from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hiddengems.access import PUBLIC, get_for, roles
from hiddengems.cases.models import Case
from hiddengems.cases.routes import render_case_file
from hiddengems.cases.services import load_case
from hiddengems.extensions import db
from hiddengems.mail.services import public_url
from hiddengems.reminders import bp, feed, queries, services
from hiddengems.reminders.forms import DoneForm, FollowUpForm, ResetFeedForm
from hiddengems.reminders.models import FollowUp


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


# --- The adviser's calendar feed -------------------------------------------------------

bp.record_once(feed.hide_feed_tokens)


@bp.route("/calendar")
@roles("adviser")
def calendar():
    own = feed.feed_of(current_user.id)
    url = public_url("reminders.calendar_feed", feed_token=own.token) if own else None
    return render_template("reminders/calendar.html", feed_url=url, form=ResetFeedForm())


@bp.route("/calendar", methods=["POST"])
@roles("adviser")
def reset_calendar():
    if not ResetFeedForm().validate_on_submit():
        abort(400)
    feed.reset_feed(current_user._get_current_object())
    db.session.commit()
    flash(_("Your calendar has a new address. The old one no longer works."), "success")
    return redirect(url_for("reminders.calendar"))


@bp.route("/calendar/<feed_token>.ics")
@roles(PUBLIC)
def calendar_feed(feed_token: str):
    owner = feed.owner_of(feed_token)
    if owner is None:
        abort(404)
    response = make_response(feed.calendar_for(owner))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'inline; filename="follow-ups.ics"'
    return response
