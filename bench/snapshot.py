"""python -m bench.snapshot: the day's HR figures built over the benchmark database
(100,000 spouses by default): the counting (SQL, grouped) and the publishing timed apart,
with the query count and the number of groups counted.

Prints a table and writes JSON to bench/results/snapshot-<N>-<database>.json.
"""

from __future__ import annotations

import argparse
import sys
import time

from sqlalchemy import delete, event
from sqlalchemy.engine import make_url

from bench.build import build, make_app
from bench.measure import QueryCounter, write_result
from hiddengems.extensions import db
from hiddengems.reports import counting, figures
from hiddengems.reports.models import ReportSnapshot
from hiddengems.reports.services import build_snapshot, report_day, threshold


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.snapshot", description=__doc__.splitlines()[0])
    parser.add_argument("--spouses", type=int, default=100_000)
    parser.add_argument("--caseload", type=int, default=400)
    parser.add_argument("--database-url", help="postgresql+psycopg://... (default: cached SQLite)")
    parser.add_argument("--rebuild", action="store_true")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    built = build(args.spouses, args.caseload, database_url=args.database_url, rebuild=args.rebuild)
    backend = make_url(built.url).get_backend_name()
    app = make_app(built.url)
    with app.app_context():
        day = report_day()
        queries = QueryCounter()
        event.listen(db.engine, "before_cursor_execute", queries)
        started = time.perf_counter()
        counted = counting.count(day)
        counting_seconds = time.perf_counter() - started
        event.remove(db.engine, "before_cursor_execute", queries)
        started = time.perf_counter()
        payloads = figures.publish_day(counted, threshold())
        publishing = time.perf_counter() - started
        db.session.execute(delete(ReportSnapshot).where(ReportSnapshot.day == day))
        db.session.commit()
        started = time.perf_counter()
        build_snapshot(day)
        whole = time.perf_counter() - started
        db.engine.dispose()
    row = {
        "count_seconds": round(counting_seconds, 3),
        "count_queries": queries.count,
        "publish_seconds": round(publishing, 3),
        "build_seconds": round(whole, 3),
        "scopes": len(payloads),
        "groups": len(counted.people),
    }
    print(f"HR snapshot, {args.spouses} spouses, {backend} (database built in {built.seconds:.1f} s)")
    for name, value in row.items():
        print(f"  {name:16} {value}")
    write_result("snapshot", args.spouses, backend, **row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
