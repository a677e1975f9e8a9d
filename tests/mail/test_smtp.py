"""Outbox delivery over SMTP against real servers on this machine: delivered once, retried
with backoff while the server is down, refuses or hangs, given up after the limit and
shown to the admin; TLS both ways, with a login; the production settings checked."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from config import ProductionConfig
from hiddengems.extensions import db
from hiddengems.mail import services as mail
from hiddengems.timeutil import utcnow
from tests import factories as f
from tests.mail.smtp_servers import PASSWORD, USER, Inbox, Silent, free_port, self_signed, server_context, start_smtp


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def inbox() -> Inbox:
    return Inbox()


@pytest.fixture
def server(inbox, port):
    controller = start_smtp(inbox, port)
    yield controller
    controller.stop()


@pytest.fixture
def smtp_app(app, port):
    app.config.update(
        MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_SECURITY="none", MAIL_TIMEOUT_SECONDS=2
    )
    return app


def _statuses() -> list[str]:
    db.session.expire_all()
    return [message.status for message in f.outbox()]


def test_delivers_each_message_once_in_one_session(smtp_app, server, inbox):
    for n in range(3):
        f.queued_email(smtp_app, f"person{n}@example.org")
    assert mail.send_pending() == (3, 0)
    assert mail.send_pending() == (0, 0)
    assert inbox.to == [f"person{n}@example.org" for n in range(3)]
    first = inbox.messages[0]
    assert first["Subject"] == "Subject" and first["From"] == smtp_app.config["MAIL_FROM"]
    assert first["Message-ID"].startswith(f"<outbox.{f.outbox()[0].id}.")
    assert _statuses() == ["sent"] * 3


def test_a_message_recorded_sent_is_never_sent_again(smtp_app, server, inbox):
    message = f.queued_email(smtp_app)
    assert mail.send_pending() == (1, 0)
    # Even if it looked due again, a message with sent_at is not picked.
    message.next_attempt_at = utcnow() - timedelta(days=1)
    db.session.commit()
    assert mail.send_pending(utcnow() + timedelta(days=1)) == (0, 0)
    assert len(inbox.messages) == 1


def test_server_down_for_an_hour_then_back_delivers_everything_once(smtp_app, port, inbox):
    for n in range(5):
        f.queued_email(smtp_app, f"person{n}@example.org")
    start = utcnow()
    # The job runs every minute while nothing listens on the port.
    for minute in range(61):
        sent, failed = mail.send_pending(start + timedelta(minutes=minute))
        assert sent == 0 and failed <= 1  # the batch stops at the first message that cannot connect
    assert "failed" not in _statuses()
    errors = {message.last_error for message in f.outbox() if message.last_error}
    assert errors and all("ConnectionRefused" in error for error in errors)

    controller = start_smtp(inbox, port)
    try:
        sent = sum(mail.send_pending(start + timedelta(minutes=minute))[0] for minute in range(61, 200))
    finally:
        controller.stop()
    assert sent == 5
    assert sorted(inbox.to) == [f"person{n}@example.org" for n in range(5)]
    assert _statuses() == ["sent"] * 5


def test_backoff_while_down_then_given_up_and_shown_to_the_admin(smtp_app, client):
    message = f.queued_email(smtp_app, "never@example.org")
    now = utcnow()
    tries = []
    for minute in range(0, 24 * 60):
        at = now + timedelta(minutes=minute)
        if mail.send_pending(at) != (0, 0):
            tries.append(minute)
    limit = smtp_app.config["MAIL_MAX_ATTEMPTS"]
    assert tries == [0, 1, 3, 7, 15, 31, 63, 127][:limit]  # 1, 2, 4 … minutes apart
    db.session.refresh(message)
    assert message.status == "failed" and message.attempts == limit

    f.login(client, f.user("admin"))
    home = client.get("/admin/").get_data(as_text=True)
    assert "1 failed" in home
    failed = client.get("/admin/outbox/?status=failed").get_data(as_text=True)
    assert "never@example.org" in failed and "ConnectionRefusedError" in failed
    detail = client.get(f"/admin/outbox/{message.id}").get_data(as_text=True)
    assert "ConnectionRefusedError" in detail


def test_a_recipient_refused_for_good_fails_at_once_and_the_rest_go(smtp_app, server, inbox):
    inbox.refuse_rcpt["gone@example.org"] = "550 5.1.1 no such user"
    f.queued_email(smtp_app, "gone@example.org")
    f.queued_email(smtp_app, "here@example.org")
    assert mail.send_pending() == (1, 1)
    gone, here = f.outbox()
    assert gone.status == "failed" and gone.attempts == 1 and "no such user" in gone.last_error
    assert here.status == "sent" and inbox.to == ["here@example.org"]


def test_a_temporary_refusal_is_retried_later_and_delivered_once(smtp_app, server, inbox):
    inbox.data_reply = "451 4.3.0 try again later"
    message = f.queued_email(smtp_app)
    now = utcnow()
    assert mail.send_pending(now) == (0, 1)
    db.session.refresh(message)
    assert message.status == "retrying" and "try again later" in message.last_error
    assert message.next_attempt_at - now == timedelta(minutes=1)
    inbox.data_reply = None
    assert mail.send_pending(now + timedelta(seconds=59)) == (0, 0)
    assert mail.send_pending(now + timedelta(minutes=1)) == (1, 0)
    assert len(inbox.messages) == 1


def test_a_hung_server_times_out_and_holds_up_one_message_only(smtp_app, port):
    smtp_app.config["MAIL_TIMEOUT_SECONDS"] = 0.5
    silent = Silent(port)
    try:
        for n in range(10):
            f.queued_email(smtp_app, f"person{n}@example.org")
        began = time.monotonic()
        assert mail.send_pending() == (0, 1)
        assert time.monotonic() - began < 3  # one timeout, not ten
    finally:
        silent.stop()
    statuses = _statuses()
    assert statuses.count("retrying") == 1 and statuses.count("queued") == 9
    assert any("timed out" in (m.last_error or "") for m in f.outbox())


@pytest.fixture
def certificate(tmp_path):
    return self_signed(tmp_path)


def test_starttls_with_a_login(smtp_app, inbox, port, certificate):
    cert, key = certificate
    controller = start_smtp(inbox, port, starttls=server_context(cert, key))
    smtp_app.config.update(
        MAIL_SERVER="localhost", MAIL_SECURITY="starttls", MAIL_TLS_CA_FILE=str(cert), MAIL_USERNAME=USER
    )
    try:
        f.queued_email(smtp_app, "tls@example.org")
        smtp_app.config["MAIL_PASSWORD"] = "wrong"  # noqa: S105
        assert mail.send_pending() == (0, 1)
        (message,) = f.outbox()
        assert "SMTPAuthenticationError" in message.last_error and inbox.messages == []

        smtp_app.config["MAIL_PASSWORD"] = PASSWORD
        assert mail.send_pending(utcnow() + timedelta(minutes=1)) == (1, 0)
        assert inbox.to == ["tls@example.org"] and inbox.logins == [USER]
    finally:
        controller.stop()


def test_starttls_refuses_a_certificate_it_does_not_trust(smtp_app, inbox, port, certificate):
    cert, key = certificate
    controller = start_smtp(inbox, port, starttls=server_context(cert, key))
    smtp_app.config.update(
        MAIL_SERVER="localhost", MAIL_SECURITY="starttls", MAIL_USERNAME=USER, MAIL_PASSWORD=PASSWORD
    )
    try:
        f.queued_email(smtp_app)
        assert mail.send_pending() == (0, 1)
        assert "CERTIFICATE_VERIFY_FAILED" in f.outbox()[0].last_error and inbox.messages == []
    finally:
        controller.stop()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_implicit_tls_with_a_login(smtp_app, inbox, port, certificate):
    cert, key = certificate
    controller = start_smtp(inbox, port, implicit=server_context(cert, key))
    smtp_app.config.update(
        MAIL_SERVER="localhost",
        MAIL_SECURITY="tls",
        MAIL_TLS_CA_FILE=str(cert),
        MAIL_USERNAME=USER,
        MAIL_PASSWORD=PASSWORD,
    )
    try:
        f.queued_email(smtp_app, "implicit@example.org")
        assert mail.send_pending() == (1, 0)
        assert inbox.to == ["implicit@example.org"] and inbox.logins == [USER]
    finally:
        controller.stop()


PRODUCTION = {
    "SECRET_KEY": "x" * 40,
    "MAIL_BACKEND": "smtp",
    "PUBLIC_URL": "https://gems.example.fi",
    "MAIL_SERVER": "smtp.example.fi",
    "MAIL_SECURITY": "starttls",
    "MAIL_USERNAME": "gems",
    "MAIL_PASSWORD": "a password",
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"MAIL_PASSWORD": None}, "MAIL_PASSWORD is missing"),
        ({"MAIL_PASSWORD": ""}, "MAIL_PASSWORD is missing"),
        ({"MAIL_USERNAME": None, "MAIL_PASSWORD": None}, "needs a login"),
        ({"MAIL_SECURITY": "none"}, "clear text"),
        ({"MAIL_SECURITY": "ssl"}, "starttls, tls or none"),
    ],
)
def test_production_refuses_smtp_settings_that_cannot_work(monkeypatch, change, message):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1/none")
    ProductionConfig.check(PRODUCTION)  # the good settings pass
    with pytest.raises(RuntimeError, match=message):
        ProductionConfig.check({**PRODUCTION, **change})


def test_production_allows_a_relay_on_the_same_host_without_a_login(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1/none")
    ProductionConfig.check(
        {
            **PRODUCTION,
            "MAIL_SERVER": "localhost",
            "MAIL_SECURITY": "none",
            "MAIL_USERNAME": None,
            "MAIL_PASSWORD": None,
        }
    )
