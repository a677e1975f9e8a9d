"""The adviser's side of a case: caseload, intake queue, case file; the lead's all cases."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from hiddengems.access import get_for, roles
from hiddengems.audit.services import record_view
from hiddengems.auth.models import User
from hiddengems.cases import bp, lead_routes, lists, queue_routes, services, timeline
from hiddengems.cases.forms import (
    LIST_ARGS,
    START_MESSAGES,
    ActivityForm,
    CaseListForm,
    CloseForm,
    CorrectionForm,
    ReassignForm,
    ReopenForm,
    StageForm,
    default_occurred_at,
)
from hiddengems.cases.models import Case
from hiddengems.extensions import db
from hiddengems.orgs.queries import organisation_choices
from hiddengems.timeutil import helsinki_today, utcnow
from hiddengems.ui import search
from hiddengems.ui.fragments import form_html
from hiddengems.ui.paging import Page, page_arg
from hiddengems.ui.panels import load_panels
from hiddengems.ui.widgets import CachedOptionsSelect
from hiddengems.ui.words import lazy_gettext as _l

TIMELINE_FILTER_LABELS = {
    "note": _l("Notes"),
    "meeting": _l("Meetings"),
    "call": _l("Calls"),
    "email": _l("E-mails"),
    "stage": _l("Stage changes"),
}
CLOSE_MESSAGES = {**START_MESSAGES, "needed": _l("Needed when the outcome is employment.")}
# The intake queue, taking a case and the registrations not yet sent; the lead's team pages:
# views on this blueprint too.
__all__ = ["lead_routes", "queue_routes"]


def _case_href() -> str:
    """The case file's URL without the id at its end, for lists that link every row: built
    once per page, as url_for for each row cost more than the rest of the row."""
    prefix, _slash, last = url_for("cases.case_file", case_id=0).rpartition("/")
    assert last == "0", "the case id is no longer the URL's last segment"
    return f"{prefix}/"


# The columns both lists sort by, in order (the lead's list adds the adviser's).
SORT_HEADERS = (
    (_l("Name"), "name"),
    (_l("Organisation"), "organisation"),
    (_l("Adviser"), "adviser"),
    (_l("Stage"), "stage"),
    (_l("Days in stage"), "days"),
    (_l("Last contact"), "last_contact"),
    (_l("Next follow-up"), "next_due"),
)


def _sort_headers(filters: lists.CaseFilters, endpoint: str, *, lead: bool) -> list[tuple[str, str, bool]]:
    """(label, link, active) of each column header: the list sorted by it (again: the other
    way round), on its first page, with the other arguments kept. The query strings are
    written as url_for writes them, after one url_for for the path: one per header cost
    more than the rest of the header."""
    path = url_for(endpoint)
    kept = request.args.to_dict()
    kept.pop("page", None)
    headers = []
    for label, key in SORT_HEADERS:
        if key == "adviser" and not lead:
            continue
        active = filters.sort == key
        args = {**kept, "sort": key, "desc": ("" if filters.desc else "1") if active else ""}
        headers.append((str(label), f"{path}?{urlencode(list(args.items()), safe=URL_SAFE)}", active))
    return headers


# What werkzeug leaves unquoted in query strings (werkzeug.urls._urlencode).
URL_SAFE = "!$'()*,/:;?@"


def _page() -> int:
    return page_arg()


def _filters(form: CaseListForm, default_sort: str) -> lists.CaseFilters:
    return form.to_filters(default_sort)


def _paginate(query: lists.CaseQuery) -> Page:
    return lists.paginate(query, page=_page(), per_page=current_app.config["PAGE_SIZE"])


def _list_page(template: str, query, form: CaseListForm, filters: lists.CaseFilters, **extra) -> str:
    page = _paginate(query)
    lead = request.endpoint == "cases.all_cases"
    return render_template(
        template,
        page=page,
        form=form,
        filters=filters,
        headers=_sort_headers(filters, request.endpoint, lead=lead),
        case_href=_case_href(),
        now=utcnow(),
        today=helsinki_today(),
        **extra,
    )


@bp.route("/", methods=["GET", "POST"])
@roles("adviser")
def caseload_list():
    if request.method == "POST":
        return search.remember()
    form = CaseListForm(search.list_args(), q=search.current())
    form.set_choices(organisation_choices(include_inactive=True))
    filters = _filters(form, "next_due")
    query = lists.case_list(filters, adviser_id=current_user.id)
    return _list_page("cases/caseload.html", query, form, filters)


@bp.route("/all", methods=["GET", "POST"])
@roles("lead")
def all_cases():
    if request.method == "POST":
        return search.remember()
    advisers = lists.adviser_choices()
    form = CaseListForm(search.list_args(), q=search.current())
    form.set_choices(organisation_choices(include_inactive=True), advisers)
    form.adviser.widget = CachedOptionsSelect()
    filters = _filters(form, "opened")
    if "sort" not in request.args:
        filters.desc = True  # newest cases first
    query = lists.case_list(filters, with_adviser=True)
    reassign = ReassignForm(formdata=None, back=request.query_string.decode("ascii", "ignore"))
    reassign.set_choices(advisers)
    reassign.adviser_id.widget = CachedOptionsSelect()
    return _list_page(
        "cases/all_cases.html",
        query,
        form,
        filters,
        reassign=reassign,
        orphaned=services.cases_needing_reassignment(),
    )


def _back_after_reassign(back: str | None, case_ids: list[int]) -> str:
    if back == "case" and len(case_ids) == 1:
        return url_for("cases.case_file", case_id=case_ids[0])
    # Only our own filters go back into the URL: never a host or a path from the form.
    args = dict(parse_qsl(back or ""))
    return url_for("cases.all_cases", **{k: v for k, v in args.items() if k in (*LIST_ARGS, "page")})


@bp.route("/reassign", methods=["POST"])
@roles("lead")
def reassign():
    form = ReassignForm()
    form.set_choices(lists.adviser_choices())
    if form.validate_on_submit():
        target = db.session.get(User, form.adviser_id.data)
        moved = services.reassign_cases(form.case_id.data, to=target, actor=current_user)
        db.session.commit()
        flash(
            _("%(n)d case(s) given to %(name)s.", n=len(moved), name=target.name),
            "success" if moved else "info",
        )
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(message, "danger")
    return redirect(_back_after_reassign(form.back.data, form.case_id.data or []))


# --- the case file ---------------------------------------------------------------------------


def _case_for(case_id: int, *, edit: bool = False) -> Case:
    return get_for(Case, case_id, need="edit" if edit else "view", load=lists.load_case_file)


def _timeline_kind() -> str:
    kind = request.args.get("kind", "")
    return kind if kind in timeline.TIMELINE_FILTERS else ""


def render_case_file(case: Case, *, status: int = 200, conflict: bool = False, given: dict | None = None):
    """The case file: its header, timeline and the form to add to it are this domain's;
    the rest (the stage, follow-ups, the profile …) are the panels domains register.
    Forms posted back with their errors come in ``given``, by name; the others start
    fresh from the case."""
    given = given or {}
    can_edit = case.can_edit(current_user)
    activity_form, activity_html = given.get("activity_form"), None
    if can_edit:
        # An empty form proposes the current minute: kept per minute (ui/fragments.py).
        minute = default_occurred_at()
        activity_html = form_html(
            "cases/_activity_fields.html",
            activity_form,
            lambda: ActivityForm(formdata=None, prefix="activity", data={"occurred_at": minute}),
            minute,
        )
    now, today = utcnow(), helsinki_today()
    panels = load_panels(
        "case_file", case=case, user=current_user, can_edit=can_edit, given=given, now=now, today=today
    )
    kind = _timeline_kind()
    html = render_template(
        "cases/case_file.html",
        case=case,
        timeline=timeline.timeline(case.id, page=_page(), only=kind or None),
        timeline_kind=kind,
        timeline_filters=TIMELINE_FILTER_LABELS.items(),
        correct_href=url_for("cases.correct_activity", case_id=case.id, activity_id=0).removesuffix("/0/edit"),
        activity_html=activity_html,
        activity_open=bool(activity_form is not None and activity_form.errors),
        panels=panels,
        can_edit=can_edit,
        conflict=conflict,
        now=now,
        today=today,
    )
    return html, status


@bp.route("/<int:case_id>")
@roles("adviser")
def case_file(case_id: int):
    case = _case_for(case_id)
    # A read page: its audit row is committed before the page leaves (audit.record_view),
    # without holding the page's reads behind SQLite's write lock.
    record_view("case.viewed", actor_id=current_user.id, object_type="case", object_id=case.id)
    return render_case_file(case)


def _conflict(case_id: int, form, name: str) -> ResponseReturnValue:
    """Someone saved the case first: keep what was typed, show the case as it is now."""
    db.session.rollback()
    case = _case_for(case_id, edit=True)
    form.renew_version(case.version)
    return render_case_file(case, status=409, conflict=True, given={name: form})


@bp.route("/<int:case_id>/activities", methods=["POST"])
@roles("adviser")
def add_activity(case_id: int):
    case = _case_for(case_id, edit=True)
    form = ActivityForm(prefix="activity", opened_at=case.created_at)
    if not form.validate_on_submit():
        return render_case_file(case, given={"activity_form": form})
    timeline.add_activity(
        case,
        actor=current_user,
        kind=form.kind.data,
        occurred_at=form.occurred_at_utc,
        text=form.text.data,
        duration_minutes=form.duration_minutes.data,
        shared_with_spouse=form.shared_with_spouse.data,
    )
    db.session.commit()
    flash(_("Added to the timeline."), "success")
    return redirect(url_for("cases.case_file", case_id=case.id))


@bp.route("/<int:case_id>/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@roles("adviser")
def correct_activity(case_id: int, activity_id: int):
    """The author corrects their own entry; the text it replaces is kept as a revision."""
    case = _case_for(case_id, edit=True)
    try:
        activity = timeline.entry_to_correct(case, activity_id, actor=current_user)
    except timeline.CorrectionRefused as refused:
        abort(404 if refused.reason == "missing" else 403)
    form = CorrectionForm(data={"text": activity.text})
    if form.validate_on_submit():
        timeline.correct_activity(case, activity.id, actor=current_user, text=form.text.data)
        db.session.commit()
        flash(_("Your correction is saved; the earlier text is kept."), "success")
        return redirect(url_for("cases.case_file", case_id=case.id))
    return render_template(
        "cases/correct.html", case=case, activity=activity, form=form, revisions=timeline.revisions(activity.id)
    )


@bp.route("/<int:case_id>/stage", methods=["POST"])
@roles("adviser")
def change_stage(case_id: int):
    case = _case_for(case_id, edit=True)
    form = StageForm(prefix="stage")
    if not form.validate_on_submit():
        return render_case_file(case, given={"stage_form": form})
    try:
        services.set_stage(
            case, form.stage.data, actor=current_user, reason=form.reason.data, version=form.version.data
        )
    except services.CaseConflict:
        return _conflict(case_id, form, "stage_form")
    except services.StageRefused as refused:
        if refused.reason == "closed":
            flash(_("The case is closed: reopen it first."), "warning")
            return redirect(url_for("cases.case_file", case_id=case.id))
        form.stage.errors.append(_("The case is already at this stage."))
        return render_case_file(case, given={"stage_form": form})
    db.session.commit()
    flash(_("Stage changed."), "success")
    return redirect(url_for("cases.case_file", case_id=case.id))


def _close_page(case: Case, form: CloseForm, *, status: int = 200, conflict: bool = False) -> ResponseReturnValue:
    """The form, and what closing will cancel: the planned meetings and (panels) the open follow-ups."""
    now, today = utcnow(), helsinki_today()
    html = render_template(
        "cases/close.html",
        case=case,
        form=form,
        conflict=conflict,
        meetings=timeline.upcoming_meetings(case.id, now=now),
        panels=load_panels("case_close", case=case, today=today),
    )
    return html, status


@bp.route("/<int:case_id>/close", methods=["GET", "POST"])
@roles("adviser")
def close(case_id: int):
    """Closing asks for more than the case file has room for: its own page."""
    case = _case_for(case_id, edit=True)
    if not case.is_open:
        flash(_("The case is already closed."), "info")
        return redirect(url_for("cases.case_file", case_id=case.id))
    form = CloseForm(prefix="close", opened_on=case.created_at.date())
    if request.method == "GET":
        form.process(request.args)  # prefilled by a link (an introduction that ended in "hired")
        form.version.data = case.version
        record_view("case.viewed", actor_id=current_user.id, object_type="case", object_id=case.id)
        return _close_page(case, form)
    if not form.validate_on_submit():
        return _close_page(case, form)
    try:
        services.close_case(case, actor=current_user, version=form.version.data, **form.outcome_data())
    except services.CaseConflict:
        db.session.rollback()
        case = _case_for(case_id, edit=True)
        form.renew_version(case.version)
        return _close_page(case, form, status=409, conflict=True)
    except services.CloseRefused as refused:  # the form checks the same rules first
        db.session.rollback()
        form[refused.field].errors.append(CLOSE_MESSAGES.get(refused.reason, CLOSE_MESSAGES["needed"]))
        return _close_page(_case_for(case_id, edit=True), form)
    db.session.commit()
    flash(_("Case closed."), "success")
    return redirect(url_for("cases.case_file", case_id=case.id))


@bp.route("/<int:case_id>/reopen", methods=["POST"])
@roles("adviser")
def reopen(case_id: int):
    case = _case_for(case_id, edit=True)
    form = ReopenForm(prefix="reopen")
    if not form.validate_on_submit():
        return render_case_file(case, given={"reopen_form": form})
    try:
        services.reopen_case(
            case, actor=current_user, to_stage=form.stage.data, reason=form.reason.data, version=form.version.data
        )
    except services.CaseConflict:
        return _conflict(case_id, form, "reopen_form")
    except ValueError:
        flash(_("The case is open already."), "warning")
        return redirect(url_for("cases.case_file", case_id=case.id))
    db.session.commit()
    flash(_("Case reopened."), "success")
    return redirect(url_for("cases.case_file", case_id=case.id))
