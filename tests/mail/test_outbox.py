"""E-mail goes through the outbox: written with its cause, sent once, retried with backoff."""

from __future__ import annotations

import smtplib
from datetime import timedelta

from hiddengems.auth.models import User
from hiddengems.extensions import db
from hiddengems.mail import services as mail
from hiddengems.mail.models import OutboxMessage
from hiddengems.timeutil import utcnow
from tests import factories as f


def _queue(app, to="someone@example.org"):
    return f.queued_email(app, to)


def test_message_is_written_in_the_same_transaction_as_its_cause(app):
    org = f.org()
    user = User(email="rollback@example.org", name="R", role="spouse", password_hash="x", organisation_id=org.id)
    db.session.add(user)
    with app.test_request_context(method="POST"):
        mail.queue(user.email, "S", "password_changed", kind="test", user=user, reset_url="http://x/")
    db.session.rollback()
    assert f.outbox() == []
    assert db.session.scalar(db.select(User).where(User.email == "rollback@example.org")) is None


def test_send_marks_sent_once(app):
    _queue(app)
    db.session.commit()
    assert mail.send_pending() == (1, 0)
    assert mail.send_pending() == (0, 0)
    (message,) = f.outbox()
    assert message.sent_at is not None and message.attempts == 1 and message.status == "sent"


def test_failures_are_retried_with_backoff_then_given_up(app, monkeypatch):
    app.config["MAIL_BACKEND"] = "smtp"
    calls = []

    class Broken:
        def __init__(self, *args, **kwargs):
            calls.append(args)
            raise smtplib.SMTPConnectError(421, "try later")

    monkeypatch.setattr(smtplib, "SMTP", Broken)
    _queue(app)
    db.session.commit()
    now = utcnow()
    assert mail.send_pending(now) == (0, 1)
    (message,) = f.outbox()
    assert message.status == "retrying" and message.attempts == 1
    assert message.next_attempt_at - now == timedelta(minutes=1)
    # Not due yet: nothing is tried.
    assert mail.send_pending(now + timedelta(seconds=30)) == (0, 0)
    later = now
    for attempt in range(2, app.config["MAIL_MAX_ATTEMPTS"] + 1):
        later = later + mail.backoff(attempt - 1)
        assert mail.send_pending(later) == (0, 1)
    db.session.refresh(message)
    assert message.status == "failed" and message.attempts == app.config["MAIL_MAX_ATTEMPTS"]
    assert len(calls) == app.config["MAIL_MAX_ATTEMPTS"]
    assert "try later" in message.last_error


def test_backoff_grows_and_is_capped():
    assert [mail.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert mail.backoff(30) == timedelta(hours=6)


def test_console_backend_prints_the_message(app, capsys):
    app.config["MAIL_BACKEND"] = "console"
    _queue(app, "console@example.org")
    db.session.commit()
    mail.send_pending()
    out = capsys.readouterr().out
    assert "console@example.org" in out and "http://x/" in out


def test_admin_reads_the_outbox(app, client):
    _queue(app, "reader@example.org")
    db.session.commit()
    message_id = db.session.scalar(db.select(OutboxMessage.id))
    f.login(client, f.user("admin"))
    listing = client.get("/admin/outbox/?status=pending").get_data(as_text=True)
    assert "reader@example.org" in listing
    detail = client.get(f"/admin/outbox/{message_id}").get_data(as_text=True)
    assert "http://x/" in detail
    assert "reader@example.org" not in client.get("/admin/outbox/?status=sent").get_data(as_text=True)


def test_outbox_cli(app, runner):
    _queue(app)
    db.session.commit()
    result = runner.invoke(args=["outbox", "send"])
    assert "1 sent, 0 failed" in result.output


def test_secret_links_never_reach_the_admin_and_are_not_kept_once_sent(app, client, capsys):
    """A forgotten-password e-mail for an adviser once showed its reset link to the admin,
    who could set the password and read case files."""
    adviser = f.user("adviser")
    anonymous = app.test_client()
    anonymous.post("/password/forgot", data={"email": adviser.email})
    (message,) = f.outbox("reset_password")
    link = f.link_from(message, "/password/reset/")
    token = link.rsplit("/", 1)[1]
    assert token not in message.body  # the stored body holds a mark, not the link

    f.login(client, f.user("admin"))
    shown = client.get(f"/admin/outbox/{message.id}").get_data(as_text=True)
    assert token not in shown
    assert "only the recipient sees it" in shown

    app.config["MAIL_BACKEND"] = "console"
    assert mail.send_pending() == (1, 0)
    assert token in capsys.readouterr().out  # the recipient's e-mail carries it
    db.session.refresh(message)
    assert message.secrets is None
    assert token not in message.text_to_send()
    assert "no longer available" in message.text_to_send()
