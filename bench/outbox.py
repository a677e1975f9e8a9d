"""python -m bench.outbox: deliver 10,000 queued e-mails to an SMTP server on this machine.

The outbox is filled with --messages messages (a realistic body of about 600 characters),
an aiosmtpd server listens on a free local port, and the outbox job's own function
(send_pending with the job's batch size, one SMTP session per batch) runs until nothing
is due, as the scheduler would run it back to back. Checks that the server got every
message exactly once (by Message-ID) and that the database records each as sent once.
Prints the figures and writes JSON to bench/results/outbox-<database>.json.

SQLite by default (a fresh file in bench/.cache/); --database-url postgresql+psycopg://…
uses that database, whose public schema it DROPS and makes anew: give it one of its own.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import platform
import socket
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiosmtpd.controller import Controller
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, insert, select, text

from hiddengems import create_app
from hiddengems.extensions import db
from hiddengems.mail.models import OutboxMessage
from hiddengems.mail.services import send_pending

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
RESULTS = ROOT / "bench" / "results"
BODY = (
    "Hello Maria,\n\nYour adviser has a new time for your meeting about your CV and the jobs you are "
    "looking for in the Helsinki region. Please log in to see the details and to confirm the time, or "
    "to suggest another one if it does not suit you.\n\n"
    "If you have questions, answer your adviser on the service: e-mail replies are not read.\n\n"
    "With best wishes,\nthe Hidden Gems programme\n\n"
    "You get this e-mail because you take part in the Hidden Gems programme. "
    "Read the privacy notice on the service.\n"
)


class Received:
    def __init__(self) -> None:
        self.ids: Counter[str] = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        content = envelope.content.decode("utf-8", "replace")
        message_id = next(line for line in content.splitlines() if line.lower().startswith("message-id:"))
        with self.lock:
            self.ids[message_id] += 1
        return "250 Message accepted"


def serve(port: int, ready, stop, results) -> None:
    """The SMTP server, in a process of its own (as a real one would be: not competing for
    this process's interpreter lock); sends back how often it got each Message-ID."""
    received = Received()
    server = Controller(received, hostname="127.0.0.1", port=port)
    server.start()
    ready.set()
    stop.wait()
    server.stop()
    results.send(dict(received.ids))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_database(url: str | None) -> tuple[str, str]:
    if url:
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        return url, "postgresql"
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / "outbox.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}", "sqlite"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.outbox", description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--batch", type=int, help="messages per job run (default: the app's OUTBOX_BATCH)")
    parser.add_argument("--database-url", help="postgresql+psycopg://… (its public schema is dropped)")
    args = parser.parse_args(argv)

    url, kind = fresh_database(args.database_url)
    port = free_port()
    ready, stop = multiprocessing.Event(), multiprocessing.Event()
    results, child_end = multiprocessing.Pipe(duplex=False)
    server = multiprocessing.Process(target=serve, args=(port, ready, stop, child_end), daemon=True)
    server.start()
    if not ready.wait(30):
        raise SystemExit("the SMTP server did not start")
    app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "MAIL_BACKEND": "smtp",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": port,
            "MAIL_SECURITY": "none",
        },
    )
    batch = args.batch or app.config["OUTBOX_BATCH"]
    try:
        with app.app_context():
            upgrade(revision="heads")
            queued_at = datetime.now(UTC) - timedelta(minutes=1)
            rows = [
                {
                    "to_address": f"spouse{n}@example.org",
                    "subject": f"Your meeting, message {n}",
                    "body": BODY,
                    "kind": "bench",
                    "created_at": queued_at,
                    "next_attempt_at": queued_at,
                    "attempts": 0,
                }
                for n in range(args.messages)
            ]
            for start in range(0, len(rows), 1000):
                db.session.execute(insert(OutboxMessage), rows[start : start + 1000])
            db.session.commit()

            runs, run_times = 0, []
            started = time.perf_counter()
            while True:
                run_started = time.perf_counter()
                sent, failed = send_pending(limit=batch)
                if failed:
                    raise SystemExit(f"{failed} messages failed")
                if not sent:
                    break
                runs += 1
                run_times.append(time.perf_counter() - run_started)
            elapsed = time.perf_counter() - started
            recorded = db.session.scalar(
                select(func.count()).select_from(OutboxMessage).where(OutboxMessage.sent_at.is_not(None))
            )
            db.session.remove()
            db.engine.dispose()
    finally:
        stop.set()
    ids: dict[str, int] = results.recv() if results.poll(30) else {}
    server.join(10)

    twice = [message_id for message_id, count in ids.items() if count > 1]
    result = {
        "database": kind,
        "messages": args.messages,
        "batch": batch,
        "job_runs": runs,
        "seconds": round(elapsed, 2),
        "messages_per_second": round(args.messages / elapsed, 1),
        "slowest_run_seconds": round(max(run_times), 3),
        "received": sum(ids.values()),
        "received_twice": len(twice),
        "recorded_sent": recorded,
        "machine": platform.platform(),
        "python": sys.version.split()[0],
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    width = max(len(key) for key in result)
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"outbox-{kind}.json").write_text(json.dumps(result, indent=2) + "\n")
    ok = result["received"] == args.messages == recorded and not twice
    if not ok:
        print("FAILED: not every message delivered exactly once", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
