"""python -m bench.load: pages under concurrent load, served by gunicorn as in production.

Builds (or reuses, through bench/build.py) the benchmark database of --spouses,
starts gunicorn with --workers sync workers on it and logs in the demo roles
over HTTP. Then, page by page, --clients concurrent clients request that page
for --duration seconds while --writers more clients keep adding notes to a
case file (a POST with its CSRF token), so that reads are measured with writers
present. A bare Flask app on the same gunicorn settings gives the ceiling.

SQLite by default; with --database-url, PostgreSQL too, in the same run (on a
throwaway copy of that database). Prints a table per database and writes JSON
(bench/results/load-<N>.json by default). Exits 1 if any request failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import re
import secrets
import signal
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.build import build, make_app
from bench.load import client, cpu, server
from bench.pages import FLOOR_URL, busiest_case_of, first_open_case_of
from hiddengems.demo.generator import DEMO_DOMAIN, DEMO_PASSWORD
from hiddengems.extensions import db
from hiddengems.timeutil import HELSINKI

RESULTS = Path(__file__).resolve().parent.parent / "results"
HOST = "127.0.0.1"
CSRF = re.compile(r'name="([\w-]*csrf_token)" type="hidden" value="([^"]+)"')
ROLES = ("spouse", "adviser", "lead", "hr", "admin")


@dataclass(frozen=True)
class Target:
    role: str
    name: str
    path: str
    method: str = "GET"
    expect: int = 200


@dataclass
class Row:
    """One target's figures over a phase (or, for the writer, over every phase)."""

    name: str
    role: str
    url: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: dict[str, int]
    client_cpu: float | None = None
    workers_cpu: float | None = None
    others_cpu: float | None = None
    stolen_cpu: float | None = None

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def worker_ms(self) -> float | None:
        """The workers' CPU per answer, in ms: what a page costs the server, which others'
        work on a shared machine changes much less than the rate."""
        return self.workers_cpu / self.rate * 1000 if self.workers_cpu is not None and self.rate else None

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "role": self.role,
            "url": self.url,
            "requests": self.requests,
            "seconds": round(self.seconds, 2),
            "requests_per_second": round(self.rate, 1),
            "p50_ms": round(self.p50_ms, 1),
            "p99_ms": round(self.p99_ms, 1),
            "errors": sum(self.errors.values()),
            "error_kinds": self.errors,
            "client_cpu": None if self.client_cpu is None else round(self.client_cpu, 3),
            "workers_cpu": None if self.workers_cpu is None else round(self.workers_cpu, 3),
            "worker_ms_per_request": None if self.worker_ms is None else round(self.worker_ms, 2),
            "others_cpu": None if self.others_cpu is None else round(self.others_cpu, 3),
            "stolen_cpu": None if self.stolen_cpu is None else round(self.stolen_cpu, 3),
        }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--spouses", type=int, default=10_000, help="participants in the database (default 10000)")
    parser.add_argument("--caseload", type=int, default=400, help="open cases of the demo adviser (default 400)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients per page (default 16)")
    parser.add_argument("--writers", type=int, default=1, help="clients adding notes meanwhile (default 1)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per page (default 10)")
    parser.add_argument("--warmup", type=float, default=2.0, help="untimed seconds per page first (default 2)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per page; the best one is shown (default 1)")
    parser.add_argument(
        "--quiet",
        type=float,
        metavar="CORES",
        help="before each run wait (up to 5 min) until other work keeps at most this many cores busy",
    )
    parser.add_argument("--database-url", help="also run on this PostgreSQL database (postgresql+psycopg://...)")
    parser.add_argument("--skip-sqlite", action="store_true", help="with --database-url: PostgreSQL only")
    parser.add_argument("--rebuild", action="store_true", help="build the databases even if cached ones fit")
    parser.add_argument("--only", help="only pages whose name or role contains this text")
    parser.add_argument(
        "--hide-panel",
        action="append",
        default=[],
        metavar="PAGE:PANEL",
        help="measure the pages without this panel, e.g. case_file:hiddengems.skills.panels.skills_summary "
        "(repeatable; an unknown name lists the page's panels)",
    )
    parser.add_argument("--json", type=Path, help="where to write the results (default bench/results/load-<N>.json)")
    return parser.parse_args(argv)


def unknown_panels(hidden: list[str]) -> str | None:
    """Why a --hide-panel names no registered panel (with the page's panels), or None."""
    from hiddengems import domains
    from hiddengems.ui.panels import PAGES, registered

    domains.load_panels()
    for given in hidden:
        page, _, name = given.partition(":")
        if page not in PAGES:
            return f"--hide-panel {given}: no page {page!r} (pages: {', '.join(PAGES)})"
        names = [p.name for p in registered(page)]
        if name not in names:
            return f"--hide-panel {given}: no panel {name!r} on {page} (its panels: {', '.join(names)})"
    return None


def percentile(samples: list[float], q: float) -> float:
    """Nearest rank, in milliseconds."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] * 1000


# --- the database and what the pages need ---------------------------------------------------


def throwaway_postgres(url: str) -> str:
    """A copy of the benchmark database to write into (notes, audit rows, logins), so that
    the cached one stays as built, like the SQLite copy bench/build.py makes per run."""
    source = make_url(url)
    copy = source.set(database=f"{source.database}_load")
    maintenance = create_engine(source.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with maintenance.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{copy.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{copy.database}" TEMPLATE "{source.database}"'))
    maintenance.dispose()
    return copy.render_as_string(hide_password=False)


def drop_postgres(url: str) -> None:
    copy = make_url(url)
    maintenance = create_engine(copy.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with maintenance.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{copy.database}" WITH (FORCE)'))
    maintenance.dispose()


def targets(url: str) -> tuple[list[Target], Target]:
    """The read pages, and the writer's POST (a note on another case than the measured one)."""
    app = make_app(url)
    with app.app_context():
        busiest = busiest_case_of(db.session, "adviser")
        written = first_open_case_of(db.session, "adviser")
        db.session.remove()
        db.engine.dispose()
    reads = [
        Target("adviser", "floor (change password)", FLOOR_URL),
        Target("adviser", "my caseload", "/cases/"),
        Target("adviser", "case file (longest timeline)", f"/cases/{busiest}"),
        Target("adviser", "intake queue", "/cases/queue"),
        Target("adviser", "desk", "/desk"),
        Target("spouse", "home", "/home"),
        Target("hr", "home", "/hr"),
        Target("lead", "all cases", "/cases/all"),
        Target("admin", "home", "/admin/"),
    ]
    writer = Target("adviser", "add a note (POST)", f"/cases/{written}/activities", "POST", 302)
    return reads, writer


# --- logging in over HTTP -------------------------------------------------------------------


async def log_in(port: int, role: str) -> dict[str, str]:
    """GET /login for the CSRF token and its session cookie, then POST the demo login."""
    host = f"{HOST}:{port}"
    page = await client.fetch(HOST, port, client.build_request("GET", "/login", host=host))
    cookies = page.cookies()
    form = {"email": f"{role}@{DEMO_DOMAIN}", "password": DEMO_PASSWORD}
    form.update(CSRF.findall(page.text()))
    answer = await client.fetch(
        HOST, port, client.build_request("POST", "/login", host=host, cookies=cookies, form=form)
    )
    if answer.status != 302 or "session" not in answer.cookies():
        raise SystemExit(f"could not log in as {role}: HTTP {answer.status}")
    return answer.cookies()


async def writer_request(port: int, cookies: dict[str, str], writer: Target) -> tuple[bytes, dict[str, str]]:
    """The note form's CSRF token lives in the session: fetch the case file once for it and
    keep the session cookie that carries it."""
    host = f"{HOST}:{port}"
    case_file = writer.path.rsplit("/", 1)[0]
    page = await client.fetch(HOST, port, client.build_request("GET", case_file, host=host, cookies=cookies))
    if page.status != 200:
        raise SystemExit(f"the writer's case file answered HTTP {page.status}")
    cookies = {**cookies, **page.cookies()}
    tokens = dict(CSRF.findall(page.text()))
    now = datetime.now(HELSINKI).strftime("%Y-%m-%dT%H:%M")
    form = {
        "activity-csrf_token": tokens["activity-csrf_token"],
        "activity-kind": "note",
        "activity-occurred_at": now,
        "activity-text": "Written by the load benchmark.",
    }
    return client.build_request("POST", writer.path, host=host, cookies=cookies, form=form), cookies


# --- phases ---------------------------------------------------------------------------------


async def phase(
    port: int,
    request: bytes,
    expect: int,
    *,
    clients: int,
    seconds: float,
    background: list[tuple[bytes, int, client.Tally]] = (),
) -> client.Tally:
    until = time.perf_counter() + seconds
    tally = client.Tally()
    runs = [client.hammer(HOST, port, request, expect, until, tally) for _ in range(clients)]
    runs += [client.hammer(HOST, port, req, code, until, other) for req, code, other in background]
    await asyncio.gather(*runs)
    return tally


def measured(target: Target, tally: client.Tally, seconds: float, shares: cpu.Shares | None = None) -> Row:
    return Row(
        name=target.name,
        role=target.role,
        url=target.path,
        requests=len(tally.latencies),
        seconds=seconds,
        p50_ms=percentile(tally.latencies, 0.50),
        p99_ms=percentile(tally.latencies, 0.99),
        errors=tally.errors,
        client_cpu=shares.client if shares else None,
        workers_cpu=shares.workers if shares else None,
        others_cpu=shares.others if shares else None,
        stolen_cpu=shares.stolen if shares else None,
    )


async def best_of(
    srv: server.Server,
    target: Target,
    request: bytes,
    args: argparse.Namespace,
    background: list[tuple[bytes, int, client.Tally]] = (),
) -> tuple[Row, float]:
    """Warm up, then --repeat timed runs of --duration; the run with the most requests per
    second stands for the page (on a shared machine the others were slowed by someone else).
    Returns it and the seconds every run took together (for the writer's rate)."""
    if args.warmup:
        await phase(srv.port, request, target.expect, clients=args.clients, seconds=args.warmup)
    meter = cpu.Meter(srv.worker_pids)
    best: Row | None = None
    total = 0.0
    for _ in range(max(args.repeat, 1)):
        if args.quiet is not None:
            cpu.wait_until_quiet(args.quiet, timeout=300)
        meter.start()
        started = time.perf_counter()
        tally = await phase(
            srv.port, request, target.expect, clients=args.clients, seconds=args.duration, background=background
        )
        wall = time.perf_counter() - started
        total += wall
        row = measured(target, tally, wall, meter.stop())
        if best is None or row.rate > best.rate:
            best = row
    return best, total


async def run_pages(srv: server.Server, reads: list[Target], writer: Target, args: argparse.Namespace) -> list[Row]:
    host = f"{HOST}:{srv.port}"
    sessions = {role: await log_in(srv.port, role) for role in sorted({t.role for t in [*reads, writer]})}
    post, sessions["adviser"] = await writer_request(srv.port, sessions["adviser"], writer)
    rows: list[Row] = []
    writes = client.Tally()
    written_seconds = 0.0
    for target in reads:
        request = client.build_request(target.method, target.path, host=host, cookies=sessions[target.role])
        background = [(post, writer.expect, writes) for _ in range(args.writers)]
        row, seconds = await best_of(srv, target, request, args, background)
        written_seconds += seconds
        rows.append(row)
        print(f"  {row_line(row)}", flush=True)
    if args.writers:
        # Over every timed run of every page: the writes went on throughout.
        rows.append(measured(writer, writes, written_seconds))
        print(f"  {row_line(rows[-1])}", flush=True)
    return rows


async def run_hello(args: argparse.Namespace) -> Row:
    srv = server.start("hello", workers=args.workers)
    try:
        target = Target("-", "bare Flask 'hello' (ceiling)", "/")
        request = client.build_request("GET", "/", host=f"{HOST}:{srv.port}")
        row, _seconds = await best_of(srv, target, request, args)
        return row
    finally:
        srv.stop()


# --- output ---------------------------------------------------------------------------------

HEADER = (
    "page",
    "role",
    "req/s",
    "p50 ms",
    "p99 ms",
    "p99/p50",
    "errors",
    "client CPU",
    "workers CPU",
    "others CPU",
    "stolen",
    "CPU ms/req",
)


def cells(row: Row) -> tuple[str, ...]:
    errors = sum(row.errors.values())
    kinds = ", ".join(f"{k} ×{n}" for k, n in sorted(row.errors.items()))
    return (
        row.name,
        row.role,
        f"{row.rate:,.0f}",
        f"{row.p50_ms:.1f}",
        f"{row.p99_ms:.1f}",
        f"{row.p99_ms / row.p50_ms:.1f}" if row.p50_ms else "-",
        f"{errors} ({kinds})" if errors else "0",
        "-" if row.client_cpu is None else f"{row.client_cpu:.0%}",
        "-" if row.workers_cpu is None else f"{row.workers_cpu:.0%}",
        "-" if row.others_cpu is None else f"{row.others_cpu:.0%}",
        "-" if row.stolen_cpu is None else f"{row.stolen_cpu:.0%}",
        "-" if row.worker_ms is None else f"{row.worker_ms:.1f}",
    )


def row_line(row: Row) -> str:
    return "  ".join(cells(row))


def table(rows: list[Row]) -> str:
    body = [cells(r) for r in rows]
    widths = [max(len(line[i]) for line in [HEADER, *body]) for i in range(len(HEADER))]

    def line(values: tuple[str, ...]) -> str:
        padded = (v.ljust(w) if i < 2 else v.rjust(w) for i, (v, w) in enumerate(zip(values, widths, strict=True)))
        return "  ".join(padded).rstrip()

    return "\n".join([line(HEADER), line(tuple("-" * w for w in widths)), *(line(b) for b in body)])


# --- main -----------------------------------------------------------------------------------


def run_database(label: str, url: str, args: argparse.Namespace) -> list[Row]:
    reads, writer = targets(url)
    if args.only:
        reads = [t for t in reads if args.only in t.name or args.only in t.role]
    secret = secrets.token_hex(32)
    env = {server.DATABASE_ENV: url, server.SECRET_ENV: secret, server.HIDDEN_PANELS_ENV: ",".join(args.hide_panel)}
    srv = server.start("hidden_gems", workers=args.workers, env=env)
    print(f"\n{label}: gunicorn {args.workers} sync workers on port {srv.port}", flush=True)
    if args.hide_panel:
        print(f"  without the panels {', '.join(args.hide_panel)}", flush=True)
    try:
        return asyncio.run(run_pages(srv, reads, writer, args))
    finally:
        srv.stop()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # Stopped from outside: still stop gunicorn and drop the throwaway database (finally).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.skip_sqlite and not args.database_url:
        print("--skip-sqlite needs --database-url", file=sys.stderr)
        return 2
    if unknown := unknown_panels(args.hide_panel):
        print(unknown, file=sys.stderr)
        return 2
    load = os.getloadavg()[0]
    print(
        f"load: {args.clients} clients (+{args.writers} writing) per page for {args.duration:g} s, "
        f"gunicorn {args.workers} sync workers; {os.cpu_count()} CPUs, load average {load:.2f}",
        flush=True,
    )
    if load > 0.5:
        print("  (the machine is busy: figures will be lower and noisier than on an idle one)", flush=True)

    hello = asyncio.run(run_hello(args))
    print(f"\nceiling  {row_line(hello)}", flush=True)

    databases: list[tuple[str, str, bool]] = []
    if not args.skip_sqlite:
        built = build(args.spouses, args.caseload, rebuild=args.rebuild)
        databases.append(("sqlite", built.url, False))
    if args.database_url:
        built = build(args.spouses, args.caseload, database_url=args.database_url, rebuild=args.rebuild)
        databases.append(("postgresql", throwaway_postgres(built.url), True))

    report: dict = {
        "spouses": args.spouses,
        "caseload": args.caseload,
        "clients": args.clients,
        "writers": args.writers,
        "workers": args.workers,
        "duration": args.duration,
        "warmup": args.warmup,
        "repeat": args.repeat,
        "quiet": args.quiet,
        "hidden_panels": args.hide_panel,
        "cpus": os.cpu_count(),
        "load_average_at_start": round(load, 2),
        "python": platform.python_version(),
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "ceiling": hello.as_json(),
        "databases": {},
    }
    results: dict[str, list[Row]] = {}
    for label, url, throwaway in databases:
        try:
            results[label] = run_database(label, url, args)
        finally:
            if throwaway:
                drop_postgres(url)
        report["databases"][label] = [r.as_json() for r in results[label]]

    for label, rows in results.items():
        print(f"\n{label}, {args.spouses:,} spouses; ceiling = bare Flask on the same gunicorn settings\n")
        print(table([*rows, hello]))

    path = args.json or RESULTS / f"load-{args.spouses}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten {path}")
    failed = [r for rows in results.values() for r in rows if r.errors] + ([hello] if hello.errors else [])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
