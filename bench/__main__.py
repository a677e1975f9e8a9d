"""python -m bench --spouses N: build (or reuse) a database of N spouses and time every page.

Prints a table and writes JSON (bench/results/bench-<N>.json by default). The
pages are listed in bench/pages.py. Exits 1 if a page does not answer 200, or,
with --max-ratio, if a page's median exceeds that multiple of its floor.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from bench.build import build, make_app
from bench.measure import RESULTS, Result, measure
from bench.pages import FLOOR_URL, PAGES


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--spouses", type=int, default=10_000, help="participants in the database (default 10000)")
    parser.add_argument("--caseload", type=int, default=400, help="open cases of the demo adviser (default 400)")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page first (default 3)")
    parser.add_argument("--database-url", help="postgresql+psycopg://... to build into (default: cached SQLite)")
    parser.add_argument("--rebuild", action="store_true", help="build the database even if a cached one fits")
    parser.add_argument("--only", help="only pages whose role or name contains this text")
    parser.add_argument("--json", type=Path, help="where to write the results (default bench/results/bench-<N>.json)")
    parser.add_argument("--max-ratio", type=float, help="fail if a page's median exceeds this multiple of the floor")
    return parser.parse_args(argv)


def table(results: list[Result]) -> str:
    header = ("role", "page", "url", "queries", "median ms", "p95 ms", "× floor")
    rows = [
        (
            r.role,
            r.name,
            r.url if r.status == 200 else f"{r.url} [HTTP {r.status}]",
            str(r.queries) if r.queries == r.queries_max else f"{r.queries}-{r.queries_max}",
            f"{r.median_ms:.2f}",
            f"{r.p95_ms:.2f}",
            f"{r.ratio:.2f}",
        )
        for r in results
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    numeric = {3, 4, 5, 6}

    def line(row: tuple[str, ...]) -> str:
        cells = (
            cell.rjust(w) if i in numeric else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        return "  ".join(cells).rstrip()

    out = [line(header), line(tuple("-" * w for w in widths))]
    previous = None
    for result, row in zip(results, rows, strict=True):
        if previous is not None and result.role != previous:
            out.append("")
        out.append(line(row))
        previous = result.role
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    pages = [p for p in PAGES if not args.only or args.only in p.role or args.only in p.name]
    if not pages:
        print(f"no page matches --only {args.only!r}", file=sys.stderr)
        return 2

    print(f"database: {args.spouses:,} spouses, demo adviser caseload {args.caseload}", flush=True)
    built = build(args.spouses, args.caseload, database_url=args.database_url, rebuild=args.rebuild)
    how = "reused cached" if built.cached else "built"
    backend = make_url(built.url).get_backend_name()
    print(f"{how} {backend} database in {built.seconds:.1f} s (key {built.key})", flush=True)

    app = make_app(built.url)
    started = time.perf_counter()
    results = measure(app, pages, repeat=args.repeat, warmup=args.warmup)
    print(
        f"{args.repeat} timed requests per page after {args.warmup} warm-ups, "
        f"floor = GET {FLOOR_URL} by the same role ({time.perf_counter() - started:.1f} s)\n"
    )
    print(table(results))

    path = args.json or RESULTS / f"bench-{args.spouses}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "spouses": args.spouses,
        "caseload": args.caseload,
        "database": backend,
        "database_key": built.key,
        "database_cached": built.cached,
        "database_seconds": round(built.seconds, 1),
        "repeat": args.repeat,
        "warmup": args.warmup,
        "floor_url": FLOOR_URL,
        "python": platform.python_version(),
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "pages": [r.as_json() for r in results],
    }
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten {path}")

    failed = [r for r in results if r.status != 200]
    for r in failed:
        print(f"FAIL {r.role} {r.name}: HTTP {r.status} for {r.url}", file=sys.stderr)
    if args.max_ratio:
        slow = [r for r in results if r.ratio is not None and r.ratio > args.max_ratio]
        for r in slow:
            print(f"SLOW {r.role} {r.name}: {r.ratio:.2f}× the floor (limit {args.max_ratio})", file=sys.stderr)
        failed += slow
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
