"""The catalogue (advisers keep it, spouses browse it), a programme's page, applying and
withdrawing, the iCalendar export; the participant list and its actions; recommendations."""

from __future__ import annotations

from types import SimpleNamespace

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hiddengems.access import get_for, roles
from hiddengems.cases import services as cases
from hiddengems.cases.models import Case
from hiddengems.cases.services import load_case
from hiddengems.extensions import db
from hiddengems.mail.services import public_url
from hiddengems.timeutil import helsinki_today
from hiddengems.training import bp, exports, queries, services
from hiddengems.training import recommendations as ranked
from hiddengems.training.forms import (
    AttendanceForm,
    ButtonForm,
    CatalogueForm,
    CompleteForm,
    EndForm,
    ProgrammeForm,
    RecommendForm,
)
from hiddengems.training.labels import AVAILABILITY_LABELS
from hiddengems.training.models import Enrolment, Programme
from hiddengems.training.services import TrainingError
from hiddengems.ui.inputs import parse_id
from hiddengems.ui.paging import page_arg
from hiddengems.ui.words import lazy_gettext as _l
from hiddengems.vocab import language_name

MESSAGES = {
    "closed": _l("This programme is not open for sign-up."),
    "case_closed": _l("Your case is closed: contact the programme to reopen it before applying."),
    "already": _l("You have already applied to this programme."),
    "finished": _l("This enrolment has already ended."),
    "not_applied": _l("Only an application waiting for confirmation can be confirmed."),
    "not_enrolled": _l("Only someone enrolled can complete it or have attendance recorded."),
    "not_yet": _l("Attendance is recorded once the programme has started."),
}


@bp.route("/programmes")
@roles("spouse", "adviser")
def catalogue():
    form = CatalogueForm(request.args)
    filters = form.filters(may_see_past=current_user.role == "adviser")
    today, spouse = helsinki_today(), current_user.role == "spouse"
    page = queries.catalogue(
        filters, today=today, spouse=spouse, page=page_arg(), per_page=current_app.config["PAGE_SIZE"]
    )
    return render_template(
        "training/catalogue.html", page=page, form=form, today=today, availability=AVAILABILITY_LABELS
    )


@bp.route("/programmes/new", methods=["GET", "POST"])
@roles("adviser")
def new_programme():
    form = ProgrammeForm(formdata=request.form if request.method == "POST" else None, language="en")
    if form.validate_on_submit():
        skill_ids, unknown = queries.skills_from_lines(form.skill_lines())
        if unknown:
            form.skills.errors = [_("Not in the taxonomy: %(names)s", names=", ".join(unknown))]
        else:
            programme = services.create_programme(form.values(), skill_ids=skill_ids, actor=current_user)
            db.session.commit()
            flash(_("Programme added."), "success")
            return redirect(url_for("training.programme", programme_id=programme.id))
    return render_template("training/programme_form.html", form=form, programme=None)


@bp.route("/programmes/<int:programme_id>/edit", methods=["GET", "POST"])
@roles("adviser")
def edit_programme(programme_id: int):
    programme = get_for(Programme, programme_id, need="edit", load=queries.load_programme)
    form = ProgrammeForm(obj=None if request.method == "POST" else _form_values(programme), enrolled=programme.enrolled)
    if form.validate_on_submit():
        skill_ids, unknown = queries.skills_from_lines(form.skill_lines())
        if unknown:
            form.skills.errors = [_("Not in the taxonomy: %(names)s", names=", ".join(unknown))]
        else:
            try:
                services.update_programme(programme, form.values(), skill_ids=skill_ids, actor=current_user)
            except TrainingError as refused:
                db.session.rollback()
                form.show_error(refused.field, refused.code)
            else:
                db.session.commit()
                flash(_("Programme saved."), "success")
                return redirect(url_for("training.programme", programme_id=programme_id))
    return render_template("training/programme_form.html", form=form, programme=programme)


def _form_values(programme: Programme) -> SimpleNamespace:
    values = SimpleNamespace()
    for name in services.FIELDS:
        setattr(values, name, getattr(programme, name))
    values.min_finnish, values.min_english = programme.min_finnish or "", programme.min_english or ""
    values.cost = programme.cost_cents / 100
    values.skills = "\n".join(skill.preferred_label for skill in programme.skills)
    return values


@bp.route("/programmes/<int:programme_id>/copy", methods=["POST"])
@roles("adviser")
def copy_programme(programme_id: int):
    programme = get_for(Programme, programme_id, need="edit")
    if not ButtonForm().validate_on_submit():
        abort(400)
    copy = services.copy_programme(programme, actor=current_user)
    db.session.commit()
    flash(_("Copied as the next round: set its dates and open it for sign-up."), "success")
    return redirect(url_for("training.edit_programme", programme_id=copy.id))


@bp.route("/programmes/<int:programme_id>")
@roles("spouse", "adviser")
def programme(programme_id: int):
    programme = get_for(Programme, programme_id, load=queries.load_programme)
    today, mine, warnings, recommend_form = helsinki_today(), None, [], None
    if current_user.role == "spouse":
        case = cases.spouse_case(current_user)
        mine = queries.enrolment_of(case.id, programme.id) if case else None
        warnings = queries.language_shortfalls(programme, queries.spouse_levels(case.id)) if case else []
    else:
        recommend_form = RecommendForm(formdata=None)
        recommend_form.case_id.choices = [("", _("— choose —")), *queries.caseload_choices(current_user.id)]
    return render_template(
        "training/programme.html",
        programme=programme,
        today=today,
        mine=mine,
        place=queries.waitlist_place(mine) if mine else None,
        waitlist=queries.waitlist_length(programme.id),
        warnings=warnings,
        recommend_form=recommend_form,
        availability=AVAILABILITY_LABELS,
    )


@bp.route("/programmes/<int:programme_id>/apply", methods=["POST"])
@roles("spouse")
def apply(programme_id: int):
    programme = get_for(Programme, programme_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    case = cases.spouse_case(current_user)
    try:
        enrolment = services.apply(case, programme, actor=current_user)
    except TrainingError as refused:
        db.session.rollback()
        flash(str(MESSAGES.get(refused.code, refused.code)), "warning")
    else:
        db.session.commit()
        flash(str(_APPLIED[enrolment.status]), "success")
    return redirect(url_for("training.programme", programme_id=programme_id))


_APPLIED = {
    "applied": _l("Application sent: your adviser will confirm it."),
    "enrolled": _l("You are enrolled."),
    "waitlisted": _l("The programme is full: you are on the waitlist, and we will e-mail you if a place frees."),
}


@bp.route("/programmes/<int:programme_id>/withdraw", methods=["POST"])
@roles("spouse")
def withdraw(programme_id: int):
    get_for(Programme, programme_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    case = cases.spouse_case(current_user)
    enrolment = queries.enrolment_of(case.id, programme_id) if case else None
    if enrolment is None or enrolment.status not in ("applied", "enrolled", "waitlisted"):
        flash(_("You are not taking part in this programme."), "info")
        return redirect(url_for("training.programme", programme_id=programme_id))
    services.end(enrolment, "dropped", actor=current_user)
    db.session.commit()
    flash(_("You have withdrawn from the programme."), "success")
    return redirect(url_for("training.programme", programme_id=programme_id))


@bp.route("/programmes/<int:programme_id>/calendar.ics")
@roles("spouse", "adviser")
def calendar(programme_id: int):
    programme = get_for(Programme, programme_id)
    if programme.starts_on is None:
        abort(404)  # an ongoing programme without dates has nothing to put in a calendar
    body = exports.programme_calendar(programme, url=public_url("training.programme", programme_id=programme.id))
    headers = {"Content-Disposition": f'attachment; filename="programme-{programme.id}.ics"'}
    return Response(body, mimetype="text/calendar", headers=headers)


# --- the participant list and what advisers record on it -------------------------------------


@bp.route("/programmes/<int:programme_id>/participants")
@roles("adviser")
def participants(programme_id: int):
    programme = get_for(Programme, programme_id)
    return render_template(
        "training/participants.html",
        programme=programme,
        people=queries.participants(programme.id),
        waitlist=queries.waitlist_length(programme.id),
        today=helsinki_today(),
        complete_form=CompleteForm(formdata=None),
        end_form=EndForm(formdata=None),
        attendance_form=AttendanceForm(formdata=None),
    )


@bp.route("/programmes/<int:programme_id>/participants.csv")
@roles("adviser")
def participants_csv(programme_id: int):
    programme = get_for(Programme, programme_id)
    body = exports.participants_csv(programme, queries.participants(programme.id))
    headers = {"Content-Disposition": f'attachment; filename="participants-{programme.id}.csv"'}
    return Response(body, mimetype="text/csv", headers=headers)


@bp.route("/programmes/<int:programme_id>/recommend", methods=["POST"])
@roles("adviser")
def recommend(programme_id: int):
    programme = get_for(Programme, programme_id)
    form = RecommendForm()
    case_id = parse_id(form.case_id.data)
    if not form.validate_on_submit() or case_id is None:
        flash(_("Choose a spouse to recommend it to."), "warning")
        return redirect(url_for("training.programme", programme_id=programme_id))
    case = get_for(Case, case_id, need="edit")
    try:
        services.recommend(case, programme, note=form.note.data or "", actor=current_user)
    except TrainingError:
        db.session.rollback()
        flash(_("This spouse already has this programme on their list."), "info")
    else:
        _warn_language(programme, case.id)
        db.session.commit()
        flash(_("Recommended."), "success")
    return redirect(url_for("training.programme", programme_id=programme_id))


def _warn_language(programme: Programme, case_id: int) -> None:
    """A level the spouse does not meet is the adviser's call: a warning, not a block."""
    for language, needed, theirs in queries.language_shortfalls(programme, queries.spouse_levels(case_id)):
        flash(
            _(
                "The programme asks for %(language)s %(needed)s; the spouse's intake says %(theirs)s.",
                language=language_name(language),
                needed=needed,
                theirs=theirs or _("nothing"),
            ),
            "warning",
        )


def _act(enrolment_id: int, form_class, action) -> Response:
    """An adviser's change to an enrolment from the participant list: the case's own
    adviser or a lead (the enrolment answers, by its case)."""
    enrolment = get_for(Enrolment, enrolment_id, need="edit", load=queries.load_enrolment)
    form = form_class()
    if not form.validate_on_submit():
        for field, errors in form.errors.items():
            flash(f"{form[field].label.text}: {' '.join(errors)}" if field in form else " ".join(errors), "warning")
        return redirect(url_for("training.participants", programme_id=enrolment.programme_id))
    try:
        message = action(enrolment, form)
    except TrainingError as refused:
        db.session.rollback()
        flash(str(MESSAGES.get(refused.code, refused.code)), "warning")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("training.participants", programme_id=enrolment.programme_id))


@bp.route("/enrolments/<int:enrolment_id>/confirm", methods=["POST"])
@roles("adviser")
def confirm(enrolment_id: int):
    def act(enrolment: Enrolment, _form) -> str:
        _warn_language(enrolment.programme, enrolment.case_id)
        status = services.confirm(enrolment, actor=current_user)
        return _("Enrolled.") if status == "enrolled" else _("No place free: put on the waitlist.")

    return _act(enrolment_id, ButtonForm, act)


@bp.route("/enrolments/<int:enrolment_id>/complete", methods=["POST"])
@roles("adviser")
def complete(enrolment_id: int):
    def act(enrolment: Enrolment, form: CompleteForm) -> str:
        done = services.complete(
            enrolment, certificate=form.certificate.data or "", grade=form.grade.data or "", actor=current_user
        )
        return _("Completion recorded; %(n)d skills added to the profile for validation.", n=len(done.skills_added))

    return _act(enrolment_id, CompleteForm, act)


@bp.route("/enrolments/<int:enrolment_id>/end", methods=["POST"])
@roles("adviser")
def end(enrolment_id: int):
    def act(enrolment: Enrolment, form: EndForm) -> str:
        services.end(enrolment, form.status.data, actor=current_user)
        return _("Recorded.")

    return _act(enrolment_id, EndForm, act)


@bp.route("/enrolments/<int:enrolment_id>/attendance", methods=["POST"])
@roles("adviser")
def attendance(enrolment_id: int):
    def act(enrolment: Enrolment, form: AttendanceForm) -> str:
        services.record_attendance(enrolment, form.attended.data == "yes", actor=current_user)
        return _("Attendance saved.")

    return _act(enrolment_id, AttendanceForm, act)


# --- recommendations ------------------------------------------------------------------------------


@bp.route("/recommendations")
@roles("spouse")
def my_recommendations():
    case = cases.spouse_case(current_user)
    if case is None:
        abort(404)
    found = ranked.for_case(case.id, today=helsinki_today())
    return render_template("training/recommendations.html", found=found, case=case, for_spouse=True)


@bp.route("/cases/<int:case_id>/recommendations")
@roles("adviser")
def case_recommendations(case_id: int):
    case = get_for(Case, case_id, load=load_case)
    found = ranked.for_case(case.id, today=helsinki_today())
    return render_template("training/recommendations.html", found=found, case=case, for_spouse=False)
