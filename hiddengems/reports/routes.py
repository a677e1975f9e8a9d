"""What HR sees: aggregates of their own organisation (admins and leads: any, or all),
never a row about one person. Every answer reads the day's published figures."""

from __future__ import annotations

from datetime import date

from flask import Response, jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from hiddengems.access import roles
from hiddengems.reports import bp, charts, exports, services
from hiddengems.reports.choices import Choice, choose
from hiddengems.reports.dashboard import FUNDER_TABLES, TABLES, Period, period_of, tables
from hiddengems.reports.labels import TABLE_NOTES

READERS = ("hr", "lead", "admin")


def _read() -> tuple[Choice, dict | None, Period | None]:
    """The request's choice and, when it is a good one, the scope's figures of the day
    (None for an organisation added since they were made) and the period's cohorts."""
    choice = choose(request.args, current_user)
    payload = services.snapshot(choice.scope) if choice.ok else None
    period = period_of(payload, *choice.years, choice.grouping) if payload else None
    return choice, payload, period


def _page(names: tuple[str, ...], *, funder: bool = False):
    choice, payload, period = _read()
    shown = {}
    if payload and period and period.cohorts:
        found = tables(payload, period)
        shown = {name: found[name] for name in names}
    status = 200 if choice.ok else 400
    return (
        render_template(
            "reports/hr_home.html",
            funder=funder,
            table_notes=TABLE_NOTES,
            choice=choice,
            payload=payload,
            as_of=date.fromisoformat(payload["day"]) if payload else None,
            period=period,
            tables=shown,
            charts=charts,
        ),
        status,
    )


@bp.route("/hr")
@roles(*READERS)
def hr_home():
    return _page(TABLES)


@bp.route("/hr/funder")
@roles(*READERS)
def funder():
    """The ESF+ indicators for a period, on one printable page for the funder."""
    return _page(FUNDER_TABLES, funder=True)


@bp.route(f"/hr/<any({', '.join(TABLES)}):table>.csv")
@roles(*READERS)
def table_csv(table: str):
    choice, payload, period = _read()
    if not choice.ok:
        return Response("\n".join(f"{k}: {v}" for k, v in choice.form.reasons().items()), 400, mimetype="text/plain")
    if payload is None:
        return Response(_("No figures for this organisation yet: they start tomorrow."), 404, mimetype="text/plain")
    body = exports.table_csv(tables(payload, period)[table])
    span = f"{period.cohorts[0]}-{period.cohorts[-1]}".replace("–", "-") if period.cohorts else "none"
    name = f"hidden-gems-{table}-{span}-as-of-{payload['day']}.csv"
    return Response(body, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/hr/api/v1/dashboard")
@roles(*READERS)
def dashboard_json():
    choice, payload, period = _read()
    if not choice.ok:
        return jsonify(exports.error_json(choice)), 400
    if payload is None:
        return jsonify({"version": exports.API_VERSION, "error": "no_figures_yet"}), 404
    found = tables(payload, period)
    return jsonify(exports.dashboard_json(choice, payload, period, found))
