"""The admin's forms under the same request twenty times at once: one wins, the others
are told beside the field, as if they had come a moment later; never a 500."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hiddengems.auth.models import User
from hiddengems.extensions import db
from hiddengems.orgs.models import Organisation
from tests import factories as f
from tests.at_once import at_once
from tests.conftest import ON_POSTGRES

TAKEN = "An organisation with this name already exists."
EMAIL_TAKEN = "An account with this e-mail already exists."


def _admins(app, n: int = 20) -> list:
    admin = f.user("admin")
    clients = [app.test_client() for _ in range(n)]
    for client in clients:
        f.login(client, admin)
    db.session.commit()
    return clients


def _twenty_admins_create_one_name(app) -> None:
    clients = _admins(app)

    def create(i: int) -> str:
        response = clients[i].post("/admin/organisations/new", data={"name": "Race Institute", "active": "y"})
        return "created" if response.status_code == 302 else f"{response.status_code} {TAKEN in response.text}"

    answers = at_once(20, create)
    # One is created; everyone else is told beside the name, as if they had been a moment later.
    assert sorted(answers) == ["200 True"] * 19 + ["created"]
    assert db.session.scalar(select(func.count()).where(Organisation.name == "Race Institute")) == 1


@pytest.mark.postgres
def test_twenty_admins_create_one_organisation_at_once_on_postgres(app):
    # The form's check passed for all of them; the unique name refused all but one: 500s.
    _twenty_admins_create_one_name(app)


@pytest.mark.skipif(ON_POSTGRES, reason="the PostgreSQL run has its own test")
def test_twenty_admins_create_one_organisation_at_once(app):
    _twenty_admins_create_one_name(app)


def _twenty_admins_create_one_account(app) -> None:
    clients = _admins(app)
    data = {
        "name": "New Adviser",
        "email": "new.adviser@example.org",
        "role": "adviser",
        "organisation_id": "0",  # "— none —", as the form posts it
        "password": "granite orchard violin",
    }

    def create(i: int) -> str:
        response = clients[i].post("/admin/users/new", data=data)
        return "created" if response.status_code == 302 else f"{response.status_code} {EMAIL_TAKEN in response.text}"

    assert sorted(at_once(20, create)) == ["200 True"] * 19 + ["created"]
    assert db.session.scalar(select(func.count()).where(User.email == "new.adviser@example.org")) == 1


@pytest.mark.postgres
def test_twenty_admins_create_one_account_at_once_on_postgres(app):
    _twenty_admins_create_one_account(app)


@pytest.mark.skipif(ON_POSTGRES, reason="the PostgreSQL run has its own test")
def test_twenty_admins_create_one_account_at_once(app):
    _twenty_admins_create_one_account(app)
