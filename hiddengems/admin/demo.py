"""Demo data of the admin's pages: a colleague invited but not yet in (their invitation in
the outbox, its link hidden from the admin), an e-mail that failed and can be sent again,
and the last logins the user list shows."""

from __future__ import annotations

import random
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, text, update

from hiddengems.admin.services import create_staff_user
from hiddengems.auth.models import User
from hiddengems.extensions import db
from hiddengems.mail.models import OutboxMessage
from hiddengems.timeutil import utcnow

INVITED = ("Ville Newcomer", "ville.newcomer@demo.hiddengems.fi")


def add_demo(rng: random.Random, **_) -> None:
    now = utcnow()
    admin = db.session.scalar(select(User).where(User.role == "admin").order_by(User.id))
    if admin is None:
        return
    if db.engine.dialect.name == "postgresql":
        # The participants were inserted with explicit ids, past the sequence.
        db.session.execute(
            text("SELECT setval(pg_get_serial_sequence('user_account', 'id'), (SELECT MAX(id) FROM user_account))")
        )
    # As the admin's form does it: an account without a password, and the invitation.
    with current_app.test_request_context():
        invited = create_staff_user(admin, name=INVITED[0], email=INVITED[1], role="adviser", organisation_id=None)
    db.session.add(
        OutboxMessage(
            to_address="old.address@example.org",
            subject="Your follow-ups for today",
            body="Hello,\n\nYou have 3 follow-ups due today. Open Hidden Gems to see them.\n",
            kind="digest",
            created_at=now - timedelta(days=2),
            next_attempt_at=now - timedelta(days=1),
            attempts=5,
            failed_at=now - timedelta(days=1),
            last_error="SMTPRecipientsRefused: 550 5.1.1 mailbox unavailable",
        )
    )
    # Staff who have been working lately; a few participants too.
    staff = db.session.scalars(select(User.id).where(User.role != "spouse", User.id != invited.id)).all()
    for user_id in staff:
        at = now - timedelta(hours=rng.randint(1, 24 * 14))
        db.session.execute(update(User).where(User.id == user_id).values(last_login_at=at))
    spouses = db.session.scalars(select(User.id).where(User.role == "spouse").order_by(User.id).limit(40)).all()
    for user_id in rng.sample(spouses, min(len(spouses), 15)):
        at = now - timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 23))
        db.session.execute(update(User).where(User.id == user_id).values(last_login_at=at))
    db.session.flush()
