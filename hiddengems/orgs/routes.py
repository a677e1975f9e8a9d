"""The admin's pages for host organisations."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hiddengems.access import get_for, roles
from hiddengems.extensions import db
from hiddengems.orgs import bp, queries, services
from hiddengems.orgs.forms import OrganisationForm
from hiddengems.orgs.models import Organisation


@bp.route("")
@roles("admin")
def organisations():
    return render_template("orgs/organisations.html", rows=queries.organisation_rows())


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<int:organisation_id>", methods=["GET", "POST"])
@roles("admin")
def edit_organisation(organisation_id: int | None = None):
    organisation = get_for(Organisation, organisation_id, need="edit") if organisation_id else None
    form = OrganisationForm(obj=organisation, organisation_id=organisation_id)
    if form.validate_on_submit():
        try:
            services.save_organisation(current_user, organisation, name=form.name.data, active=form.active.data)
        except services.OrganisationNameTaken:
            form.name.errors.append(_("An organisation with this name already exists."))
        else:
            db.session.commit()
            flash(_("Organisation saved."), "success")
            return redirect(url_for("orgs.organisations"))
    return render_template("orgs/organisation_form.html", form=form, organisation=organisation)
