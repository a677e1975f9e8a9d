"""The access table: every URL rule in app.url_map × every role, one expected answer each.

A new route without a row here fails `test_every_rule_has_a_row`. Object-level
rules use spouse A's objects: A's case is assigned to "adviser", not to
"adviser_other"; "hr_x" is HR of A's organisation, "hr_y" of another one.
"""

from __future__ import annotations

import importlib

import pytest

from tests import factories as f
from tests.access_codes import ADMIN, ADVISER, ANON_ONLY, HR, PUBLIC, ROLES, SIGNED_IN, SPOUSE

# Each domain adds its rows in tests/<domain>/access.py (ACCESS) and, if its URLs need ids
# of objects it owns, a world_values(people, values) -> dict function in the same module.
DOMAIN_ROW_MODULES: list[str] = ["tests.cases.access", "tests.intake.access"]
WORLD_EXTENSIONS: list[str] = ["tests.cases.access", "tests.intake.access"]

# endpoint: (method, expected)
FOUNDATION: dict[str, tuple[str, str]] = {
    "static": ("GET", PUBLIC),
    "bootstrap.static": ("GET", PUBLIC),
    # main
    "main.index": ("GET", "200 302 302 302 302 302 302 302 302"),
    "main.spouse_home": ("GET", SPOUSE),
    "main.adviser_home": ("GET", ADVISER),
    "main.hr_home": ("GET", HR),
    "main.admin_home": ("GET", ADMIN),
    # auth
    "auth.login": ("GET", ANON_ONLY),
    "auth.logout": ("POST", "302 302 302 302 302 302 302 302 302"),
    "auth.register": ("GET", ANON_ONLY),
    "auth.registered": ("GET", ANON_ONLY),
    "auth.privacy": ("GET", PUBLIC),
    "auth.verify_email": ("GET", "400 400 400 400 400 400 400 400 400"),
    "auth.resend_verification": ("GET", ANON_ONLY),
    "auth.forgot_password": ("GET", PUBLIC),
    "auth.reset_password": ("GET", "400 400 400 400 400 400 400 400 400"),
    "auth.change_password": ("GET", SIGNED_IN),
    # admin
    "admin.users": ("GET", ADMIN),
    "admin.create_user": ("GET", ADMIN),
    "admin.edit_user": ("GET", ADMIN),
    "admin.organisations": ("GET", ADMIN),
    "admin.edit_organisation": ("GET", ADMIN),
    "admin.audit": ("GET", ADMIN),
    "mail.outbox": ("GET", ADMIN),
    "mail.message": ("GET", ADMIN),
}

TABLE: dict[str, tuple[str, str]] = {**FOUNDATION}
for module in DOMAIN_ROW_MODULES:
    rows = importlib.import_module(module).ACCESS
    overlap = TABLE.keys() & rows.keys()
    assert not overlap, f"{module} repeats rows: {overlap}"
    TABLE.update(rows)


@pytest.fixture
def world(app):
    """Who is who, and the URL values that point at spouse A's objects."""
    org_x, org_y = f.org("Org X"), f.org("Org Y")
    people = {
        "spouse_a": f.user("spouse", organisation=org_x),
        "spouse_b": f.user("spouse", organisation=org_y),
        "adviser": f.user("adviser"),
        "adviser_other": f.user("adviser"),
        "lead": f.user("adviser", lead=True),
        "hr_x": f.user("hr", organisation=org_x),
        "hr_y": f.user("hr", organisation=org_y),
        "admin": f.user("admin"),
    }
    f.assign(people["spouse_a"], people["adviser"], "skills")
    message = f.queued_email(app).id
    values = {
        "user_id": people["spouse_a"].id,
        "organisation_id": org_x.id,
        "message_id": message,
        "token": "not-a-real-token",
        "filename": "app.css",
        "case_id": f.case_of(people["spouse_a"]).id,
    }
    for extend in WORLD_EXTENSIONS:
        values.update(importlib.import_module(extend).world_values(people, values))
    return people, values


def _url(app, rule, values) -> str:
    args = {name: values[name] for name in rule.arguments}
    if rule.endpoint == "bootstrap.static":
        args["filename"] = "css/bootstrap.min.css"
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **args)


def test_every_rule_has_a_row(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = endpoints - TABLE.keys()
    stale = TABLE.keys() - endpoints
    assert not missing, f"routes without a row in the access table: {sorted(missing)}"
    assert not stale, f"rows for routes that no longer exist: {sorted(stale)}"


def test_access_table(app, world):
    people, values = world
    problems = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        method, expected = TABLE[rule.endpoint]
        url = _url(app, rule, values)
        for role, want in zip(ROLES, expected.split(), strict=True):
            client = app.test_client()
            if role != "anonymous":
                assert f.login(client, people[role]).status_code == 302
            response = client.open(url, method=method)
            if response.status_code != int(want):
                problems.append(f"{method} {url} as {role}: {response.status_code}, expected {want}")
    assert not problems, "\n".join(problems)
