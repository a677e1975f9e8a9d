"""python -m bench.sweep: the reminder sweep over the benchmark database (100,000 spouses
by default, with the demo's half year of firings).

Three sweeps, each timed with its query count:

- catch-up: the scheduler was down for a week; the sweep makes what fell due meanwhile;
- again: a second sweep at the same moment, which finds nothing new;
- cold: every firing (and what it made) removed and the rules applying from half a year
  ago, so the sweep makes a half year's follow-ups and e-mails at once: the worst case.

Goals (issue 9): a first sweep under 10 s, a second that finds nothing under 2 s. Prints
a table, writes JSON to bench/results/sweep-<N>-<database>.json, exits 1 if a goal is missed.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timedelta

from sqlalchemy import delete, event, update
from sqlalchemy.engine import make_url

from bench.build import build, make_app
from bench.measure import QueryCounter, write_result
from hiddengems.extensions import db
from hiddengems.mail.models import OutboxMessage
from hiddengems.reminders.jobs import run_sweep
from hiddengems.reminders.models import FollowUp, ReminderFiring, ReminderRule
from hiddengems.timeutil import utcnow

GOALS = {"catch-up": 10.0, "again": 2.0, "cold": 10.0}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.sweep", description=__doc__.splitlines()[0])
    parser.add_argument("--spouses", type=int, default=100_000)
    parser.add_argument("--caseload", type=int, default=400)
    parser.add_argument("--database-url", help="postgresql+psycopg://... (default: cached SQLite)")
    parser.add_argument("--rebuild", action="store_true")
    return parser.parse_args(argv)


def _timed(now: datetime) -> dict:
    count = QueryCounter()
    event.listen(db.engine, "before_cursor_execute", count)
    started = time.perf_counter()
    try:
        results = run_sweep(now)
    finally:
        seconds = time.perf_counter() - started
        event.remove(db.engine, "before_cursor_execute", count)
    return {
        "seconds": round(seconds, 3),
        "queries": count.count,
        "firings": sum(r.firings for r in results),
        "follow_ups": sum(r.follow_ups for r in results),
        "emails": sum(r.emails for r in results),
    }


def _forget_history(now: datetime) -> None:
    """The cold start: no firing yet, the rules applying from half a year ago."""
    db.session.execute(delete(FollowUp).where(FollowUp.firing_id.is_not(None)))
    db.session.execute(update(ReminderFiring).values(outbox_message_id=None))
    db.session.execute(delete(ReminderFiring))
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.kind == "reminder"))
    db.session.execute(update(ReminderRule).values(effective_from=now - timedelta(days=183)))
    db.session.commit()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    built = build(args.spouses, args.caseload, database_url=args.database_url, rebuild=args.rebuild)
    backend = make_url(built.url).get_backend_name()
    app = make_app(built.url)
    rows = {}
    with app.app_context():
        moment = utcnow() + timedelta(days=7)
        rows["catch-up"] = _timed(moment)
        rows["again"] = _timed(moment)
        _forget_history(moment)
        rows["cold"] = _timed(moment)
        db.engine.dispose()
    print(f"reminder sweep, {args.spouses} spouses, {backend} (database built in {built.seconds:.1f} s)")
    print(f"{'sweep':10} {'seconds':>8} {'queries':>8} {'firings':>8} {'follow-ups':>10} {'e-mails':>8}  goal")
    failed = False
    for name, row in rows.items():
        ok = row["seconds"] < GOALS[name]
        failed |= not ok
        print(
            f"{name:10} {row['seconds']:8.2f} {row['queries']:8} {row['firings']:8} {row['follow_ups']:10} "
            f"{row['emails']:8}  < {GOALS[name]:.0f} s {'ok' if ok else 'MISSED'}"
        )
    write_result("sweep", args.spouses, backend, sweeps=rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
