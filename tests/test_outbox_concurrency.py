"""Two outbox senders at the same moment: every message is delivered exactly once.

Runs on SQLite (the sender takes the write lock before it reads a message) and,
with TEST_DATABASE_URL, on PostgreSQL (FOR UPDATE SKIP LOCKED): no marker, so
that both suites run it.
"""

from __future__ import annotations

import threading
import time
from collections import Counter

from sqlalchemy import select

from hiddengems.extensions import db
from hiddengems.mail import services as mail
from hiddengems.mail.models import OutboxMessage
from tests import factories as f

MESSAGES = 12


def test_two_senders_at_once_deliver_every_message_exactly_once(app, monkeypatch):
    for n in range(MESSAGES):
        f.queued_email(app, f"person{n}@example.org")
    delivered: list[tuple[str, int]] = []
    guard = threading.Lock()

    def slow_backend(message: OutboxMessage, _transport) -> None:
        with guard:
            delivered.append((threading.current_thread().name, message.id))
        # A delivery takes a while (an SMTP round trip): long enough for the other
        # sender to reach the same message if nothing stopped it.
        time.sleep(0.02)

    monkeypatch.setattr(mail, "_deliver", slow_backend)
    start = threading.Barrier(2)
    results: dict[str, tuple[int, int]] = {}
    errors: list[BaseException] = []

    def sender() -> None:
        try:
            with app.app_context():
                start.wait()
                results[threading.current_thread().name] = mail.send_pending()
                db.session.remove()
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=sender, name=f"sender-{i}") for i in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors

    ids = db.session.scalars(select(OutboxMessage.id)).all()
    assert Counter(message_id for _, message_id in delivered) == Counter(ids)
    assert sum(sent for sent, _failed in results.values()) == MESSAGES
    db.session.expire_all()
    assert all(message.status == "sent" and message.attempts == 1 for message in f.outbox())
