"""Log in as each role with the Flask test client and time the pages of bench/pages.py."""

from __future__ import annotations

import json
import math
import platform
import re
import statistics
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from bench.pages import FLOOR_URL, PAGES, Page
from hiddengems.demo.generator import DEMO_DOMAIN, DEMO_PASSWORD
from hiddengems.extensions import db

# Transaction control is not a query the page chose to make.
RESULTS = Path(__file__).resolve().parent / "results"
NOT_A_QUERY = re.compile(r"\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|PRAGMA)\b", re.I)


@dataclass
class Result:
    role: str
    name: str
    url: str
    status: int
    queries: int
    queries_max: int
    median_ms: float
    p95_ms: float
    ratio: float | None = None
    samples_ms: list[float] = field(default_factory=list, repr=False)

    def as_json(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k != "samples_ms"}


class QueryCounter:
    """Counts the statements sent to the database during one request."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, conn, cursor, statement, *args) -> None:
        if not NOT_A_QUERY.match(statement):
            self.count += 1


def write_result(kind: str, spouses: int, database: str, **fields) -> Path:
    """A standalone benchmark's figures as bench/results/<kind>-<spouses>-<database>.json."""
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{kind}-{spouses}-{database}.json"
    stamp = {"when": datetime.now(UTC).isoformat(timespec="seconds"), "machine": platform.platform()}
    out.write_text(json.dumps({**stamp, "spouses": spouses, "database": database, **fields}, indent=2))
    return out


def p95(samples: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def login(app: Flask, role: str) -> FlaskClient:
    client = app.test_client()
    response = client.post("/login", data={"email": f"{role}@{DEMO_DOMAIN}", "password": DEMO_PASSWORD})
    if response.status_code != 302:
        raise SystemExit(f"could not log in as {role}: HTTP {response.status_code}")
    return client


def resolve(app: Flask, pages: list[Page]) -> list[tuple[Page, str]]:
    with app.app_context():
        resolved = [(page, page.resolve(db.session)) for page in pages]
        db.session.remove()
    return resolved


def measure(app: Flask, pages: list[Page] | None = None, *, repeat: int = 30, warmup: int = 3) -> list[Result]:
    """Every role's floor page, then its pages; the repeats of one role are interleaved
    so that a slow moment of the machine hits the floor and the pages alike."""
    pages = PAGES if pages is None else pages
    counter = QueryCounter()
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", counter)
    results: list[Result] = []
    try:
        roles = list(dict.fromkeys(page.role for page in pages))
        for role in roles:
            client = login(app, role)
            floor = Page(role, "floor", FLOOR_URL)
            targets = resolve(app, [floor, *(page for page in pages if page.role == role)])
            samples: list[list[float]] = [[] for _ in targets]
            counts: list[list[int]] = [[] for _ in targets]
            statuses = [0] * len(targets)
            for attempt in range(warmup + repeat):
                for i, (_page, url) in enumerate(targets):
                    counter.count = 0
                    started = time.perf_counter()
                    response = client.get(url)
                    elapsed = (time.perf_counter() - started) * 1000
                    statuses[i] = response.status_code
                    if attempt >= warmup:
                        samples[i].append(elapsed)
                        counts[i].append(counter.count)
            floor_median = statistics.median(samples[0])
            for (page, url), times, queries, status in zip(targets, samples, counts, statuses, strict=True):
                median = statistics.median(times)
                results.append(
                    Result(
                        role=role,
                        name=page.name,
                        url=url,
                        status=status,
                        queries=min(queries),
                        queries_max=max(queries),
                        median_ms=round(median, 2),
                        p95_ms=round(p95(times), 2),
                        ratio=round(median / floor_median, 2),
                        samples_ms=times,
                    )
                )
    finally:
        event.remove(engine, "before_cursor_execute", counter)
    return results
