"""The admin sends a failed message again: a POST (CSRF), an audit row, once however
often it is clicked; a message whose personal link was discarded is not sent without it."""

from __future__ import annotations

from sqlalchemy import func, select

from hiddengems.audit.models import AuditEvent
from hiddengems.extensions import db
from hiddengems.mail import services as mail
from hiddengems.timeutil import utcnow
from tests import factories as f
from tests.at_once import at_once


def _failed(message, error: str = "SMTPRecipientsRefused: mailbox full") -> None:
    message.failed_at, message.attempts, message.last_error = utcnow(), 5, error
    message.secrets = None  # as send_pending leaves a message it gave up on
    db.session.commit()


def _admin(app):
    client = app.test_client()
    f.login(client, f.user("admin"))
    return client


def test_a_failed_message_is_sent_again(app):
    message = f.queued_email(app, "full@example.org")
    _failed(message)
    admin = _admin(app)
    page = admin.get(f"/admin/outbox/{message.id}").get_data(as_text=True)
    assert "Send again" in page and "mailbox full" in page
    assert admin.get(f"/admin/outbox/{message.id}/retry").status_code == 405  # never by a link
    response = admin.post(f"/admin/outbox/{message.id}/retry", follow_redirects=True)
    assert "back in the queue" in response.get_data(as_text=True)
    db.session.refresh(message)
    assert message.status == "queued" and message.failed_at is None and message.attempts == 0
    (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "mail.retried"))
    assert (event.object_type, event.object_id) == ("outbox_message", message.id)
    assert mail.send_pending() == (1, 0)
    db.session.refresh(message)
    assert message.status == "sent"
    # Sent: no button, and asking again changes nothing.
    assert "Send again</button>" not in admin.get(f"/admin/outbox/{message.id}").get_data(as_text=True)
    again = admin.post(f"/admin/outbox/{message.id}/retry", follow_redirects=True).get_data(as_text=True)
    assert "not a failed one" in again


def test_a_message_whose_link_was_discarded_is_not_sent_without_it(app):
    adviser = f.user("adviser")
    app.test_client().post("/password/forgot", data={"email": adviser.email})
    (message,) = f.outbox("reset_password")
    token = f.link_from(message, "/password/reset/").rsplit("/", 1)[1]
    _failed(message)
    admin = _admin(app)
    html = admin.post(f"/admin/outbox/{message.id}/retry", follow_redirects=True).get_data(as_text=True)
    assert "carried a personal link" in html and token not in html
    db.session.refresh(message)
    assert message.status == "failed"


def test_twenty_clicks_at_once_put_it_back_once(app):
    message = f.queued_email(app)
    _failed(message)
    admin = f.user("admin")
    clients = [app.test_client() for _ in range(20)]
    for client in clients:
        f.login(client, admin)
    url = f"/admin/outbox/{message.id}/retry"
    db.session.commit()
    answers = at_once(20, lambda i: str(clients[i].post(url).status_code))
    assert answers == ["302"] * 20
    events = select(func.count()).where(AuditEvent.action == "mail.retried")
    assert db.session.scalar(events) == 1


def test_csrf_is_required(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        message = f.queued_email(app)
        _failed(message)
        client = app.test_client()
        admin = f.user("admin")
        client.get("/login")
        f.login(client, admin)
        client.post(f"/admin/outbox/{message.id}/retry")
        db.session.refresh(message)
        assert message.status == "failed"
