from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hiddengems.access import get_for, roles
from hiddengems.admin import bp, queries, services
from hiddengems.admin.forms import (
    AUDIT_OBJECT_TYPES,
    AuditFilterForm,
    CreateUserForm,
    EditSpouseForm,
    EditUserForm,
    InviteForm,
    UserSearchForm,
)
from hiddengems.audit import queries as audit_queries
from hiddengems.auth.models import User
from hiddengems.extensions import db
from hiddengems.orgs.queries import organisation_choices
from hiddengems.ui import search
from hiddengems.ui.paging import page_arg, paginate
from hiddengems.ui.words import lazy_gettext as _l

RULE_MESSAGES = {
    "hr_needs_organisation": _l("HR users belong to one organisation: please choose it."),
    "self_deactivation": _l("You cannot deactivate your own account."),
    "last_admin": _l(
        "This is the last active administrator. Make another account an administrator first, "
        "or nobody could manage the service."
    ),
}


def _org_choices(form) -> None:
    form.organisation_id.choices = [(0, _("— none —"))] + organisation_choices(include_inactive=True)


@bp.route("/")
@roles("admin")
def home():
    return render_template("admin/home.html", overview=queries.overview())


@bp.route("/users", methods=["GET", "POST"])
@roles("admin")
def users():
    if request.method == "POST":
        return search.remember()
    form = UserSearchForm(search.list_args(), q=search.current())
    form.validate()
    people = request.args.get("people") if request.args.get("people") in queries.PEOPLE else "staff"
    stmt = queries.users(form.q.data, form.role.data if not form.role.errors else "", people)
    page = paginate(stmt, page=page_arg(), per_page=current_app.config["PAGE_SIZE"])
    return render_template("admin/users.html", page=page, form=form, people=people)


@bp.route("/users/new", methods=["GET", "POST"])
@roles("admin")
def create_user():
    form = CreateUserForm()
    _org_choices(form)
    if form.validate_on_submit():
        try:
            user = services.create_staff_user(
                current_user,
                name=form.name.data,
                email=form.email.data,
                role=form.role.data,
                organisation_id=form.organisation_id.data or None,
            )
        except services.StaffRuleBroken as broken:
            db.session.rollback()
            form[broken.field].errors.append(RULE_MESSAGES[broken.reason])
        except services.EmailTaken:
            form.email.errors.append(_("An account with this e-mail already exists."))
        else:
            db.session.commit()
            flash(
                _("Account created for %(name)s: an invitation to choose a password is on its way.", name=user.name),
                "success",
            )
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles("admin")
def edit_user(user_id: int):
    user = get_for(User, user_id, need="edit")
    if user.role == "spouse":
        form = EditSpouseForm(obj=user)
    else:
        form = EditUserForm(obj=user)
        if request.method == "GET":
            form.role.data = user.role_label
            form.organisation_id.data = user.organisation_id or 0
        _org_choices(form)
    if form.validate_on_submit():
        staff = user.role != "spouse"
        try:
            services.update_user(
                current_user,
                user,
                name=form.name.data if staff else None,
                role=form.role.data if staff else None,
                organisation_id=(form.organisation_id.data or None) if staff else None,
                active=form.active.data,
            )
        except services.StaffRuleBroken as broken:
            db.session.rollback()
            form[broken.field].errors.append(RULE_MESSAGES[broken.reason])
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("admin.users"))
    invite_form = InviteForm(formdata=None) if user.role != "spouse" and user.last_login_at is None else None
    return render_template("admin/user_form.html", form=form, user=user, invite_form=invite_form)


@bp.route("/users/<int:user_id>/invite", methods=["POST"])
@roles("admin")
def resend_invitation(user_id: int):
    """A new invitation for a colleague who has not come in yet (theirs expired or got lost)."""
    user = get_for(User, user_id, need="edit")
    if InviteForm().validate_on_submit():
        if services.reinvite(user, invited_by=current_user):
            db.session.commit()
            flash(_("A new invitation is on its way to %(name)s.", name=user.name), "success")
        else:
            flash(
                _(
                    "No new invitation: %(name)s has logged in already, or was sent one within the hour.",
                    name=user.name,
                ),
                "info",
            )
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/audit")
@roles("admin")
def audit():
    form = AuditFilterForm(request.args)
    form.validate()
    stmt = audit_queries.audit_log(
        "" if form.action.errors else (form.action.data or "").strip(),
        since=queries.helsinki_day_start(form.date_from.data),
        before=queries.helsinki_day_end(form.date_to.data),
        actor_id=form.id_of(form.actor),
        object_type="" if form.object_type.errors else form.object_type.data or "",
        object_id=form.id_of(form.object_id),
    )
    page = paginate(stmt, page=page_arg(), per_page=50)
    names = queries.audit_names(page.items)
    kinds = dict(AUDIT_OBJECT_TYPES)
    return render_template("admin/audit.html", page=page, form=form, names=names, kinds=kinds)
