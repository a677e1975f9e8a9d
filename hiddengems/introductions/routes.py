"""Introductions: an adviser proposes one from a case, the spouse sees what would be shared
and consents, declines or withdraws; the adviser sends the signed link and records how it
goes; the employer contact opens the link without an account and answers."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hiddengems.access import PUBLIC, get_for, roles
from hiddengems.cases.models import Case
from hiddengems.cases.services import load_case, spouse_case
from hiddengems.dbsetup import begin_writing
from hiddengems.employers.models import Employer, EmployerContact, Opening
from hiddengems.employers.queries import find_employer, load_employer, openings_of
from hiddengems.extensions import db
from hiddengems.introductions import bp, queries, services
from hiddengems.introductions.forms import AnswerForm, MoveForm, NoteForm, ProposeForm
from hiddengems.introductions.labels import MESSAGES
from hiddengems.introductions.models import Introduction
from hiddengems.introductions.services import IntroductionError
from hiddengems.ui.inputs import parse_id
from hiddengems.ui.paging import page_arg
from hiddengems.ui.words import lazy_gettext as _l


@bp.route("/cases/<int:case_id>/propose", methods=["GET", "POST"])
@roles("adviser")
def propose(case_id: int):
    case = get_for(Case, case_id, need="edit", load=load_case)
    form = ProposeForm(formdata=request.form if request.method == "POST" else request.args)
    employer = _chosen_employer(form)
    if request.method == "POST" and employer is not None and form.validate():
        opening = db.session.get(Opening, parse_id(form.opening.data) or 0)
        contact = db.session.get(EmployerContact, parse_id(form.contact.data) or 0)
        try:
            made = services.propose(
                case, employer, opening=opening, contact=contact, note=form.note.data or "", actor=current_user
            )
        except IntroductionError as refused:
            db.session.rollback()
            form.employer.errors = [str(MESSAGES[refused.code])]
        else:
            db.session.commit()
            flash(_("Proposed: the spouse has been asked for consent."), "success")
            return redirect(url_for("introductions.introduction", introduction_id=made.id))
    return render_template("introductions/propose.html", case=case, form=form, employer=employer)


def _chosen_employer(form: ProposeForm) -> Employer | None:
    """The employer named by the form (or by its opening), with its openings and contacts
    as the form's choices; None with a message when it names none."""
    opening = db.session.get(Opening, parse_id(form.opening.data) or 0)
    key = (form.employer.data or "").strip()
    employer_id = opening.employer_id if opening and not key else find_employer(key) if key else None
    form.opening.choices = form.contact.choices = [("", _("— none —"))]
    if employer_id is None:
        if key:
            form.employer.errors = [_("No employer in the directory has this business ID or number.")]
        return None
    employer = get_for(Employer, employer_id, load=load_employer)
    form.employer.data = employer.business_id or str(employer.id)
    form.opening.choices += [(str(o.id), o.title) for o in openings_of(employer.id) if o.status == "open"]
    form.contact.choices += [(str(c.id), f"{c.name} <{c.email}>") for c in employer.contacts if c.email]
    return employer


@bp.route("/<int:introduction_id>")
@roles("spouse", "adviser")
def introduction(introduction_id: int):
    found = get_for(Introduction, introduction_id, load=queries.load_introduction)
    if current_user.role == "spouse":
        return redirect(url_for("introductions.proposal", introduction_id=introduction_id))
    return render_template(
        "introductions/introduction.html",
        intro=found,
        history=queries.history(found.id),
        links=queries.links(found.id),
        profile=queries.shared_profile(found.case_id, named=found.consent_given),
        move_form=MoveForm(formdata=None),
        note_form=NoteForm(formdata=None),
    )


@bp.route("/<int:introduction_id>/proposal")
@roles("spouse")
def proposal(introduction_id: int):
    found = get_for(Introduction, introduction_id, load=queries.load_introduction)
    return render_template(
        "introductions/proposal.html",
        intro=found,
        blind=queries.shared_profile(found.case_id, named=False),
        named=queries.shared_profile(found.case_id, named=True),
        history=queries.history(found.id),
        form=NoteForm(formdata=None),
    )


@bp.route("/mine")
@roles("spouse")
def mine():
    case = spouse_case(current_user)
    found = queries.of_case(case.id) if case else []
    return render_template("introductions/mine.html", found=found)


@bp.route("/cases/<int:case_id>")
@roles("adviser")
def of_case(case_id: int):
    case = get_for(Case, case_id, load=load_case)
    return render_template("introductions/of_case.html", case=case, found=queries.of_case(case.id))


@bp.route("/employers/<int:employer_id>")
@roles("adviser")
def of_employer(employer_id: int):
    employer = get_for(Employer, employer_id)
    page = queries.of_employer(employer.id, page=page_arg(), per_page=current_app.config["PAGE_SIZE"])
    return render_template("introductions/of_employer.html", employer=employer, page=page)


_DONE = {
    "consent": _l("Thank you: you have consented. Your adviser will send your profile."),
    "decline": _l("You have declined: nothing about you is shared with this employer."),
    "withdraw": _l("Consent withdrawn: the employer's link no longer shows anything."),
}


@bp.route("/<int:introduction_id>/consent", methods=["POST"])
@roles("spouse")
def consent(introduction_id: int):
    return _spouse_answer(introduction_id, "consent")


@bp.route("/<int:introduction_id>/decline", methods=["POST"])
@roles("spouse")
def decline(introduction_id: int):
    return _spouse_answer(introduction_id, "decline")


@bp.route("/<int:introduction_id>/withdraw", methods=["POST"])
@roles("spouse")
def withdraw(introduction_id: int):
    return _spouse_answer(introduction_id, "withdraw")


def _spouse_answer(introduction_id: int, action: str):
    found = get_for(Introduction, introduction_id, load=queries.load_introduction)
    form = NoteForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        if action == "consent":
            services.consent(found, actor=current_user)
        else:
            getattr(services, action)(found, actor=current_user, note=form.note.data or "")
    except IntroductionError as refused:
        db.session.rollback()
        flash(str(MESSAGES[refused.code]), "warning")
    else:
        db.session.commit()
        flash(str(_DONE[action]), "success")
    return redirect(url_for("introductions.proposal", introduction_id=introduction_id))


@bp.route("/<int:introduction_id>/send", methods=["POST"])
@roles("adviser")
def send(introduction_id: int):
    found = get_for(Introduction, introduction_id, need="edit", load=queries.load_introduction)
    if not NoteForm().validate_on_submit():
        abort(400)
    try:
        link = services.send(found, actor=current_user)
    except IntroductionError as refused:
        db.session.rollback()
        flash(str(MESSAGES[refused.code]), "warning")
    else:
        db.session.commit()
        flash(_("Sent to %(address)s.", address=link.sent_to), "success")
    return redirect(url_for("introductions.introduction", introduction_id=introduction_id))


@bp.route("/<int:introduction_id>/status", methods=["POST"])
@roles("adviser")
def move(introduction_id: int):
    found = get_for(Introduction, introduction_id, need="edit", load=queries.load_introduction)
    form = MoveForm()
    if not form.validate_on_submit():
        flash(_("Choose a status from the list."), "warning")
        return redirect(url_for("introductions.introduction", introduction_id=introduction_id))
    try:
        services.move(found, form.status.data, actor=current_user, note=form.note.data or "")
    except IntroductionError as refused:
        db.session.rollback()
        flash(str(MESSAGES[refused.code]), "warning")
    else:
        db.session.commit()
        flash(_("Status recorded."), "success")
    return redirect(url_for("introductions.introduction", introduction_id=introduction_id))


@bp.route("/shared/<token>", methods=["GET", "POST"])
@roles(PUBLIC)
def shared(token: str):
    # A GET that writes (every opening is logged): it takes SQLite's write lock up front.
    begin_writing(db.session)
    found, link, outcome = services.open_link(token[:500])
    if found is None:
        db.session.commit()  # the opening is logged, whatever it showed
        return render_template("introductions/shared_gone.html", outcome=outcome), 404 if outcome == "invalid" else 410
    form, answered = AnswerForm(), False
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.answer(found, link, interested=form.answer.data == "yes", note=form.note.data or "")
            answered = True
        except IntroductionError as refused:
            flash(str(MESSAGES[refused.code]), "info")
    db.session.commit()
    profile = queries.shared_profile(found.case_id, named=True)
    return render_template(
        "introductions/shared.html", intro=found, profile=profile, form=form, answered=answered
    ), 422 if form.errors else 200
