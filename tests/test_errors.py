"""Errors a user cannot cause: a calm page with an id, the id in the log, no stack trace."""

from __future__ import annotations

import re

from sqlalchemy.exc import OperationalError

from hiddengems.cases import services as cases
from tests import factories as f


def test_database_error_shows_a_calm_page_with_an_error_id(app, client, caplog, monkeypatch):
    f.login(client, f.user("adviser"))

    def broken(**kwargs):
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    monkeypatch.setattr(cases, "stage_counts", broken)
    response = client.get("/desk")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    error_id = re.search(r"<code>([0-9a-f]{12})</code>", page).group(1)
    assert "Traceback" not in page and "server closed" not in page
    assert error_id in caplog.text


def test_not_found_page(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_forbidden_page_says_what_to_do(client):
    f.login(client, f.user("spouse"))
    response = client.get("/admin/")
    assert response.status_code == 403
    assert "ask the programme team" in response.get_data(as_text=True)
