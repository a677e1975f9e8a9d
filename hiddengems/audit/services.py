"""Audit trail: who did what to which object, from where. Ids only, never text."""

from __future__ import annotations

from functools import cache

from flask import after_this_request, has_request_context, request
from sqlalchemy import insert

from hiddengems.audit.models import AuditEvent
from hiddengems.dbsetup import WRITE_ALONE, reading_alone, write_locked
from hiddengems.extensions import db


def client_address() -> str | None:
    if not has_request_context():
        return None
    return request.remote_addr


def _values(action: str, actor_id: int | None, object_type: str | None, object_id: int | None, detail) -> dict:
    return {
        "action": action,
        "actor_id": actor_id,
        "object_type": object_type,
        "object_id": object_id,
        "address": client_address(),
        "detail": detail,
    }


@cache
def _insert():
    """The INSERT of an audit row, made once: case file views write one each. On the table,
    not the mapped class: an ORM INSERT with values goes through the ORM's bulk path, which
    makes a new statement (and its cache key) on every call."""
    return insert(AuditEvent.__table__)


def record(
    action: str,
    *,
    actor=None,
    object_type: str | None = None,
    object_id: int | None = None,
    detail: dict | None = None,
) -> AuditEvent:
    """An audit row in the caller's transaction: it is kept only with the change it records."""
    known = actor is not None and getattr(actor, "is_authenticated", True)
    event = AuditEvent(**_values(action, getattr(actor, "id", None) if known else None, object_type, object_id, detail))
    db.session.add(event)
    db.session.flush()
    return event


def record_now(
    action: str,
    *,
    actor_id: int | None,
    object_type: str | None = None,
    object_id: int | None = None,
    detail: dict | None = None,
) -> None:
    """An audit row committed at once, in a short transaction on a connection of its own.

    For pages that only read, apart from the row saying who looked (a case file's view,
    a refused access): their own transaction begins without SQLite's write lock, so
    that they never wait for writers; only this one INSERT takes the lock, for a moment.
    Written before the page is shown, so that nothing is seen unrecorded.

    The session must not hold the write lock meanwhile (it would wait for itself):
    call it from GET views, or after rolling the session back (having read the actor's
    id before: the rollback expires the user, and reading it again would begin a new
    transaction)."""
    with db.engine.connect() as conn, write_locked(conn).begin():
        conn.execute(_insert(), _values(action, actor_id, object_type, object_id, detail))


def record_view(
    action: str,
    *,
    actor_id: int | None,
    object_type: str | None = None,
    object_id: int | None = None,
    detail: dict | None = None,
) -> None:
    """The audit row of a read page (a case file's view): committed before the page leaves.

    SQLite: record_now, so that the page's reads never wait for the write lock. PostgreSQL
    has no such lock: the row goes on the request's own connection. A GET's reads run
    there statement by statement (dbsetup.reads_alone), so the INSERT is committed as it
    runs, before the page is read; a failure answers 500 instead of the page. Should the
    request be in a transaction after all, that is committed once the view has answered
    and before the answer is sent. A connection and a transaction of its own would cost
    three round trips more on every view of a case file.

    Call it from GET views, before the view reads what it shows; the view commits nothing
    it did not mean to (a GET writes nothing else)."""
    if db.session.get_bind().dialect.name == "sqlite":
        record_now(action, actor_id=actor_id, object_type=object_type, object_id=object_id, detail=detail)
        return
    values = _values(action, actor_id, object_type, object_id, detail)
    db.session.execute(_insert(), values, execution_options={WRITE_ALONE: True})
    if reading_alone(db.session.connection()):
        return  # a read runs statement by statement (dbsetup.reads_alone): the row is committed

    @after_this_request
    def commit_the_view(response):
        db.session.commit()
        return response
