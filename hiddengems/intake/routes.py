"""The spouse's intake steps, their profile page, and the adviser's edit of the same profile."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from hiddengems.access import get_for, require, roles
from hiddengems.audit.services import record_view
from hiddengems.cases import services as cases
from hiddengems.cases.models import Case
from hiddengems.extensions import db
from hiddengems.intake import bp, services, steps
from hiddengems.intake.forms import SubmitIntakeForm
from hiddengems.intake.models import IntakeProfile


def _spouse_case() -> Case:
    case = cases.spouse_case(current_user)
    if case is None:
        abort(404)
    return case


_UNLOADED = object()


def _handle_step(
    case: Case, step: str, *, done_url: Callable[[], str], template_args: dict, profile=_UNLOADED
) -> ResponseReturnValue:
    """Show a step's form, or save it: shared by the spouse's and the adviser's pages
    (``profile``: the case's profile if the caller loaded it already)."""
    if profile is _UNLOADED:
        profile = services.load_profile(case.id)
    declared = steps.STEPS[step]
    conflict = False
    form = declared.make_form(case, profile=profile, posted=request.method == "POST")
    if request.method == "POST":
        if declared.rows and form.add_row.data:
            # "Add another" re-shows the form with one more empty row (at the limit, a message
            # beside the rows instead); nothing is saved yet.
            getattr(form, declared.rows).add_blank()
        elif form.validate():
            try:
                services.save_step(
                    case, step, form.to_data(), actor=current_user, expected_version=form.expected_version()
                )
            except services.StaleProfile:
                db.session.rollback()
                conflict = True
                profile = services.load_profile(case.id)
                # The typed answers stay in the form; the next save goes over the current version.
                form.version.data = profile.version if profile else 0
            else:
                db.session.commit()
                flash(_("Saved: %(step)s.", step=declared.title), "success")
                return redirect(done_url())
    status = 409 if conflict else (422 if form.errors else 200)
    return (
        render_template(
            "intake/step.html",
            form=form,
            step=step,
            case=case,
            profile=profile,
            conflict=conflict,
            **template_args,
        ),
        status,
    )


@bp.route("/")
@roles("spouse")
def start():
    """Resume where the spouse left off."""
    case = _spouse_case()
    profile = services.load_profile(case.id)
    if profile is not None and profile.submitted_at is not None:
        return redirect(url_for("intake.profile"))
    missing = services.missing_steps(profile)
    return redirect(url_for("intake.step", step=missing[0] if missing else "review"))


@bp.route("/step/<step>", methods=["GET", "POST"])
@roles("spouse")
def step(step: str):
    if step not in steps.STEPS:
        abort(404)
    case = _spouse_case()
    if step == "review":
        return _review(case)
    profile_submitted = db.session.scalar(select(IntakeProfile.submitted_at).where(IntakeProfile.case_id == case.id))

    def done_url() -> str:
        if profile_submitted:
            return url_for("intake.profile")
        return url_for("intake.step", step=steps.next_step(step))

    return _handle_step(
        case,
        step,
        done_url=done_url,
        template_args={"mode": "spouse", "submitted": profile_submitted is not None},
    )


def _review(case: Case):
    profile = services.load_profile(case.id)
    return render_template(
        "intake/review.html",
        case=case,
        profile=profile,
        step="review",
        mode="spouse",
        missing=services.missing_steps(profile),
        form=SubmitIntakeForm(),
        intake_spouse_links=True,
    )


@bp.route("/submit", methods=["POST"])
@roles("spouse")
def submit():
    case = _spouse_case()
    form = SubmitIntakeForm()
    if not form.validate_on_submit():
        abort(400)
    profile = services.load_profile(case.id)
    if profile is None:
        flash(_("Please fill in the intake before submitting it."), "warning")
        return redirect(url_for("intake.start"))
    try:
        services.submit(profile, case, actor=current_user)
    except services.IncompleteIntake as incomplete:
        names = ", ".join(str(steps.TITLES[step]) for step in incomplete.missing)
        flash(_("Some steps are not answered yet: %(steps)s.", steps=names), "warning")
        return redirect(url_for("intake.step", step="review"))
    except services.StaleProfile:
        db.session.rollback()
        flash(_("Your profile was changed while you were submitting. Please check it and submit again."), "warning")
        return redirect(url_for("intake.step", step="review"))
    db.session.commit()
    flash(_("Thank you! Your intake has been sent to the team. An adviser will contact you."), "success")
    return redirect(url_for("intake.profile"))


@bp.route("/profile")
@roles("spouse")
def profile():
    case = _spouse_case()
    profile = services.load_profile(case.id)
    return render_template(
        "intake/profile.html",
        case=case,
        profile=profile,
        missing=services.missing_steps(profile),
        intake_spouse_links=True,
    )


@bp.route("/case/<int:case_id>/<step>", methods=["GET", "POST"])
@roles("adviser")
def adviser_step(case_id: int, step: str):
    case = get_for(Case, case_id, need="edit", load=cases.load_case)
    if step not in steps.EDIT_STEPS:
        abort(404)
    profile = services.load_profile(case.id)
    # A started intake the spouse has not sent is their draft: not for the adviser's eyes.
    require(profile is None or profile.submitted_at is not None, object_type="case", object_id=case.id)
    if request.method == "GET":
        # Every view of a case file is audited, without holding the page's reads behind
        # SQLite's write lock (audit.record_view).
        record_view(
            "intake.viewed", actor_id=current_user.id, object_type="case", object_id=case.id, detail={"step": step}
        )
    return _handle_step(
        case,
        step,
        profile=profile,
        done_url=lambda: url_for("intake.adviser_step", case_id=case.id, step=step),
        template_args={
            "mode": "adviser",
            "submitted": True,
            "case_file_url": url_for("cases.case_file", case_id=case.id),
        },
    )
