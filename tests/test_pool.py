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
