"""The intake queue with its triage, taking a case from it, and the registrations whose
intake is not sent yet (the spouse's draft: only what is safe to show)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hiddengems.access import roles
from hiddengems.cases import bp, lists, services
from hiddengems.cases.forms import ConfirmForm, QueueForm
from hiddengems.cases.models import Case
from hiddengems.extensions import db
from hiddengems.orgs.queries import organisation_choices
from hiddengems.timeutil import utcnow
from hiddengems.ui.inputs import parse_id
from hiddengems.ui.paging import Page, page_arg


def _paginate(query: lists.CaseQuery) -> Page:
    return lists.paginate(query, page=page_arg(), per_page=current_app.config["PAGE_SIZE"])


@bp.route("/queue")
@roles("adviser")
def queue():
    """The intake queue with what decides who should take each case (lists/triage.py)."""
    filters = lists.queue_filters()
    form = QueueForm.with_filters(filters, request.args, organisation_choices(include_inactive=True))
    conditions = tuple(f.clause(form.value(f.name)) for f in filters if form.value(f.name))
    organisation_id = parse_id(form.value("organisation_id")) if form.value("organisation_id") else None
    page = _paginate(lists.intake_queue(organisation_id=organisation_id, conditions=conditions))
    ids = [c.id for c in page.items]
    facts = [(f, f.load(ids)) for f in lists.queue_facts()]
    return render_template(
        "cases/queue.html",
        page=page,
        form=form,
        filter_names=[f.name for f in filters],
        facts=facts,
        take_form=ConfirmForm(formdata=None),
        now=utcnow(),
    )


@bp.route("/<int:case_id>/take", methods=["POST"])
@roles("adviser")
def take(case_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    result = services.take_case(case_id, actor=current_user)
    if result.holder is None and not result.taken and db.session.get(Case, case_id) is None:
        abort(404)
    db.session.commit()
    if result.taken:
        flash(_("The case is yours now."), "success")
        return redirect(url_for("cases.case_file", case_id=case_id))
    if result.holder is not None and result.holder.id == current_user.id:
        flash(_("This case is already yours."), "info")
        return redirect(url_for("cases.case_file", case_id=case_id))
    if result.holder is not None:
        flash(_("Already taken by %(name)s.", name=result.holder.name), "warning")
    else:
        flash(_("This case is no longer in the queue."), "warning")
    return redirect(url_for("cases.queue"))


@bp.route("/registered")
@roles("adviser")
def registered():
    """Registrations whose intake is not sent yet: how many, from where, how long waiting."""
    page = lists.registered_waiting(page=page_arg(), per_page=current_app.config["PAGE_SIZE"])
    return render_template("cases/registered.html", page=page, now=utcnow())
