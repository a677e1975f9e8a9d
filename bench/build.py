"""Build the benchmark database: the migrations, then the demo generator.

SQLite databases are cached per size in ``bench/.cache/``, keyed by a hash of
the migrations and the generator, so a rerun copies a file instead of
generating 100,000 spouses again. Each run works on a copy, so whatever the
requests write (audit rows, login counters) never reaches the cache.

On PostgreSQL the schema ``public`` is dropped and rebuilt; the key is kept as
the schema's comment, and a rerun with the same key reuses the data.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from hiddengems import create_app
from hiddengems.demo.generator import generate
from hiddengems.extensions import db
from hiddengems.skills.starter import load_starter

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(__file__).resolve().parent / ".cache"
# What the data depends on: change any of these and the cached databases are rebuilt.
# Each domain's demo.py is there too, and the starter taxonomy the skills demo loads.
SOURCES = (
    "migrations/versions/**/*.py",
    "hiddengems/demo/**/*.py",
    "hiddengems/*/demo.py",
    "hiddengems/skills/data/*.csv",
    "bench/build.py",
)
SEED = 42


@dataclass
class Built:
    url: str
    key: str
    cached: bool
    seconds: float


def cache_key(spouses: int, caseload: int) -> str:
    digest = hashlib.sha256(f"spouses={spouses} caseload={caseload} seed={SEED}\n".encode())
    for pattern in SOURCES:
        for path in sorted(ROOT.glob(pattern)):
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def make_app(url: str) -> Flask:
    # The testing config: cheap argon2 for the shared demo hash, the in-memory mail backend.
    return create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ECHO": False})


def _fill(url: str, spouses: int, caseload: int) -> None:
    app = make_app(url)
    with app.app_context():
        upgrade(revision="heads")
        # As `make run` does: the starter taxonomy first, so that the demo's skills
        # profiles and training catalogue have skills to refer to.
        load_starter()
        generate(spouses, seed=SEED, caseload=caseload)
        db.session.commit()
        db.session.remove()
        # Planner statistics and a vacuumed heap (PostgreSQL's visibility map lets it read
        # indexes alone), as a production database has them once autovacuum has run.
        statement = "VACUUM ANALYZE" if db.engine.dialect.name == "postgresql" else "ANALYZE"
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(statement))
        db.engine.dispose()


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def build_sqlite(spouses: int, caseload: int, *, rebuild: bool = False) -> Built:
    CACHE.mkdir(parents=True, exist_ok=True)
    key = cache_key(spouses, caseload)
    cached = CACHE / f"hg-{spouses}-{key}.sqlite"
    started = time.perf_counter()
    hit = cached.exists() and not rebuild
    if not hit:
        for stale in CACHE.glob(f"hg-{spouses}-*.sqlite*"):
            stale.unlink()
        partial = CACHE / f"building-{spouses}.sqlite"
        _remove_sqlite(partial)
        _fill(f"sqlite:///{partial}", spouses, caseload)
        # One self-contained file, with no -wal beside it, before it is cached.
        with contextlib.closing(sqlite3.connect(partial)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA journal_mode=DELETE")
        partial.rename(cached)
    run = CACHE / f"run-{spouses}.sqlite"
    _remove_sqlite(run)
    shutil.copyfile(cached, run)
    return Built(f"sqlite:///{run}", key, hit, time.perf_counter() - started)


def build_postgres(url: str, spouses: int, caseload: int, *, rebuild: bool = False) -> Built:
    key = cache_key(spouses, caseload)
    marker = f"hiddengems-bench {key}"
    started = time.perf_counter()
    engine = create_engine(url)
    with engine.begin() as conn:
        current = conn.execute(text("SELECT obj_description('public'::regnamespace, 'pg_namespace')")).scalar()
        hit = current == marker and not rebuild
        if not hit:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    if not hit:
        _fill(url, spouses, caseload)
        with engine.begin() as conn:
            # Set last: an interrupted build leaves no marker and is rebuilt.
            conn.execute(text(f"COMMENT ON SCHEMA public IS '{marker}'"))
    engine.dispose()
    return Built(url, key, hit, time.perf_counter() - started)


def build(spouses: int, caseload: int, *, database_url: str | None = None, rebuild: bool = False) -> Built:
    if database_url and database_url.startswith("postgresql"):
        return build_postgres(database_url, spouses, caseload, rebuild=rebuild)
    if database_url:
        raise SystemExit("--database-url takes a postgresql+psycopg:// URL; SQLite is built in bench/.cache/")
    return build_sqlite(spouses, caseload, rebuild=rebuild)
