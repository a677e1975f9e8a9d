"""The lead's team pages, on the cases blueprint: the workload per adviser, and giving
every case the lead's list matches to one adviser (the ticked ones go through
routes.reassign)."""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from hiddengems.access import roles
from hiddengems.auth.models import User
from hiddengems.cases import bp, lists, services
from hiddengems.cases.forms import LIST_ARGS, CaseListForm, ReassignMatchingForm
from hiddengems.cases.lists import workload
from hiddengems.cases.lists.columns import QUIET_DAYS
from hiddengems.extensions import db
from hiddengems.timeutil import helsinki_today
from hiddengems.ui import search

# Each case moved is an audit row: more than this is a filter to narrow, not one click.
MAX_MATCHING = 1000


@bp.route("/team")
@roles("lead")
def team():
    rows, unassigned = workload.team_workload(helsinki_today())
    return render_template(
        "cases/team.html",
        rows=rows,
        unassigned=unassigned,
        total=workload.totals(rows, unassigned),
        quiet_days=QUIET_DAYS,
    )


def _list_args(back: str | None) -> dict[str, str]:
    """The lead's list's own arguments from the form's ``back`` (never a host or a path)."""
    return {k: v for k, v in parse_qsl(back or "") if k in (*LIST_ARGS, "page") and k != "q"}


def _matching(back: str | None) -> tuple[list[int], lists.CaseFilters]:
    """The open cases the lead's list matches with these filters and the search kept for
    it, and the filters as applied (a value the list refuses is left out, as on the list)."""
    args = _list_args(back)
    args.pop("page", None)
    form = CaseListForm(MultiDict(args), q=search.current("cases.all_cases"))
    filters = form.to_filters("opened")
    query = lists.case_list(filters, with_adviser=True)
    return workload.matching_ids(query.keys, limit=MAX_MATCHING), filters


def _refuse(form: ReassignMatchingForm, back: str):
    for errors in form.errors.values():
        for message in errors:
            flash(message, "danger")
    return redirect(back)


@bp.route("/reassign/matching", methods=["POST"])
@roles("lead")
def reassign_matching():
    """Asked first with the count and the adviser named; done only when confirmed on the
    same cases (their digest): if the list changed meanwhile, asked again."""
    form = ReassignMatchingForm()
    advisers = lists.adviser_choices()
    form.set_choices(advisers)
    back = url_for("cases.all_cases", **_list_args(form.back.data))
    if not form.validate_on_submit():
        return _refuse(form, back)
    ids, filters = _matching(form.back.data)
    if not ids or len(ids) > MAX_MATCHING:
        message = _("No open case matches the filter.") if not ids else None
        flash(message or _("More than %(n)d cases match: narrow the filter first.", n=MAX_MATCHING), "warning")
        return redirect(back)
    target = db.session.get(User, form.adviser_id.data)
    digest = workload.digest(ids)
    if not form.confirm.data or form.digest.data != digest:
        changed = bool(form.digest.data) and form.digest.data != digest
        form.digest.data = digest
        shown = {"form": form, "n": len(ids), "target": target, "back": back, "changed": changed}
        names = {str(a.id): a.name for a in advisers}
        page = render_template("cases/reassign_matching.html", filters=filters, adviser_names=names, **shown)
        return page, 409 if changed else 200
    moved = services.reassign_cases(ids, to=target, actor=current_user)
    db.session.commit()
    flash(_("%(n)d case(s) given to %(name)s.", n=len(moved), name=target.name), "success" if moved else "info")
    return redirect(back)
