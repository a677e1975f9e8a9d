"""The employer directory (advisers keep it): search, an employer's page with its contacts
and openings, adding and editing, merging a duplicate; an opening's page and form."""

from __future__ import annotations

from types import SimpleNamespace

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hiddengems.access import get_for, roles
from hiddengems.cases.models import Case
from hiddengems.cases.services import load_case, spouse_case
from hiddengems.employers import bp, matching, queries, services
from hiddengems.employers.forms import (
    PROBLEMS,
    ButtonForm,
    ConsideredForm,
    ContactForm,
    DirectoryForm,
    EmployerForm,
    MatchFilterForm,
    MergeForm,
    OpeningForm,
)
from hiddengems.employers.models import Employer, EmployerContact, Opening
from hiddengems.employers.services import EmployerError
from hiddengems.extensions import db
from hiddengems.orgs.queries import organisation_choices
from hiddengems.timeutil import helsinki_today
from hiddengems.training.queries import skills_from_lines, spouse_levels
from hiddengems.ui.paging import page_arg
from hiddengems.ui.panels import load_panels


@bp.route("")
@roles("adviser")
def directory():
    form = DirectoryForm(request.args)
    page = queries.directory(form.filters(), page=page_arg(), per_page=current_app.config["PAGE_SIZE"])
    return render_template("employers/directory.html", page=page, form=form)


@bp.route("/new", methods=["GET", "POST"])
@roles("adviser")
def new_employer():
    form = EmployerForm(formdata=request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        try:
            employer = services.create_employer(form.values(), actor=current_user)
        except EmployerError as refused:
            db.session.rollback()
            form.show_error(refused.field, refused.code)
        else:
            db.session.commit()
            flash(_("Employer added."), "success")
            return redirect(url_for("employers.employer", employer_id=employer.id))
    return render_template("employers/employer_form.html", form=form, employer=None)


@bp.route("/<int:employer_id>/edit", methods=["GET", "POST"])
@roles("adviser")
def edit_employer(employer_id: int):
    employer = get_for(Employer, employer_id, need="edit")
    form = EmployerForm(obj=None if request.method == "POST" else employer)
    if form.validate_on_submit():
        try:
            services.update_employer(employer, form.values(), actor=current_user)
        except EmployerError as refused:
            db.session.rollback()
            form.show_error(refused.field, refused.code)
        else:
            db.session.commit()
            flash(_("Employer saved."), "success")
            return redirect(url_for("employers.employer", employer_id=employer_id))
    return render_template("employers/employer_form.html", form=form, employer=employer)


@bp.route("/<int:employer_id>")
@roles("adviser")
def employer(employer_id: int):
    employer = get_for(Employer, employer_id, load=queries.load_employer)
    return _employer_page(employer, ContactForm(formdata=None), MergeForm(formdata=None))


def _employer_page(employer: Employer, contact_form: ContactForm, merge_form: MergeForm, status: int = 200):
    page = render_template(
        "employers/employer.html",
        employer=employer,
        openings=queries.openings_of(employer.id),
        panels=load_panels("employer", employer=employer, user=current_user),
        contact_form=contact_form,
        merge_form=merge_form,
        button=ButtonForm(formdata=None),
    )
    return page, status


@bp.route("/<int:employer_id>/contacts", methods=["POST"])
@roles("adviser")
def add_contact(employer_id: int):
    employer = get_for(Employer, employer_id, need="edit", load=queries.load_employer)
    form = ContactForm()
    if not form.validate_on_submit():
        return _employer_page(employer, form, MergeForm(formdata=None), 422)
    services.add_contact(employer, form.values(), actor=current_user)
    db.session.commit()
    flash(_("Contact added."), "success")
    return redirect(url_for("employers.employer", employer_id=employer_id))


@bp.route("/contacts/<int:contact_id>/remove", methods=["POST"])
@roles("adviser")
def remove_contact(contact_id: int):
    contact = get_for(EmployerContact, contact_id, need="edit")
    if not ButtonForm().validate_on_submit():
        abort(400)
    if services.remove_contact(contact, actor=current_user):
        db.session.commit()
        flash(_("Contact removed."), "success")
    return redirect(url_for("employers.employer", employer_id=contact.employer_id))


@bp.route("/<int:employer_id>/merge", methods=["POST"])
@roles("adviser")
def merge(employer_id: int):
    duplicate = get_for(Employer, employer_id, need="edit", load=queries.load_employer)
    form = MergeForm()
    keeper = queries.find_employer(form.into.data or "") if form.validate_on_submit() else None
    if keeper is None and not form.into.errors:
        form.into.errors = [_("No employer in the directory has this business ID or number.")]
    if keeper is not None:
        try:
            services.merge_employers(duplicate, get_for(Employer, keeper, need="edit"), actor=current_user)
        except EmployerError as refused:
            db.session.rollback()
            form.into.errors = [str(PROBLEMS.get(refused.code, refused.code))]
        else:
            db.session.commit()
            flash(_("Merged: its contacts and openings are now here."), "success")
            return redirect(url_for("employers.employer", employer_id=keeper))
    return _employer_page(duplicate, ContactForm(formdata=None), form, 422)


# --- openings ----------------------------------------------------------------------------------


@bp.route("/<int:employer_id>/openings/new", methods=["GET", "POST"])
@roles("adviser")
def new_opening(employer_id: int):
    employer = get_for(Employer, employer_id, need="edit")
    form = OpeningForm(formdata=request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        opening = _save_opening(form, employer=employer)
        if opening is not None:
            db.session.commit()
            flash(_("Opening added."), "success")
            return redirect(url_for("employers.opening", opening_id=opening.id))
    return render_template("employers/opening_form.html", form=form, employer=employer, opening=None)


@bp.route("/openings/<int:opening_id>/edit", methods=["GET", "POST"])
@roles("adviser")
def edit_opening(opening_id: int):
    opening = get_for(Opening, opening_id, need="edit", load=queries.load_opening)
    form = OpeningForm(obj=None if request.method == "POST" else _opening_values(opening))
    if form.validate_on_submit() and _save_opening(form, opening=opening) is not None:
        db.session.commit()
        flash(_("Opening saved."), "success")
        return redirect(url_for("employers.opening", opening_id=opening_id))
    return render_template("employers/opening_form.html", form=form, employer=opening.employer, opening=opening)


def _save_opening(form: OpeningForm, *, employer: Employer | None = None, opening: Opening | None = None):
    """The opening created or changed, or None with the messages beside the fields."""
    essential, unknown = skills_from_lines(form.essential_lines())
    nice, unknown_nice = skills_from_lines(form.nice_lines())
    occupation = (form.occupation.data or "").strip()
    occupation_id = queries.occupation_by_name(occupation) if occupation else None
    if unknown or unknown_nice or (occupation and occupation_id is None):
        for field, names in ((form.essential_skills, unknown), (form.nice_skills, unknown_nice)):
            if names:
                field.errors = [_("Not in the taxonomy: %(names)s", names=", ".join(names))]
        if occupation and occupation_id is None:
            form.occupation.errors = [str(PROBLEMS["unknown_occupation"])]
        return None
    data = {**form.values(), "occupation_id": occupation_id}
    try:
        if opening is None:
            return services.create_opening(employer, data, essential=essential, nice=nice, actor=current_user)
        return services.update_opening(opening, data, essential=essential, nice=nice, actor=current_user)
    except EmployerError as refused:
        db.session.rollback()
        form.show_error(refused.field, refused.code)
        return None


def _opening_values(opening: Opening) -> SimpleNamespace:
    values = SimpleNamespace(**{name: getattr(opening, name) for name in services.OPENING_FIELDS})
    values.min_finnish, values.min_english = opening.min_finnish or "", opening.min_english or ""
    values.occupation = opening.occupation.preferred_label if opening.occupation else ""
    values.essential_skills = "\n".join(s.skill.preferred_label for s in opening.skills if s.essential)
    values.nice_skills = "\n".join(s.skill.preferred_label for s in opening.skills if not s.essential)
    return values


@bp.route("/openings/<int:opening_id>")
@roles("adviser")
def opening(opening_id: int):
    opening = get_for(Opening, opening_id, load=queries.load_opening)
    return render_template("employers/opening.html", opening=opening)


# --- matching ------------------------------------------------------------------------------------


@bp.route("/openings/<int:opening_id>/matches")
@roles("adviser")
def opening_matches(opening_id: int):
    opening = get_for(Opening, opening_id, load=queries.load_opening)
    form = MatchFilterForm(request.args, organisations=organisation_choices())
    organisation_id, stage = form.filters()
    found = matching.spouses_for(opening, today=helsinki_today(), organisation_id=organisation_id, stage=stage)
    return render_template(
        "employers/opening_matches.html", opening=opening, found=found, form=form, explain=matching.explain
    )


@bp.route("/cases/<int:case_id>/openings")
@roles("adviser")
def case_matches(case_id: int):
    case = get_for(Case, case_id, load=load_case)
    found = matching.openings_for(case.id, today=helsinki_today(), levels=spouse_levels(case.id))
    considered = matching.is_considered(case.id)
    return render_template(
        "employers/case_matches.html", case=case, found=found, considered=considered, explain=matching.explain
    )


@bp.route("/considered", methods=["GET", "POST"])
@roles("spouse")
def considered():
    case = spouse_case(current_user)
    if case is None:
        abort(404)
    form = ConsideredForm(formdata=request.form if request.method == "POST" else None)
    if request.method == "GET":
        form.considered.data = matching.is_considered(case.id)
    elif form.validate_on_submit():
        matching.set_considered(case, bool(form.considered.data), actor=current_user)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("employers.considered"))
    return render_template("employers/considered.html", form=form)
