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

On PostgreSQL there is no such lock (row locks and MVCC do its job), but the same
answer decides whether a transaction is one: a transaction that only reads runs in the
driver's autocommit mode (``reads_alone``), each statement on its own, as READ COMMITTED
gives each statement its own snapshot anyway. That spares two round trips on every page,
BEGIN and COMMIT. What writes opens a real transaction the same ways: POSTs, jobs and
commands by default, ``begin_writing`` for the rest. A GET's one audit row is written
alone (``WRITE_ALONE``); any other write in a read is refused before it reaches the
database (``WriteInARead``), on SQLite too, where it would not have waited for the lock.

On PostgreSQL a pooled connection may have died while it waited in the pool (the server
restarted, a firewall dropped it): ``ping_when_idle`` tries one that has been idle for a
while before handing it out, and replaces it if it does not answer. A connection in
steady use is not pinged: SQLAlchemy's pool_pre_ping would cost a round trip on every
request. And psycopg's cursors tell their results' columns only when asked (``_Cursor``)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence

import psycopg
from psycopg import Column
from psycopg.pq import ExecStatus
from sqlalchemy import event, exc
from sqlalchemy.engine import Connection, Engine, Row
from sqlalchemy.orm import Session, scoped_session
from sqlalchemy.sql.elements import TextClause

# Execution option of a connection: True begins IMMEDIATE, False deferred, absent asks the default.
WRITE_LOCK = "hiddengems_write_lock"


# Where a pooled connection keeps the time it was returned to the pool.
IDLE_SINCE = "hiddengems_idle_since"


# Set in a connection's info while its transaction reads in the driver's autocommit mode.
READS_ALONE = "hiddengems_reads_alone"

# Execution option of a write that may run in a read (a GET's audit row): one statement,
# committed on its own.
WRITE_ALONE = "hiddengems_write_alone"


def configure_engine(
    engine: Engine, *, write_lock_by_default: Callable[[], bool] = lambda: True, ping_after_idle: float = 10.0
) -> None:
    if engine.dialect.name != "sqlite":
        ping_when_idle(engine, after_seconds=ping_after_idle)
        reads_alone(engine, write_lock_by_default)
        event.listen(engine, "connect", _describe_when_asked)
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
        immediate = _begins_writing(conn, write_lock_by_default)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _begins_writing(conn: Connection, by_default: Callable[[], bool]) -> bool:
    """Whether the transaction beginning on this connection writes: as its execution
    options say, else as the default answers. Kept in the connection's info, so that
    begin_writing and the refusal of writes in a read can tell what an open transaction is."""
    writes = conn.get_execution_options().get(WRITE_LOCK)
    conn.info[WRITE_LOCK] = bool(by_default() if writes is None else writes)
    return conn.info[WRITE_LOCK]


def _stop_reading_alone(conn: Connection) -> None:
    """Out of autocommit mode: the connection's next statement begins a real transaction."""
    if conn.info.pop(READS_ALONE, False):
        conn.connection.dbapi_connection.autocommit = False


def reads_alone(engine: Engine, writes_by_default: Callable[[], bool]) -> None:
    """PostgreSQL: a transaction that does not write runs in psycopg's autocommit mode, so
    that no BEGIN and COMMIT go to the server. The mode is set when SQLAlchemy begins the
    transaction, before psycopg sends anything, and cleared when it ends (and on return to
    the pool, whatever happened)."""

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        if not _begins_writing(conn, writes_by_default):
            conn.connection.dbapi_connection.autocommit = True
            conn.info[READS_ALONE] = True

    def _end(conn: Connection) -> None:
        if not conn.invalidated:  # else its driver connection is gone; the pool opens a new one
            _stop_reading_alone(conn)

    event.listen(engine, "commit", _end)
    event.listen(engine, "rollback", _end)

    @event.listens_for(engine, "checkin")
    def _never_kept(dbapi_connection, _record) -> None:
        if dbapi_connection is not None and dbapi_connection.autocommit:
            dbapi_connection.autocommit = False


class _Described:
    """What psycopg's Column reads of its cursor, kept for one result."""

    __slots__ = ("pgresult", "_encoding", "adapters")

    def __init__(self, cursor: psycopg.Cursor) -> None:
        self.pgresult, self._encoding, self.adapters = cursor.pgresult, cursor._encoding, cursor.adapters


class _Description(Sequence):
    """A result's cursor.description whose columns are made when first asked for.

    psycopg makes a Column object per column each time description is read, and
    SQLAlchemy reads it after every statement, to find that there is a result; the
    columns themselves it reads only the first time it meets a statement (it keeps what
    it learnt). A case file made some 250 Column objects for nothing."""

    __slots__ = ("_result", "_columns")

    def __init__(self, cursor: psycopg.Cursor) -> None:
        self._result = _Described(cursor)
        self._columns: list | None = None

    def _made(self) -> list:
        if self._columns is None:
            self._columns = [Column(self._result, i) for i in range(self._result.pgresult.nfields)]
        return self._columns

    def __len__(self) -> int:
        return self._result.pgresult.nfields

    def __getitem__(self, index):
        return self._made()[index]


class _Cursor(psycopg.Cursor):
    @property
    def description(self):
        result = self.pgresult
        if result and (result.nfields or result.status in _ROWS):
            return _Description(self)
        return None


# The results with rows, as psycopg's own description tells them.
_ROWS = (ExecStatus.TUPLES_OK, ExecStatus.SINGLE_TUPLE, ExecStatus.TUPLES_CHUNK)


def _describe_when_asked(dbapi_connection, _record) -> None:
    dbapi_connection.cursor_factory = _Cursor


def reading_alone(conn: Connection) -> bool:
    """Whether this connection's transaction reads in autocommit mode (PostgreSQL)."""
    return bool(conn.info.get(READS_ALONE))


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


class WriteInARead(RuntimeError):
    """A write in a transaction that began as a read, which cannot hold it safely: on
    PostgreSQL each of its statements would be committed on its own, on SQLite it would
    not wait for the write lock. The view must call begin_writing before it reads."""


def _refuse_in_a_read(session: Session) -> None:
    if not holds_write_lock(session.connection()):
        raise WriteInARead("a write in a transaction that began as a read: call dbsetup.begin_writing first")


def _flushing(session: Session, _context, _instances) -> None:
    _refuse_in_a_read(session)


def _flushed(session: Session, _context) -> None:
    session.info[WROTE] = True


# Textual SQL the ORM cannot tell is a query: these first words only read.
_READS = re.compile(r"\s*(SELECT|SHOW|EXPLAIN|VALUES)\b", re.IGNORECASE)


def _executed(state) -> None:
    if state.is_select:
        # A lock taken in a read would be let go at once (PostgreSQL): it must be a write's.
        if getattr(state.statement, "_for_update_arg", None) is not None:
            _refuse_in_a_read(state.session)
        return
    if not (isinstance(state.statement, TextClause) and _READS.match(state.statement.text)):
        if not state.execution_options.get(WRITE_ALONE):
            _refuse_in_a_read(state.session)
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
    """Keep WROTE in the info of the sessions of this factory, and refuse their writes in a
    transaction that began as a read (once, however many apps)."""
    listeners = (
        ("before_flush", _flushing),
        ("after_flush", _flushed),
        ("do_orm_execute", _executed),
        ("after_transaction_end", _ended),
    )
    for name, listener in listeners:
        if not event.contains(session, name, listener):
            event.listen(session, name, listener)


class KeptCompiled:
    """SQLAlchemy's compiled cache for one statement built once: its compiled forms found
    by the identity of what SQLAlchemy's key holds (the dialect, the statement's memoized
    structure), where the engine's cache hashes that structure, a tuple as long as the
    statement, on every execution. A key it does not recognise is compiled and kept."""

    __slots__ = ("_entries",)

    def __init__(self) -> None:
        self._entries: list[tuple[object, object, tuple, object]] = []

    def get(self, key: tuple, default=None):
        for dialect, structure, rest, compiled in self._entries:
            if key[0] is dialect and key[1] is structure and key[2:] == rest:
                return compiled
        return default

    def __setitem__(self, key: tuple, compiled) -> None:
        self._entries = [*self._entries[-3:], (key[0], key[1], key[2:], compiled)]


# The execution options of each prebuilt statement (its KeptCompiled), by its id; kept
# with the statement, so that the id is not another's.
_KEPT: dict[int, tuple[object, dict]] = {}


def _kept(statement) -> dict:
    kept = _KEPT.get(id(statement))
    if kept is None or kept[0] is not statement:
        if len(_KEPT) >= 256:  # a caller that builds its statement anew each time
            _KEPT.clear()
        kept = _KEPT[id(statement)] = (statement, {"compiled_cache": KeptCompiled()})
    return kept[1]


def plain_rows(session: Session | scoped_session, statement, params: dict | None = None) -> Sequence[Row]:
    """The rows of a read of plain columns (a panel's few rows), run on the session's
    connection, in its transaction, past the ORM's execution: for a handful of rows the
    ORM's work per statement (its compile state, objects and identity map) cost several
    times the query itself (the case file's training history: 0.68 ms against 0.15). What
    the session has pending is flushed first, as the ORM's own reads would. The statement
    is one its caller built once (functools.cache), compiled once (KeptCompiled)."""
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, params, execution_options=_kept(statement)).all()


def kept_scalar(session: Session | scoped_session, statement, params: dict):
    """session.scalar of a statement its caller built once, compiled once (KeptCompiled):
    the signed-in user and the case file, on every view."""
    return session.scalar(statement, params, execution_options=_kept(statement))


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
    if reading_alone(session.connection()):
        return False  # nothing is open on the server: the rollback that follows sends nothing
    if session.info.get(WROTE) or session.new or session.dirty or session.deleted:
        return False
    session.commit()
    return True


def holds_write_lock(conn: Connection) -> bool:
    """Whether this connection's transaction began as one that writes (SQLite: with the
    write lock; PostgreSQL: a real transaction)."""
    return bool(conn.info.get(WRITE_LOCK))


def begin_writing(session: Session | scoped_session) -> None:
    """Begin the session's transaction as one that writes: SQLite's write lock up front
    (BEGIN IMMEDIATE), a real transaction on PostgreSQL.

    Call it before the transaction's first statement. If the session is already in a
    transaction that writes (outside requests every transaction does), that one goes on.
    On PostgreSQL a read so far ran statement by statement, so the transaction can begin
    now; on SQLite one that began without the lock cannot take it safely any more, so that
    is a bug in the caller and raises."""
    if isinstance(session, scoped_session):
        session = session()
    if not session.in_transaction():
        session.connection(execution_options={WRITE_LOCK: True})
        return
    conn = session.connection()
    if holds_write_lock(conn):
        return
    if reading_alone(conn):
        # PostgreSQL, in autocommit mode: nothing is open on the server, so the next
        # statement simply begins a real transaction.
        _stop_reading_alone(conn)
        conn.info[WRITE_LOCK] = True
        return
    raise RuntimeError("begin_writing: the session's transaction already began without the write lock")


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
