"""Follow-ups: added from the case file; done (with a note), snoozed and given to another
adviser from the case file, the Today page or the follow-up's own page; why the rules
fired on a case or not; the Today page; the adviser's calendar feed. The lead's rule
pages are in rule_routes.py."""

from __future__ import annotations

from functools import partial

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hiddengems.access import PUBLIC, get_for, roles
from hiddengems.audit.services import record_view
from hiddengems.auth.models import User
from hiddengems.cases import lists
from hiddengems.cases.lists import adviser_choices
from hiddengems.cases.models import Case
from hiddengems.cases.routes import render_case_file
from hiddengems.cases.services import load_case
from hiddengems.extensions import db
from hiddengems.mail.services import public_url
from hiddengems.reminders import bp, explain, feed, queries, rule_routes, services
from hiddengems.reminders.forms import (
    SNOOZE_MESSAGES,
    DoneForm,
    FollowUpForm,
    ReassignFollowUpForm,
    ResetFeedForm,
    SnoozeForm,
)
from hiddengems.reminders.models import FollowUp
from hiddengems.timeutil import helsinki_today, utcnow
from hiddengems.ui.formatting import local_date as format_day

# The lead's rule pages live beside these, on the same blueprint.
__all__ = ["add", "done", "rule_routes"]


@bp.route("/<int:case_id>/follow-ups", methods=["POST"])
@roles("adviser")
def add(case_id: int):
    # With the case file's header values: the page may be shown again with the form's errors.
    case = get_for(Case, case_id, need="edit", load=lists.load_case_file)
    form = FollowUpForm(prefix="follow_up")
    if not form.validate_on_submit():
        return render_case_file(case, given={"follow_up_form": form})
    services.add_follow_up(
        case,
        actor=current_user,
        title=form.title.data,
        due_on=form.due_on.data,
        due_time=form.due_time.data,
        shared_with_spouse=form.shared_with_spouse.data,
    )
    db.session.commit()
    flash(_("Follow-up added."), "success")
    return redirect(url_for("cases.case_file", case_id=case.id))


# --- why the rules fired on a case or not ------------------------------------------------------


@bp.route("/<int:case_id>/reminders")
@roles("adviser")
def why(case_id: int):
    """Which rules fired on the case and what they made, which are due next, and why the
    others did not fire (explain.py): one click from the case file's follow-ups, whose
    every view would otherwise run the rules' one long statement for it."""
    case = get_for(Case, case_id, load=load_case)
    # What the case file showed of the rules, audited as its views are (audit.record_view).
    record_view("reminders.viewed", actor_id=current_user.id, object_type="case", object_id=case.id)
    return render_template("reminders/why.html", case=case, reminders=explain.case_reminders(case.id, utcnow()))


# --- one follow-up: its page, done, snoozed, given to another adviser -------------------------


def _follow_up(case_id: int, follow_up_id: int, need: str = "edit") -> FollowUp:
    load = partial(queries.load_follow_up, case_id=case_id)  # another case's follow-up: 404
    return get_for(FollowUp, follow_up_id, need=need, load=load)


def _back(form, follow_up: FollowUp):
    if form.back_to == "today":
        return redirect(url_for("reminders.today"))
    if form.back_to == "team":
        return redirect(url_for("reminders.today", view="team"))
    if form.back_to == "follow_up":
        return redirect(url_for("reminders.follow_up", case_id=follow_up.case_id, follow_up_id=follow_up.id))
    return redirect(url_for("cases.case_file", case_id=follow_up.case_id))


def _page(follow_up: FollowUp, **given):
    """The follow-up's page; forms posted back with their errors come in ``given``."""
    reassign = given.get("reassign_form") or ReassignFollowUpForm(
        formdata=None, prefix="give", data={"back": "follow_up"}
    )
    reassign.set_choices(adviser_choices())
    return render_template(
        "reminders/follow_up.html",
        follow_up=follow_up,
        done_form=given.get("done_form") or DoneForm(formdata=None, prefix="done", data={"back": "follow_up"}),
        asks_six_month=queries.asks_six_month_result(follow_up),
        snooze_form=given.get("snooze_form") or SnoozeForm(formdata=None, prefix="snooze", data={"back": "follow_up"}),
        reassign_form=reassign,
        today=helsinki_today(),
    )


@bp.route("/<int:case_id>/follow-ups/<int:follow_up_id>")
@roles("adviser")
def follow_up(case_id: int, follow_up_id: int):
    return _page(_follow_up(case_id, follow_up_id, need="view"))


@bp.route("/<int:case_id>/follow-ups/<int:follow_up_id>/done", methods=["POST"])
@roles("adviser")
def done(case_id: int, follow_up_id: int):
    follow_up = _follow_up(case_id, follow_up_id)
    form = DoneForm(prefix="done")
    if not form.validate_on_submit():
        return _page(follow_up, done_form=form)
    result = form.six_month_result.data if queries.asks_six_month_result(follow_up) else None
    if services.complete_follow_up(follow_up, actor=current_user, note=form.note.data, six_month_result=result):
        flash(_("Follow-up done."), "success")
    else:
        flash(_("This follow-up was already done or cancelled."), "info")
    db.session.commit()
    return _back(form, follow_up)


@bp.route("/<int:case_id>/follow-ups/<int:follow_up_id>/snooze", methods=["POST"])
@roles("adviser")
def snooze(case_id: int, follow_up_id: int):
    follow_up = _follow_up(case_id, follow_up_id)
    form = SnoozeForm(prefix="snooze", follow_up=follow_up)
    if not follow_up.is_open:
        flash(SNOOZE_MESSAGES["closed"], "info")
        return _page(follow_up)
    if not form.validate_on_submit():
        return _page(follow_up, snooze_form=form)
    until_on, until_time = form.until_on.data, form.until_time.data
    if services.snooze_follow_up(follow_up, actor=current_user, until_on=until_on, until_time=until_time):
        flash(_("Snoozed until %(day)s.", day=format_day(until_on)), "success")
    else:
        flash(_("It was snoozed to that already."), "info")
    db.session.commit()
    return _back(form, follow_up)


@bp.route("/<int:case_id>/follow-ups/<int:follow_up_id>/reassign", methods=["POST"])
@roles("adviser")
def reassign(case_id: int, follow_up_id: int):
    follow_up = _follow_up(case_id, follow_up_id)
    form = ReassignFollowUpForm(prefix="give")
    form.set_choices(adviser_choices())
    if not follow_up.is_open:
        flash(SNOOZE_MESSAGES["closed"], "info")
        return _page(follow_up)
    if not form.validate_on_submit():
        return _page(follow_up, reassign_form=form)
    target = db.session.get(User, form.adviser_id.data)
    if services.reassign_follow_up(follow_up, to=target, actor=current_user):
        flash(_("Follow-up given to %(name)s.", name=target.name), "success")
    else:
        flash(_("It is %(name)s's already.", name=target.name), "info")
    db.session.commit()
    return _back(form, follow_up)


# --- the Today page ----------------------------------------------------------------------------


def _day_names(groups: list[queries.TodayGroup]) -> dict:
    """Each day the page shows, formatted once: the rows share a few dozen days."""
    days = {day for group in groups for row in group.rows for day in (row.due_on, row.last_contact_on) if day}
    return {day: format_day(day) for day in days}


@bp.route("/today")
@roles("adviser")
def today():
    """Overdue, due today and the next days: the adviser's own, or a lead's whole team's."""
    team = current_user.is_lead and request.args.get("view") == "team"
    day = helsinki_today()
    groups = queries.today_groups(today=day, assignee_id=None if team else current_user.id)
    cases_href = url_for("cases.case_file", case_id=0).removesuffix("0")  # "/cases/", for every row
    return render_template(
        "reminders/today.html",
        groups=groups,
        team=team,
        days=_day_names(groups),
        cases_href=cases_href,
        count_cap=queries.TODAY_COUNT_CAP,
    )


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
