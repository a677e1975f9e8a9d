"""Engine settings that make the embedded SQLite default safe under several writers."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine


def configure_engine(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
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
    def _begin(conn):
        # A transaction that reads then writes fails at once with "database is locked"
        # when it upgrades its read lock; taking the write lock up front makes a second
        # writer wait for busy_timeout instead. Even GET requests write (audit rows of
        # case-file views), so every transaction starts IMMEDIATE.
        conn.exec_driver_sql("BEGIN IMMEDIATE")


# Objects the migrations make for one database only, outside the models (the taxonomy
# search's FTS5 table on SQLite, with its shadow tables, and its trigram indexes on
# PostgreSQL): the comparison of models and migrations and autogenerate leave them alone.
DATABASE_SPECIFIC = ("taxonomy_label_fts", "ix_taxonomy_label_trgm")


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic's include_name hook: False for the database-specific objects above."""
    return not (name and type_ in ("table", "index") and name.startswith(DATABASE_SPECIFIC))
