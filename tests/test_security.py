"""Headers, caching, CSRF, escaping, production settings, the audit log's guarantees."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from config import ProductionConfig
from hiddengems import create_app
from hiddengems.audit.models import AuditEvent
from hiddengems.auth.models import User
from hiddengems.extensions import db
from tests import factories as f


def test_security_headers_on_every_page(client):
    for url in ("/", "/login", "/static/app.css"):
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "script-src 'self'"):
            assert directive in csp
        assert "unsafe-inline" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"]


def test_no_inline_script_in_pages(app):
    client = app.test_client()
    f.login(client, f.user("admin"))
    for url in ("/admin/", "/admin/users", "/account/password"):
        page = client.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), url
        assert " onclick=" not in page and "javascript:" not in page


def test_authenticated_pages_are_not_cached(client):
    f.login(client, f.user("adviser"))
    assert client.get("/desk").headers["Cache-Control"] == "no-store"


def test_hsts_in_production(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.sqlite'}")
    app = create_app("production", {**PRODUCTION_OK, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite'}"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    response = app.test_client().get("/static/app.css")
    assert "max-age" in response.headers["Strict-Transport-Security"]


PRODUCTION_OK = {"SECRET_KEY": "x" * 40, "MAIL_BACKEND": "smtp", "PUBLIC_URL": "https://gems.example.fi"}


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("MAIL_BACKEND", "console", "MAIL_BACKEND=smtp"),
        ("PUBLIC_URL", "http://127.0.0.1:5000", "PUBLIC_URL"),
        ("PUBLIC_URL", "http://gems.example.fi", "PUBLIC_URL"),
        ("REPORT_THRESHOLD", 2, "REPORT_THRESHOLD must be 3 or more"),
    ],
)
def test_production_refuses_settings_that_lose_email_or_expose_people(monkeypatch, setting, value, message):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1/none")
    with pytest.raises(RuntimeError, match=message):
        ProductionConfig.check({**PRODUCTION_OK, setting: value})


def test_client_address_behind_a_trusted_proxy(make_app):
    app = make_app(TRUSTED_PROXIES=1)
    with app.app_context():
        user = f.user("spouse")
        client = app.test_client()
        client.post(
            "/login",
            data={"email": user.email, "password": "wrong password!"},
            headers={"X-Forwarded-For": "198.51.100.7"},
        )
        failure = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.login_failed"))
        assert failure.address == "198.51.100.7"


@pytest.mark.parametrize("secret", [None, "dev-secret-not-for-production", "short"])
def test_production_refuses_a_weak_or_missing_secret(monkeypatch, secret):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1/none")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        ProductionConfig.check({"SECRET_KEY": secret})


def test_production_refuses_to_start_without_database_url(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        ProductionConfig.check(PRODUCTION_OK)


def test_csrf_is_enforced(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        user = f.user("spouse")
        email = user.email
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": f.PASSWORD})
    assert response.status_code == 400
    assert "form had expired" in response.get_data(as_text=True)
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": email, "password": f.PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    # Logout is a state change as well: without the token it changes nothing.
    assert client.post("/logout").status_code == 400
    home = client.get("/home")
    assert home.status_code == 200
    # With the token of the page's own log-out button, it logs out.
    button = re.search(
        r'action="/logout"[^>]*>\s*<input id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)">',
        home.get_data(as_text=True),
    )
    assert client.post("/logout", data={"csrf_token": button.group(1)}).status_code == 302
    assert client.get("/home").status_code == 302


def test_user_text_is_escaped(app, client):
    evil = '<script>alert(1)</script>" onmouseover="alert(2)'
    f.user("adviser", name=evil)
    f.user("spouse", name=evil)
    f.login(client, f.user("admin"))
    page = client.get("/admin/users").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&#34; onmouseover=&#34;alert(2)" in page


def test_access_denials_are_audited(client):
    spouse = f.user("spouse")
    f.login(client, spouse)
    assert client.get("/admin/users").status_code == 403
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "access.denied"))
    assert event.actor_id == spouse.id and event.detail == {"endpoint": "admin.users"}


def test_audit_log_is_append_only(app):
    f.login(app.test_client(), f.user("spouse"))
    event_id = db.session.scalar(select(AuditEvent.id).limit(1))
    for statement in ("UPDATE audit_event SET action = 'x' WHERE id = :id", "DELETE FROM audit_event WHERE id = :id"):
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text(statement), {"id": event_id})
        db.session.rollback()


def test_logs_carry_ids_not_emails(app, client, caplog):
    caplog.set_level("DEBUG")
    user = f.user("spouse", name="Very Unique Name")
    client.post("/password/forgot", data={"email": user.email})
    f.login(client, user, "wrong password!")
    f.login(client, user)
    client.get("/admin/users")
    assert user.email not in caplog.text
    assert "Very Unique Name" not in caplog.text


def test_session_token_is_the_login_id(app, client):
    user = f.user("spouse")
    f.login(client, user)
    with client.session_transaction() as session:
        assert session["_user_id"] == user.session_token != str(user.id)
    assert db.session.scalar(select(User).where(User.session_token == user.session_token)) is not None
