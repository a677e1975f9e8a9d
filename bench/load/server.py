"""gunicorn for the load benchmark: the app on the benchmark database, or a bare Flask app.

gunicorn imports the app in each worker through the factories below
(``bench.load.server:hidden_gems()``); the database and the secret come in the
environment, so that the workers and the client agree on them.
"""

from __future__ import annotations

import gc
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent.parent
DATABASE_ENV = "HG_LOAD_DATABASE_URL"
SECRET_ENV = "HG_LOAD_SECRET_KEY"
# Panels to take off the pages, as "page:module.function" separated by commas (--hide-panel).
HIDDEN_PANELS_ENV = "HG_LOAD_HIDDEN_PANELS"


def hidden_gems() -> Flask:
    """The app as production runs it, on the benchmark database: CSRF on, not in testing
    mode. Based on the testing config for its cheap argon2 (the demo accounts' hash) and
    its in-memory mail backend. The panels named in HG_LOAD_HIDDEN_PANELS are taken off
    their pages (--hide-panel)."""
    from bench.build import make_app
    from hiddengems.ui.panels import withdraw

    app = make_app(os.environ[DATABASE_ENV])
    app.config.update(TESTING=False, WTF_CSRF_ENABLED=True, SECRET_KEY=os.environ[SECRET_ENV])
    for hidden in filter(None, os.environ.get(HIDDEN_PANELS_ENV, "").split(",")):
        page, _, name = hidden.partition(":")
        withdraw(page, name)
    gc.freeze()  # as wsgi.py does
    return app


def hello() -> Flask:
    """The ceiling: what gunicorn and Flask cost with no database, template or session."""
    app = Flask("hello")

    @app.get("/")
    def index() -> str:
        return "hello"

    return app


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    port: int

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(factory: str, *, workers: int, env: dict[str, str] | None = None) -> Server:
    """gunicorn with ``workers`` sync workers on a free local port; returns once it answers."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        f"bench.load.server:{factory}()",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        # The clients wait in the listen queue while both workers are busy.
        "--backlog",
        "2048",
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})})  # noqa: S603 - our own argv
    server = Server(process, port)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}")
        if len(server.worker_pids()) >= workers:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return server
            except OSError:
                pass
        time.sleep(0.2)
    server.stop()
    raise SystemExit("gunicorn did not start within 60 s")
