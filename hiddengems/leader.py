"""Which `flask scheduler run` process leads: exactly one per installation runs the jobs.

The web tier may run on several machines against one PostgreSQL, each with its own
`flask scheduler run`. The leader is whichever holds a PostgreSQL session-level advisory
lock on a connection of its own (not one of the app's pool: a pooled connection would be
handed to other work, and its lock with it). The others are standbys: they try the lock
every ``SCHEDULER_STANDBY_POLL_SECONDS`` and lead as soon as it is free. PostgreSQL drops
the lock when the leader's connection ends, which it does when the process exits or is
killed (the kernel closes its socket); when a whole machine dies, TCP keepalives set on
that session let the server notice the dead peer within about half a minute. The leader
checks its lock on the same beat, and stops running jobs the moment it cannot confirm it
(the connection broke, or an operator ended it with pg_terminate_backend), since a standby
may lead by then.

SQLite is one machine's database: there the leader holds an exclusive ``flock`` on a file
beside the database, which the kernel releases when the process ends.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import threading
from pathlib import Path
from typing import Protocol

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.pool import NullPool

log = logging.getLogger("hiddengems.scheduler")

# The advisory lock's key: one 64-bit number for "the scheduler of this database" (locks
# are per database, so installations sharing a server do not collide). Fixed, not hashed
# at run time, so that every version of the app agrees on it.
ADVISORY_KEY = 0x4869646447656D73  # "HiddGems"

# A dead machine's connection is noticed by the server within idle + interval × count
# seconds; these are PostgreSQL settings a session may set for itself.
KEEPALIVE_SETTINGS = {"tcp_keepalives_idle": 10, "tcp_keepalives_interval": 5, "tcp_keepalives_count": 3}


class Leadership(Protocol):
    def try_acquire(self) -> bool:
        """Lead if nobody does; True when this process leads (already or now)."""

    def still_held(self) -> bool:
        """Whether this process still leads, checked against the lock itself."""

    def release(self) -> None:
        """Stop leading (a standby may take over at once)."""


class AdvisoryLock:
    """Leadership on PostgreSQL: ``pg_try_advisory_lock`` on a dedicated connection."""

    def __init__(self, url: str, key: int = ADVISORY_KEY) -> None:
        self.engine: Engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        self.key = key
        self.conn: Connection | None = None
        # The main loop and the jobs' threads both check the lock on the one connection.
        self.mutex = threading.Lock()

    def _connect(self) -> Connection:
        conn = self.engine.connect()
        for name, value in KEEPALIVE_SETTINGS.items():
            conn.execute(text(f"SET {name} = {int(value)}"))
        conn.execute(text("SET application_name = 'hiddengems scheduler'"))
        return conn

    def try_acquire(self) -> bool:
        if self.conn is not None:
            return self.still_held()
        try:
            conn = self._connect()
            got = conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}).scalar_one()
        except Exception as error:  # the database down: stay a standby and try again later
            log.warning("scheduler: cannot reach the database to lead: %s", error)
            return False
        if got:
            self.conn = conn
        else:
            conn.close()
        return bool(got)

    def still_held(self) -> bool:
        with self.mutex:
            return self._still_held()

    def _still_held(self) -> bool:
        if self.conn is None:
            return False
        try:
            # Split as PostgreSQL stores a bigint key in pg_locks: high word in classid, low in objid.
            held = self.conn.execute(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                    " AND pid = pg_backend_pid() AND objsubid = 1"
                    " AND classid::bigint = :high AND objid::bigint = :low"
                ),
                {"high": (self.key >> 32) & 0xFFFFFFFF, "low": self.key & 0xFFFFFFFF},
            ).scalar_one()
        except Exception as error:
            log.error("scheduler: lost the leader's connection: %s", error)
            self._drop()
            return False
        if not held:
            self._drop()
        return bool(held)

    def _drop(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(Exception):
                self.conn.invalidate()
                self.conn.close()
        self.conn = None

    def release(self) -> None:
        with self.mutex:
            if self.conn is not None:
                with contextlib.suppress(Exception):
                    self.conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
            self._drop()
        self.engine.dispose()


class FileLock:
    """Leadership on SQLite (one machine): an exclusive flock on a file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    def try_acquire(self) -> bool:
        if self.fd is not None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd
        return True

    def still_held(self) -> bool:
        return self.fd is not None

    def release(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


def leadership_for(database_url: str, instance_path: str) -> Leadership:
    """The lock that elects this installation's scheduler: by the kind of database."""
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        return AdvisoryLock(database_url)
    database = url.database
    if database and database != ":memory:":
        path = Path(database).with_name(Path(database).name + ".scheduler.lock")
    else:  # an in-memory database is one process's own; the lock file only guards this instance
        path = Path(instance_path) / "scheduler.lock"
    return FileLock(path)
