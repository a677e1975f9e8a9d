"""One scheduler across hosts: real `scheduler run` processes on one database elect one
leader; the others stand by and take over when it dies or loses its lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from hiddengems import scheduler
from hiddengems.leader import ADVISORY_KEY, FileLock, leadership_for
from tests.conftest import ON_POSTGRES, ROOT


class Ticks:
    """The file each process's job writes (pid, time) to."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> list[tuple[int, float]]:
        if not self.path.exists():
            return []
        rows = [line.split() for line in self.path.read_text().splitlines() if line.strip()]
        return [(int(pid), float(at)) for pid, at in rows]

    def pids(self) -> set[int]:
        return {pid for pid, _ in self.read()}

    def of(self, pid: int) -> list[float]:
        return [at for p, at in self.read() if p == pid]

    def wait_for(self, pid: int, timeout: float = 30) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.of(pid):
                return time.monotonic()
            time.sleep(0.1)
        raise AssertionError(f"process {pid} ran no job within {timeout} s; ran: {self.pids()}")


@pytest.fixture
def processes(tmp_path) -> Iterator:
    started: list[subprocess.Popen] = []
    logs = []

    def start(database_url: str, ticks: Ticks) -> subprocess.Popen:
        log = open(tmp_path / f"scheduler-{len(started)}.log", "w")  # noqa: SIM115 - closed at teardown
        logs.append(log)
        proc = subprocess.Popen(  # noqa: S603 - our own module, with a test database's URL
            [sys.executable, "-m", "tests.scheduler_process", database_url, str(ticks.path)],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "HIDDENGEMS_CONFIG": "testing"},
        )
        proc.log_path = log.name  # type: ignore[attr-defined]
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)
    for log in logs:
        log.close()


def _log(proc) -> str:
    return Path(proc.log_path).read_text()


def _wait_log(proc, words: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if words in _log(proc):
            return
        time.sleep(0.1)
    raise AssertionError(f"{words!r} not in the log of {proc.pid}:\n{_log(proc)}")


def _one_leader_then_takeover(app, processes, tmp_path) -> None:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    ticks = Ticks(tmp_path / "ticks")
    first = processes(url, ticks)
    ticks.wait_for(first.pid)
    second = processes(url, ticks)
    _wait_log(second, "standby, another process leads")
    time.sleep(2)  # the standby keeps trying every second meanwhile
    assert ticks.pids() == {first.pid}, "only the leader runs jobs"

    first.send_signal(signal.SIGKILL)
    first.wait(10)
    died = time.monotonic()
    took_over = ticks.wait_for(second.pid)
    assert took_over - died < 10  # the poll is 1 s here; 15 s by default, so within a minute
    # Never both at once: the dead leader's last run came before the successor's first.
    assert max(ticks.of(first.pid)) < min(ticks.of(second.pid))
    assert "leading" in _log(second)


@pytest.mark.postgres
def test_postgres_one_leader_and_a_standby_that_takes_over_when_it_is_killed(app, processes, tmp_path):
    _one_leader_then_takeover(app, processes, tmp_path)


@pytest.mark.skipif(ON_POSTGRES, reason="the SQLite file lock")
def test_sqlite_one_leader_and_a_standby_that_takes_over_when_it_is_killed(app, processes, tmp_path):
    _one_leader_then_takeover(app, processes, tmp_path)


@pytest.mark.postgres
def test_postgres_a_leader_whose_connection_is_ended_stops_and_stands_by(app, processes, tmp_path):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    ticks = Ticks(tmp_path / "ticks")
    first = processes(url, ticks)
    ticks.wait_for(first.pid)
    second = processes(url, ticks)
    _wait_log(second, "standby")

    # An operator (or a network failure) ends the leader's lock connection; its process lives on.
    engine = create_engine(url)
    with engine.begin() as conn:
        holders = conn.execute(
            text("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid::bigint = :low"),
            {"low": ADVISORY_KEY & 0xFFFFFFFF},
        ).scalars()
        ended = [conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar() for pid in holders]
    engine.dispose()
    assert ended == [True]
    lost = time.time()

    ticks.wait_for(second.pid)
    _wait_log(first, "leadership lost")
    assert first.poll() is None, "the old leader stays up, as a standby"
    time.sleep(1.5)
    assert not [at for at in ticks.of(first.pid) if at > lost], "the old leader ran nothing after losing the lock"
    assert max(ticks.of(first.pid)) < min(ticks.of(second.pid))

    second.send_signal(signal.SIGTERM)  # a clean stop gives the lock up at once
    assert second.wait(10) == 0
    stopped = time.time()
    deadline = time.monotonic() + 10
    while not [at for at in ticks.of(first.pid) if at > stopped]:
        assert time.monotonic() < deadline, _log(first)
        time.sleep(0.1)


def test_two_leaderships_in_one_process_exclude_each_other(app):
    one = leadership_for(app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path)
    two = leadership_for(app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path)
    try:
        assert one.try_acquire() is True
        assert two.try_acquire() is False
        assert one.still_held() and not two.still_held()
        one.release()
        assert two.try_acquire() is True
    finally:
        one.release()
        two.release()


def test_sqlite_lock_file_sits_beside_the_database(tmp_path):
    lock = leadership_for(f"sqlite:///{tmp_path / 'gems.sqlite'}", str(tmp_path / "instance"))
    assert isinstance(lock, FileLock) and lock.path == tmp_path / "gems.sqlite.scheduler.lock"


def test_gunicorn_workers_never_start_a_scheduler(app, monkeypatch):
    monkeypatch.setitem(sys.modules, "gunicorn", sys)
    assert scheduler.start_in_process(app) is None


def test_the_reloaders_parent_does_not_run_jobs_its_child_does(app, monkeypatch):
    monkeypatch.delitem(sys.modules, "gunicorn", raising=False)
    app.debug = True
    monkeypatch.delenv("WERKZEUG_RUN_MAIN", raising=False)
    assert scheduler.start_in_process(app) is None
