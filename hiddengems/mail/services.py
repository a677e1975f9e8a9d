"""The one path for e-mail: queue in the outbox now, deliver later with retries."""

from __future__ import annotations

import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import parseaddr

from flask import current_app, has_request_context, render_template, url_for
from sqlalchemy import func, insert, select, update

from hiddengems.audit.services import record
from hiddengems.dbsetup import begin_writing
from hiddengems.extensions import db
from hiddengems.mail import smtp
from hiddengems.mail.models import LINK_MARK, OutboxMessage
from hiddengems.timeutil import utcnow


def public_url(endpoint: str, **values) -> str:
    """An absolute link for an e-mail, built on PUBLIC_URL rather than the Host header;
    also outside a request (a job, a command), where url_for has no request to build on."""
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["PUBLIC_URL"].rstrip("/") + path


def queue(
    to_address: str,
    subject: str,
    template: str,
    *,
    kind: str,
    user_id: int | None = None,
    secrets: dict[str, str] | None = None,
    attachments: list[dict[str, str]] | None = None,
    **context,
) -> OutboxMessage:
    """Write a message to the outbox in the caller's transaction (flush, no commit).

    ``secrets`` are template values only the recipient may see (links that log in or
    change a password): the stored body carries a mark in their place, and the values
    are kept beside it until the message is sent. ``attachments`` are text files sent
    with it: {"filename", "content_type" ("text/calendar; method=REQUEST"), "content"}."""
    marks = {name: LINK_MARK.format(name) for name in secrets or {}}
    body = render_template(f"email/{template}.txt", **context, **marks)
    message = OutboxMessage(
        to_address=to_address,
        subject=subject,
        body=body,
        kind=kind,
        user_id=user_id,
        secrets=secrets or None,
        attachments=attachments or None,
    )
    db.session.add(message)
    db.session.flush()
    return message


def recently_sent(user_id: int, kind: str, within: timedelta) -> int:
    """How many messages of a kind went to one account lately: anyone can type an address
    into the reset or registration form, so those e-mails are capped per account."""
    since = utcnow() - within
    return db.session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.user_id == user_id, OutboxMessage.kind == kind, OutboxMessage.created_at >= since)
    )


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes, at most six hours between tries."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def _email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    # The outbox row's id: a receiving system can tell a resent message (the one case:
    # the server took it but the commit that records it failed) from a new one.
    domain = parseaddr(email["From"])[1].rpartition("@")[2] or "hiddengems.invalid"
    email["Message-ID"] = f"<outbox.{message.id}.{message.created_at:%Y%m%d%H%M%S}@{domain}>"
    email.set_content(message.text_to_send())
    for attachment in message.attachments or ():
        _maintype, _slash, rest = attachment["content_type"].partition("/")
        subtype, *params = (part.strip() for part in rest.split(";"))
        email.add_attachment(
            attachment["content"],
            subtype=subtype,
            filename=attachment["filename"],
            params=dict(param.split("=", 1) for param in params if "=" in param),
        )
    return email


def _deliver(message: OutboxMessage, transport: smtp.Transport | None) -> None:
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "memory":
        return
    if backend == "console":
        # Development only: the whole message on the console, so links can be followed.
        print(
            f"\n----- e-mail #{message.id} to {message.to_address}: {message.subject}\n{message.text_to_send()}\n-----",
            flush=True,
        )
        return
    assert transport is not None
    transport.send(_email(message))


def _failed(message: OutboxMessage, error: Exception, now: datetime, *, final: bool) -> None:
    message.last_error = f"{type(error).__name__}: {error}"[:500]
    if final or message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        message.failed_at = now
        # Given up: its links would have expired before anyone could retry it.
        message.secrets = None
    else:
        message.next_attempt_at = now + backoff(message.attempts)
    current_app.logger.warning(
        "outbox message %s failed (attempt %s): %s", message.id, message.attempts, message.last_error
    )


def send_pending(now: datetime | None = None, limit: int = 50) -> tuple[int, int]:
    """Send what is due, one message per transaction. Returns (sent, failed).

    Each row is locked while it is sent (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite,
    which ignores FOR UPDATE: the write lock, taken before the row is read), so two
    senders never send the same message, and the commit after each send records it
    once even if a later one crashes. One SMTP session serves the batch; when the
    server cannot be reached, the batch stops at the first message (which counts an
    attempt), and the rest wait for the next run without spending theirs."""
    now = now or utcnow()
    stmt = (
        select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None), OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    transport = smtp.Transport(current_app.config) if current_app.config["MAIL_BACKEND"] == "smtp" else None
    sent = failed = 0
    try:
        for _ in range(limit):
            # Asked for explicitly, not left to the default of jobs: the claim rests on it.
            begin_writing(db.session)
            message = db.session.scalars(stmt).first()
            if message is None:
                break
            message.attempts += 1
            try:
                _deliver(message, transport)
            except smtp.ServerUnavailable as error:
                failed += 1
                _failed(message, error, now, final=False)
                db.session.commit()
                break
            except smtp.Refused as error:
                failed += 1
                _failed(message, error, now, final=True)
            except (OSError, smtplib.SMTPException) as error:
                failed += 1
                _failed(message, error, now, final=False)
            else:
                sent += 1
                message.sent_at = now
                message.last_error = None
                # Delivered: nobody needs the secret links any more, so they are not kept.
                message.secrets = None
            db.session.commit()
    finally:
        db.session.rollback()
        if transport is not None:
            transport.close()
    return sent, failed


def queue_many(messages: list[dict], *, now: datetime | None = None) -> dict[int, int]:
    """``queue`` for many messages at once (the reminder sweep), at most one per account:
    each dict has to_address, subject, template, kind, user_id and context. One INSERT
    for all, in the caller's transaction; returns {user_id: new message id}."""
    if not messages:
        return {}
    now = now or utcnow()
    # The template itself, without the request's context processors: the sweep that calls
    # this runs outside any request.
    templates = {
        name: current_app.jinja_env.get_template(f"email/{name}.txt") for name in {m["template"] for m in messages}
    }
    rows = [
        {
            "to_address": m["to_address"],
            "subject": m["subject"][:200],
            "body": templates[m["template"]].render(**m["context"]),
            "kind": m["kind"],
            "user_id": m.get("user_id"),
            "created_at": now,
            "next_attempt_at": now,
            "attempts": 0,
        }
        for m in messages
    ]
    stmt = insert(OutboxMessage).returning(OutboxMessage.user_id, OutboxMessage.id)
    return dict(db.session.execute(stmt, rows).all())


class RetryRefused(Exception):
    """A message that cannot be sent again: ``reason`` is "not_failed" (it is waiting or
    was sent) or "link_gone" (its personal link was discarded when it was given up on)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def retry(message: OutboxMessage, *, actor) -> None:
    """Put a failed message back in the queue, due now, with its attempts counted afresh.

    One conditional UPDATE: of the same click sent twice (or twenty times), one puts it
    back and the others find it no longer failed. A message whose secret link was
    discarded is refused: sent again, it would carry "[this link is no longer available]"."""
    if message.failed_at is not None and message.secrets is None and LINK_MARK.split("{}")[0] in message.body:
        raise RetryRefused("link_gone")
    now = utcnow()
    put_back = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.failed_at.is_not(None), OutboxMessage.sent_at.is_(None))
        .values(failed_at=None, attempts=0, next_attempt_at=now)
        .execution_options(synchronize_session=False)
    )
    if put_back.rowcount != 1:
        raise RetryRefused("not_failed")
    db.session.expire(message)
    record("mail.retried", actor=actor, object_type="outbox_message", object_id=message.id)
