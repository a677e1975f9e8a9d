"""Which transactions wait for SQLite's one write lock (hiddengems/dbsetup.py).

Pages that only read never wait for a writer; what writes takes the lock up front,
so that it waits its turn instead of failing with "database is locked".
"""

from __future__ import annotations

import re
import sqlite3
import threading

import pytest
from sqlalchemy import event, select

from hiddengems.audit.models import AuditEvent
from hiddengems.auth.services import make_token
from hiddengems.dbsetup import WRITE_LOCK
from hiddengems.extensions import db
from tests.access_codes import ROLES
from tests.conftest import ON_POSTGRES
from tests.test_access_table import TABLE, world  # noqa: F401 - world is a fixture

pytestmark = pytest.mark.skipif(ON_POSTGRES, reason="SQLite's write lock; PostgreSQL readers never wait for it")

WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE)\b", re.I)


class OtherWriter:
    """Another process's writer in the middle of its transaction."""

    def __init__(self, app) -> None:
        path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
        self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)

    def __enter__(self) -> OtherWriter:
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute("INSERT INTO audit_event (at, action) VALUES (CURRENT_TIMESTAMP, 'other.writer')")
        return self

    def commit_after(self, seconds: float) -> threading.Timer:
        timer = threading.Timer(seconds, lambda: self.conn.execute("COMMIT"))
        timer.start()
        return timer

    def __exit__(self, *exc) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        self.conn.close()


def _writes_without_the_lock(engine):
    """Collects writes made in a transaction that began without the write lock."""
    found: list[str] = []

    def check(conn, cursor, statement, *args):
        if WRITE.match(statement) and not conn.info.get(WRITE_LOCK):
            found.append(statement.split("(")[0].strip())

    event.listen(engine, "before_cursor_execute", check)
    return found, lambda: event.remove(engine, "before_cursor_execute", check)


def test_read_pages_answer_while_another_connection_holds_the_write_lock(app, client, f):
    adviser = f.user("adviser")
    spouse = f.user("spouse")
    f.assign(spouse, adviser, "skills")
    assert f.login(client, adviser).status_code == 302
    with OtherWriter(app):
        for path in ("/account/password", "/cases/", "/desk", "/cases/queue"):
            response = client.get(path)
            assert response.status_code == 200, path


def test_a_case_file_waits_for_the_writer_and_records_the_view(app, client, f):
    """Its audit row is a write: it waits for the lock (busy_timeout), then the page shows."""
    adviser = f.user("adviser")
    case = f.assign(f.user("spouse"), adviser, "skills")
    assert f.login(client, adviser).status_code == 302
    with OtherWriter(app) as other:
        committed = other.commit_after(0.2)
        response = client.get(f"/cases/{case.id}")
        committed.join()
    assert response.status_code == 200
    views = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "case.viewed")).all()
    assert [(v.actor_id, v.object_id) for v in views] == [(adviser.id, case.id)]
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "other.writer")) is not None


def test_no_get_writes_in_a_transaction_that_began_without_the_lock(world):  # noqa: F811
    """Every GET rule × every role, the refusals (403, audited) included: what they write,
    they write holding the lock (audit rows on their own connection)."""
    found, stop = _writes_without_the_lock(db.engine)
    try:
        for endpoint, (method, _expected) in sorted(TABLE.items()):
            if method != "GET":
                continue
            for url in world.urls(endpoint):
                for role in ROLES:
                    world.client(role).get(url)
    finally:
        stop()
    assert found == []
    denied = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "access.denied")).all()
    assert denied, "the walk met refusals, and each is in the audit log"


def test_verifying_an_e_mail_address_writes_holding_the_lock(app, client, f):
    spouse = f.user("spouse", verified=False)
    with app.test_request_context():
        token = make_token(spouse, "verify")
    db.session.commit()
    found, stop = _writes_without_the_lock(db.engine)
    try:
        with OtherWriter(app) as other:
            committed = other.commit_after(0.2)
            response = client.get(f"/verify/{token}")
            committed.join()
    finally:
        stop()
    assert response.status_code == 302
    assert found == []
    db.session.refresh(spouse)
    assert spouse.email_verified_at is not None
