"""PostgreSQL connections in the pool (hiddengems/dbsetup.py ping_when_idle): one that
died while idle is replaced before a request uses it; one in steady use costs no ping."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, exc, text

from hiddengems.dbsetup import configure_engine
from tests.conftest import PG_URL

pytestmark = pytest.mark.postgres


def _engine(ping_after_idle: float):
    engine = create_engine(PG_URL, pool_size=1, max_overflow=0)
    configure_engine(engine, ping_after_idle=ping_after_idle)
    return engine


def _backend(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar()


def _kill(pid: int) -> None:
    other = create_engine(PG_URL)
    with other.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
    other.dispose()


def _pings(engine, monkeypatch) -> list[int]:
    pings: list[int] = []
    ping = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda dbapi_conn: pings.append(1) or ping(dbapi_conn))
    return pings


def test_a_connection_that_died_while_idle_is_replaced_before_use():
    engine = _engine(ping_after_idle=0.05)
    dead = _backend(engine)
    _kill(dead)
    time.sleep(0.1)
    assert _backend(engine) != dead  # a new connection, and no error
    engine.dispose()


def test_without_the_ping_the_dead_connection_would_fail_the_request():
    engine = _engine(ping_after_idle=3600)
    _kill(_backend(engine))
    with pytest.raises(exc.OperationalError):
        _backend(engine)
    engine.dispose()


def test_a_connection_in_steady_use_is_not_pinged(monkeypatch):
    engine = _engine(ping_after_idle=60)
    pings = _pings(engine, monkeypatch)
    for _ in range(5):
        _backend(engine)
    assert pings == []
    engine.dispose()


def test_an_idle_connection_is_pinged_once_per_checkout(monkeypatch):
    engine = _engine(ping_after_idle=0.02)
    pings = _pings(engine, monkeypatch)
    _backend(engine)  # a fresh connection: nothing to try
    for _ in range(3):
        time.sleep(0.05)
        _backend(engine)
    assert len(pings) == 3
    engine.dispose()


def test_a_cursor_tells_the_same_columns_as_psycopg_only_when_asked(monkeypatch):
    """dbsetup._Cursor: SQLAlchemy reads cursor.description after every statement; the
    columns are made only when read, and read they are psycopg's own."""
    import psycopg

    from hiddengems import dbsetup

    made = []
    monkeypatch.setattr(dbsetup, "Column", lambda result, i: made.append(i) or psycopg.Column(result, i))
    engine = _engine(ping_after_idle=60)
    query = "SELECT 1 AS one, 'two'::text AS two, now() AS three"
    with engine.connect() as conn:
        ours = conn.connection.dbapi_connection.cursor()
        ours.execute(query)
        with psycopg.connect(PG_URL.replace("postgresql+psycopg", "postgresql")) as plain:
            theirs = plain.execute(query).description
        described = ours.description
        assert len(described) == 3
        assert made == []
        assert [(c.name, c.type_code) for c in described] == [(c.name, c.type_code) for c in theirs]
        assert described[1].name == "two" and described[-1].type_code == theirs[-1].type_code
        assert made == [0, 1, 2]
        ours.execute("SET LOCAL statement_timeout = 1000")
        assert ours.description is None
        # What SQLAlchemy makes of it: rows by name, from a statement it has not met before.
        assert conn.execute(text(query)).mappings().one()["two"] == "two"
    engine.dispose()
