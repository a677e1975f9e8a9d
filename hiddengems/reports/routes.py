"""What HR sees: aggregates of their own organisation, never a row about one person."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from hiddengems.access import deny, roles
from hiddengems.reports import bp, queries
from hiddengems.reports.suppression import suppress


@bp.route("/hr")
@roles("hr")
def hr_home():
    if current_user.organisation_id is None:
        # An HR account always belongs to one organisation (a database CHECK); should one
        # ever lack it, it sees nothing rather than everyone.
        deny(object_type="organisation")
    cells, total = suppress(queries.participants_by_stage(current_user.organisation_id))
    return render_template("reports/hr_home.html", cells=cells, total=total)
