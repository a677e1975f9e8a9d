"""What HR sees: aggregates of their own organisation (admins and leads: any, or all),
never a row about one person. Every answer reads the day's snapshot."""

from __future__ import annotations

from flask import Response, jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from hiddengems.access import roles
from hiddengems.reports import bp, charts, exports, services
from hiddengems.reports.choices import Choice, choose
from hiddengems.reports.dashboard import tables

READERS = ("hr", "lead", "admin")


def _read() -> tuple[Choice, dict | None]:
    """The request's choice and, when it is a good one, the scope's figures of the day
    (None for an organisation added since they were made)."""
    choice = choose(request.args, current_user)
    return choice, services.snapshot(choice.scope) if choice.ok else None


@bp.route("/hr")
@roles(*READERS)
def hr_home():
    choice, payload = _read()
    shown = tables(payload, choice.period) if payload else {}
    status = 200 if choice.ok else 400
    return render_template("reports/hr_home.html", choice=choice, payload=payload, tables=shown, charts=charts), status


@bp.route(
    "/hr/<any(stages, funnel, flow, outcomes, time, training, introductions, effort, esf_entry, esf_results):table>.csv"
)
@roles(*READERS)
def table_csv(table: str):
    choice, payload = _read()
    if not choice.ok:
        return Response("\n".join(f"{k}: {v}" for k, v in choice.form.reasons().items()), 400, mimetype="text/plain")
    if payload is None:
        return Response(_("No figures for this organisation yet: they start tomorrow."), 404, mimetype="text/plain")
    body = exports.table_csv(tables(payload, choice.period)[table])
    name = f"hidden-gems-{table}-{choice.period.months[0]}-{choice.period.months[-1]}-as-of-{payload['day']}.csv"
    return Response(body, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/hr/api/v1/dashboard")
@roles(*READERS)
def dashboard_json():
    choice, payload = _read()
    if not choice.ok:
        return jsonify(exports.error_json(choice)), 400
    if payload is None:
        return jsonify({"version": exports.API_VERSION, "error": "no_figures_yet"}), 404
    return jsonify(exports.dashboard_json(choice, payload, tables(payload, choice.period)))
