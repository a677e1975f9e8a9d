"""Many rows at once: executemany in chunks, COPY on PostgreSQL, rows read as the driver gives them.

Used by the importer, whose writes run to 100,000s of rows. Every function works in the
session's transaction, so a failed import leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from psycopg import sql as psycopg_sql
from sqlalchemy import Table, bindparam, insert, update

from hiddengems.dbsetup import mark_written
from hiddengems.extensions import db

# Rows per executemany: progress moves, and SQLite's variable limit is far away.
CHUNK = 5000
# Ids per "IN (...)" list.
ID_CHUNK = 500
# Fewer rows than this go through INSERT, more through COPY on PostgreSQL.
COPY_ABOVE = 1000


def chunks(rows: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def execute_many(statement: Any, rows: Sequence[dict[str, Any]]) -> None:
    for chunk in chunks(rows):
        db.session.execute(statement, list(chunk))


def plain_rows(query: Any) -> list[tuple[Any, ...]]:
    """The rows of a query without parameters, as the driver gives them: at 100,000s of
    rows SQLAlchemy's own rows cost more than the comparison they are read for."""
    connection = db.session.connection()
    cursor = connection.connection.cursor()
    try:
        cursor.execute(str(query.compile(dialect=connection.dialect)))
        return cursor.fetchall()
    finally:
        cursor.close()


def insert_many(table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert many rows of plain values (no JSON): PostgreSQL's COPY, else executemany."""
    if len(rows) < COPY_ABOVE or db.session.get_bind().dialect.name != "postgresql":
        execute_many(insert(table), rows)
        return
    # COPY on the session's own connection, so inside the import's transaction: a
    # first import's 100,000 labels and relations load three to four times faster.
    columns = list(rows[0])
    statement = psycopg_sql.SQL("COPY {} ({}) FROM STDIN").format(
        psycopg_sql.Identifier(table.name), psycopg_sql.SQL(", ").join(map(psycopg_sql.Identifier, columns))
    )
    driver = db.session.connection().connection.dbapi_connection
    mark_written(db.session)
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([row[column] for column in columns])


def update_by_id(table: Table, changes: list[dict[str, Any]]) -> None:
    """One UPDATE ... WHERE id = ? per change, sent as executemany; every change has the same keys."""
    if not changes:
        return
    names = [name for name in changes[0] if name != "id"]
    statement = (
        update(table).where(table.c.id == bindparam("_id")).values({name: bindparam(f"_{name}") for name in names})
    )
    # Bound names differ from the columns': SQLAlchemy reserves the columns' own for SET.
    execute_many(statement, [{f"_{key}": value for key, value in change.items()} for change in changes])
