"""Engine settings that make the embedded SQLite default safe under several writers.

SQLite has one write lock for the whole database. In WAL mode readers never wait
for it, but a transaction that reads and then writes must take it up front
(BEGIN IMMEDIATE): upgrading a read transaction to a write one fails at once with
"database is locked" when another writer committed meanwhile, without waiting for
busy_timeout. Taking it up front for reads too, though, queues every page behind
every writer. So each transaction says which it is:

- ``write_lock_by_default()`` (given by the web layer) answers for a transaction
  that did not say: requests with unsafe methods, jobs and commands take the lock;
  GET pages read without it.
- ``begin_writing(session)`` makes the session's next transaction take it, for work
  that claims rows (the outbox sender) or a GET that writes (e-mail verification).
- ``write_locked(connection)``: a connection of its own that takes it, for a GET
  page's one write (its audit row), so that the page's reads are not held behind it.

On PostgreSQL none of that applies: row locks and MVCC do this job. There a pooled
connection may have died while it waited in the pool (the server restarted, a firewall
dropped it): ``ping_when_idle`` tries one that has been idle for a while before handing
it out, and replaces it if it does not answer. A connection in steady use is not pinged:
SQLAlchemy's pool_pre_ping would cost a round trip on every request.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import event, exc
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, scoped_session

# Execution option of a connection: True begins IMMEDIATE, False deferred, absent asks the default.
WRITE_LOCK = "hiddengems_write_lock"


# Where a pooled connection keeps the time it was returned to the pool.
IDLE_SINCE = "hiddengems_idle_since"


def configure_engine(
    engine: Engine, *, write_lock_by_default: Callable[[], bool] = lambda: True, ping_after_idle: float = 10.0
) -> None:
    if engine.dialect.name != "sqlite":
        ping_when_idle(engine, after_seconds=ping_after_idle)
        return

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
        # Let SQLAlchemy emit BEGIN itself (below) instead of pysqlite's deferred BEGIN.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(WRITE_LOCK)
        if immediate is None:
            immediate = write_lock_by_default()
        # Kept on the connection so that begin_writing can tell what an open transaction holds.
        conn.info[WRITE_LOCK] = bool(immediate)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def ping_when_idle(engine: Engine, *, after_seconds: float) -> None:
    """Before a connection idle for ``after_seconds`` or more is handed out, a round trip
    checks that it still answers; if not, the pool replaces it (up to three times) and the
    request goes on with a new one, instead of failing on the dead one."""

    @event.listens_for(engine, "checkin")
    def _idle_from(_dbapi_connection, record) -> None:
        record.info[IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy) -> None:
        since = record.info.get(IDLE_SINCE)
        if since is None or time.monotonic() - since < after_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise exc.DisconnectionError("a pooled connection no longer answers") from error


# Set in a session's info once its transaction has written anything (flushed, or executed a
# statement that is not a SELECT); cleared when that transaction ends, committed or rolled
# back, so that what a request reads after its commit is ended as a read.
WROTE = "hiddengems_wrote"


def _flushed(session: Session, _context) -> None:
    session.info[WROTE] = True


def _executed(state) -> None:
    if not state.is_select:
        state.session.info[WROTE] = True


def _ended(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(WROTE, None)


def mark_written(session: Session | scoped_session) -> None:
    """For a write the session does not see (COPY on its driver connection)."""
    if isinstance(session, scoped_session):
        session = session()
    session.info[WROTE] = True


def track_writes(session: scoped_session) -> None:
    """Keep WROTE in the info of the sessions of this factory (once, however many apps)."""
    listeners = (("after_flush", _flushed), ("do_orm_execute", _executed), ("after_transaction_end", _ended))
    for name, listener in listeners:
        if not event.contains(session, name, listener):
            event.listen(session, name, listener)


def end_reading(session: Session | scoped_session) -> bool:
    """End a PostgreSQL transaction that only read with COMMIT instead of ROLLBACK.

    The two are the same to the database for a transaction that wrote nothing, but psycopg
    forgets the statements it has prepared at every ROLLBACK: a connection that ends each
    request with one plans every query anew, and the plans of the case lists and the case
    file cost more than running them. Ended with COMMIT, a query that a connection has run
    five times is prepared (psycopg's prepare_threshold) and planned no more. That holds for
    every request, posts too: one that committed its change and then read (the signed-in
    user again, for the redirect) ends that read with COMMIT, or each post would make its
    worker's connection plan every page anew.

    Returns whether it committed; a transaction that wrote anything, or has changes waiting,
    is left to be rolled back as before (SQLite: always; its driver keeps its statements)."""
    if isinstance(session, scoped_session):
        session = session()
    if not session.in_transaction() or session.get_bind().dialect.name != "postgresql":
        return False
    if session.info.get(WROTE) or session.new or session.dirty or session.deleted:
        return False
    session.commit()
    return True


def holds_write_lock(conn: Connection) -> bool:
    """Whether this connection's transaction began with SQLite's write lock."""
    return bool(conn.info.get(WRITE_LOCK))


def begin_writing(session: Session | scoped_session) -> None:
    """Begin the session's transaction with the write lock (SQLite: BEGIN IMMEDIATE).

    Call it before the transaction's first statement. If the session is already in a
    transaction that holds the lock (outside requests every transaction does), that one
    goes on; one that began without it cannot take it safely any more, so that is a bug
    in the caller and raises."""
    if isinstance(session, scoped_session):
        session = session()
    if session.get_bind().dialect.name != "sqlite":
        return
    if session.in_transaction():
        if not holds_write_lock(session.connection()):
            raise RuntimeError("begin_writing: the session's transaction already began without the write lock")
        return
    session.connection(execution_options={WRITE_LOCK: True})


def write_locked(conn: Connection) -> Connection:
    """Make a fresh connection's transaction begin with the write lock (SQLite)."""
    return conn.execution_options(**{WRITE_LOCK: True})


# Objects the migrations make for one database only, outside the models (the taxonomy
# search's FTS5 table on SQLite, with its shadow tables, and its trigram indexes on
# PostgreSQL): the comparison of models and migrations and autogenerate leave them alone.
DATABASE_SPECIFIC = ("taxonomy_label_fts", "ix_taxonomy_label_trgm")


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic's include_name hook: False for the database-specific objects above."""
    return not (name and type_ in ("table", "index") and name.startswith(DATABASE_SPECIFIC))
