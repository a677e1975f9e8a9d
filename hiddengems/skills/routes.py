"""The skills profile of a case: the spouse builds it, the adviser maps it with them on the
same page; the gap to each target; a printable profile; the picker's search."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from hiddengems.access import get_for, roles
from hiddengems.audit.services import record_now
from hiddengems.extensions import db
from hiddengems.skills import bp, mapping, pages, profile
from hiddengems.skills.forms import (
    ActionForm,
    AddSkillForm,
    LanguageRequirementForm,
    PastOccupationForm,
    PickerSearchForm,
    SessionForm,
    SkillRowForm,
    TargetForm,
)
from hiddengems.skills.pages import SkillsCase
from hiddengems.skills.profile import ProfileError
from hiddengems.skills.queries import MAX_TEXT, search_answer

# The picker each form is posted from: its box on the page, and the form's name in ``given``.
PICKERS = {"skill": "add_skill", "target": "target", "past": "past"}


def _skills_case(case_id: int, *, edit: bool = False, with_intake: bool = True) -> SkillsCase:
    return get_for(
        SkillsCase,
        case_id,
        need="edit" if edit else "view",
        load=lambda found: pages.load_skills_case(found, with_intake=with_intake),
    )


def _audit_view(sc: SkillsCase, page: str) -> None:
    """An adviser's look at the profile is a look at the case file: audited the same way
    (on a connection of its own, audit.record_now). The spouse's own look is not."""
    if not sc.is_spouse(current_user):
        record_now(
            "skills.viewed", actor_id=current_user.id, object_type="case", object_id=sc.id, detail={"page": page}
        )


def _render_profile(sc: SkillsCase, *, given: dict | None = None, status: int = 200) -> ResponseReturnValue:
    """The profile page; forms posted back with their errors come in ``given``, by name."""
    given = given or {}
    search = PickerSearchForm(request.values)
    pinned = {box: given[name].posted_id for box, name in PICKERS.items() if name in given}
    searches = pages.run_searches(search.text("skill_q"), search.text("target_q"), search.text("past_q"), pinned=pinned)
    adviser = sc.is_adviser_of(current_user)
    html = render_template(
        "skills/profile.html",
        sc=sc,
        case=sc.case,
        view=pages.profile_view(sc),
        search=search,
        searches=searches,
        given=given,
        can_edit=sc.can_edit(current_user) and sc.intake_sent or adviser,
        adviser=adviser,
        is_spouse=sc.is_spouse(current_user),
        language_form=LanguageRequirementForm(formdata=None),
        session_form=given.get("session") or SessionForm(formdata=None),
        # Typed in a browser, a search stops there (a 10,000-character URL would not reach
        # the app behind gunicorn's 4 KB request line); sent by hand, the search says so.
        search_max=MAX_TEXT,
    )
    return html, status


@bp.route("/cases/<int:case_id>/skills", endpoint="profile")
@roles("spouse", "adviser")
def profile_page(case_id: int):
    sc = _skills_case(case_id)
    _audit_view(sc, "profile")
    return _render_profile(sc)


def _refused(form, error: ProfileError) -> None:
    """The message beside the field it is about; above the page when the form has no such
    field (a row that is no longer there, a target that is not one)."""
    field = form._fields.get(error.field) or form._fields.get("occupation") or form._fields.get("skill")
    if field is not None:
        field.errors.append(str(error))
    else:
        form.form_errors.append(str(error))
        flash(str(error), "danger")


def _change(case_id: int, form, name: str, change: Callable, done: str, anchor: str) -> ResponseReturnValue:
    """Save a change from the profile page: a refusal goes beside its field, with what was
    typed kept and the search it came from shown again (422)."""
    sc = _skills_case(case_id, edit=True, with_intake=False)
    if form.validate_on_submit():
        try:
            sc.check_open(current_user)
            change(sc)
        except ProfileError as error:
            db.session.rollback()
            _refused(form, error)
        else:
            db.session.commit()
            flash(done, "success")
            return redirect(url_for("skills.profile", case_id=case_id, _anchor=anchor))
    return _render_profile(_skills_case(case_id, edit=True), given={name: form}, status=422)


@bp.route("/cases/<int:case_id>/skills/add", methods=["POST"])
@roles("spouse", "adviser")
def add_skill(case_id: int):
    form = AddSkillForm()

    def change(sc):
        args = {"level": form.level.data, "source": form.source.data, "actor": current_user}
        profile.add_skill(sc.case, form.skill_id, **args)

    return _change(case_id, form, "add_skill", change, _("Skill added."), "skills")


@bp.route("/cases/<int:case_id>/skills/<int:skill_id>/update", methods=["POST"])
@roles("spouse", "adviser")
def update_skill(case_id: int, skill_id: int):
    form = SkillRowForm()

    def change(sc):
        args = {"level": form.level.data, "source": form.source.data, "actor": current_user}
        profile.update_skill(sc.case, skill_id, **args)

    return _change(case_id, form, f"skill_{skill_id}", change, _("Skill saved."), f"skill-{skill_id}")


def _button(case_id: int, change: Callable, done: str, anchor: str) -> ResponseReturnValue:
    """A button on a row (validate, remove): a refusal is flashed above the profile."""
    sc = _skills_case(case_id, edit=True, with_intake=False)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        sc.check_open(current_user)
        change(sc)
    except ProfileError as error:
        db.session.rollback()
        flash(str(error), "danger")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(url_for("skills.profile", case_id=case_id, _anchor=anchor))


@bp.route("/cases/<int:case_id>/skills/<int:skill_id>/remove", methods=["POST"])
@roles("spouse", "adviser")
def remove_skill(case_id: int, skill_id: int):
    change = lambda sc: profile.remove_skill(sc.case, skill_id, actor=current_user)  # noqa: E731
    return _button(case_id, change, _("Skill removed."), "skills")


@bp.route("/cases/<int:case_id>/skills/<int:skill_id>/validate", methods=["POST"])
@roles("adviser")
def validate_skill(case_id: int, skill_id: int):
    change = lambda sc: profile.validate_skill(sc.case, skill_id, actor=current_user)  # noqa: E731
    return _button(case_id, change, _("Skill validated."), f"skill-{skill_id}")


@bp.route("/cases/<int:case_id>/skills/validate-all", methods=["POST"])
@roles("adviser")
def validate_all(case_id: int):
    change = lambda sc: mapping.validate_all(sc.case, actor=current_user)  # noqa: E731
    return _button(case_id, change, _("Every skill is validated."), "skills")


@bp.route("/cases/<int:case_id>/skills/targets", methods=["POST"])
@roles("spouse", "adviser")
def add_target(case_id: int):
    form = TargetForm()
    change = lambda sc: profile.add_target(sc.case, form.occupation_id, actor=current_user)  # noqa: E731
    return _change(case_id, form, "target", change, _("Target occupation added."), "targets")


@bp.route("/cases/<int:case_id>/skills/targets/<int:occupation_id>/remove", methods=["POST"])
@roles("spouse", "adviser")
def remove_target(case_id: int, occupation_id: int):
    change = lambda sc: profile.remove_target(sc.case, occupation_id, actor=current_user)  # noqa: E731
    return _button(case_id, change, _("Target occupation removed."), "targets")


@bp.route("/cases/<int:case_id>/skills/past", methods=["POST"])
@roles("spouse", "adviser")
def save_past(case_id: int):
    form = PastOccupationForm()

    def change(sc):
        args = {"years": form.years_value, "job_title": form.job_title.data, "actor": current_user}
        profile.set_past_occupation(sc.case, form.occupation_id, **args)

    name = f"past_{form.occupation_id}" if request.form.get("row") else "past"
    return _change(case_id, form, name, change, _("Past occupation saved."), "past")


@bp.route("/cases/<int:case_id>/skills/past/<int:occupation_id>/remove", methods=["POST"])
@roles("spouse", "adviser")
def remove_past(case_id: int, occupation_id: int):
    change = lambda sc: profile.remove_past_occupation(sc.case, occupation_id, actor=current_user)  # noqa: E731
    return _button(case_id, change, _("Past occupation removed."), "past")


@bp.route("/cases/<int:case_id>/skills/targets/<int:occupation_id>/languages", methods=["POST"])
@roles("adviser")
def note_language(case_id: int, occupation_id: int):
    form = LanguageRequirementForm()

    def change(sc):
        args = {"language": form.language.data, "level": form.level.data, "actor": current_user}
        mapping.set_language_requirement(sc.case, occupation_id, **args)

    return _change(case_id, form, f"language_{occupation_id}", change, _("Language level noted."), "targets")


@bp.route("/cases/<int:case_id>/skills/targets/<int:occupation_id>/languages/<language>/remove", methods=["POST"])
@roles("adviser")
def remove_language(case_id: int, occupation_id: int, language: str):
    args = {"language": language, "actor": current_user}
    change = lambda sc: mapping.remove_language_requirement(sc.case, occupation_id, **args)  # noqa: E731
    return _button(case_id, change, _("Language level removed."), "targets")


@bp.route("/cases/<int:case_id>/skills/session", methods=["POST"])
@roles("adviser")
def record_session(case_id: int):
    form = SessionForm()

    def change(sc):
        args = {"kind": form.kind.data, "duration_minutes": form.duration_minutes.data, "note": form.note.data}
        mapping.record_session(sc.case, actor=current_user, **args)

    return _change(case_id, form, "session", change, _("Mapping session recorded on the timeline."), "session")


@bp.route("/cases/<int:case_id>/skills/gap")
@roles("spouse", "adviser")
def gap(case_id: int):
    # The gap view reads only the intake's language levels (pages.gap_view), not the rest of it.
    sc = _skills_case(case_id, with_intake=False)
    _audit_view(sc, "gap")
    return render_template("skills/gap.html", sc=sc, case=sc.case, targets=pages.gap_view(sc))


@bp.route("/cases/<int:case_id>/skills/print")
@roles("spouse", "adviser")
def printable(case_id: int):
    sc = _skills_case(case_id)
    _audit_view(sc, "print")
    return render_template("skills/print.html", sc=sc, case=sc.case, view=pages.profile_view(sc))


@bp.route("/skills/search.json")
@roles("spouse", "adviser")
def search():
    body, status = search_answer(request.args.get("kind"), request.args.get("q"), request.args.get("offset"))
    return jsonify(body), status
