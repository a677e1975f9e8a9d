"""The access table: every URL rule in app.url_map × every role, one expected answer each.

One test case per endpoint and role, so that a failure names its row. A new route
without a row fails `test_every_rule_has_a_row`. Object-level rules use spouse A's
objects: A's case is assigned to "adviser", not to "adviser_other"; "hr_x" is HR of
A's organisation, "hr_y" of another one.

Each domain keeps its rows in tests/<domain>/access.py (``ACCESS``), found by that
name, and, if its URLs need ids of objects it owns, a ``world_values(people, values)``
function there that makes them and returns the URL values.
"""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest
from flask import url_for

from hiddengems import create_app
from hiddengems.extensions import db
from tests import factories as f
from tests.access_codes import PUBLIC, ROLES
from tests.conftest import ON_POSTGRES, IsolatedClient, empty_all

HERE = Path(__file__).resolve().parent
DOMAIN_MODULES = [
    importlib.import_module(f"tests.{path.parent.name}.access") for path in sorted(HERE.glob("*/access.py"))
]

# endpoint: (method, expected). The kernel's rows; each domain's are in its tests folder.
KERNEL: dict[str, tuple[str, str]] = {
    "static": ("GET", PUBLIC),
    "bootstrap.static": ("GET", PUBLIC),
}
# Requests after which a role's session is gone and it logs in again.
ENDS_SESSION = {"auth.logout"}

TABLE: dict[str, tuple[str, str]] = {**KERNEL}
for module in DOMAIN_MODULES:
    overlap = TABLE.keys() & module.ACCESS.keys()
    assert not overlap, f"{module.__name__} repeats rows: {overlap}"
    TABLE.update(module.ACCESS)


class World:
    """One app and database for the whole table, with who is who and a logged-in
    client per role (logging in 400 times would cost more than the requests)."""

    def __init__(self, app, people: dict, values: dict):
        self.app, self.people, self.values = app, people, values
        self._clients: dict[str, IsolatedClient] = {}

    def client(self, role: str) -> IsolatedClient:
        if role not in self._clients:
            client = self.app.test_client()
            if role != "anonymous":
                assert f.login(client, self.people[role]).status_code == 302, role
            self._clients[role] = client
        return self._clients[role]

    def forget(self, role: str) -> None:
        self._clients.pop(role, None)

    def urls(self, endpoint: str) -> list[str]:
        urls = []
        with self.app.test_request_context():
            for rule in self.app.url_map.iter_rules(endpoint):
                args = {name: self.values[name] for name in rule.arguments}
                if endpoint == "bootstrap.static":
                    args["filename"] = "css/bootstrap.min.css"
                urls.append(url_for(endpoint, **args))
        return urls


def _make_world(app) -> World:
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
    values = {"filename": "app.css"}
    for module in DOMAIN_MODULES:
        if hasattr(module, "world_values"):
            values.update(module.world_values(people, values))
    return World(app, people, values)


@pytest.fixture(scope="module")
def world(template_db, tmp_path_factory):
    if ON_POSTGRES:
        url = template_db
    else:
        path = tmp_path_factory.mktemp("access") / "access.sqlite"
        shutil.copyfile(template_db.removeprefix("sqlite:///"), path)
        url = f"sqlite:///{path}"
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield _make_world(app)
        db.session.remove()
        if ON_POSTGRES:
            empty_all()
        db.engine.dispose()


def test_every_rule_has_a_row(world):
    endpoints = {rule.endpoint for rule in world.app.url_map.iter_rules()}
    missing = endpoints - TABLE.keys()
    stale = TABLE.keys() - endpoints
    assert not missing, f"routes without a row in the access table: {sorted(missing)}"
    assert not stale, f"rows for routes that no longer exist: {sorted(stale)}"


CASES = [(endpoint, role) for endpoint in sorted(TABLE) for role in ROLES]


@pytest.mark.parametrize(("endpoint", "role"), CASES, ids=[f"{endpoint}:{role}" for endpoint, role in CASES])
def test_access(world, endpoint, role):
    method, expected = TABLE[endpoint]
    want = int(expected.split()[ROLES.index(role)])
    urls = world.urls(endpoint)
    assert urls, f"no rule for {endpoint}"
    for url in urls:
        response = world.client(role).open(url, method=method)
        if endpoint in ENDS_SESSION:
            world.forget(role)
        assert response.status_code == want, f"{method} {url} as {role}: {response.status_code}, expected {want}"
