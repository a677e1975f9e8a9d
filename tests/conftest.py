"""Fixtures: a fresh database per test, built by the migrations.

SQLite (default): the migrations run once into a template file, copied per test.
PostgreSQL (TEST_DATABASE_URL=postgresql+psycopg://...): the migrations run once
into that database, and every table is emptied after each test.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, event, exc, exists, literal, select, text, union_all

from hiddengems import create_app
from hiddengems.extensions import db
from tests import factories

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRES = PG_URL.startswith("postgresql")


def _test_config(url: str, **extra) -> dict:
    return {"SQLALCHEMY_DATABASE_URI": url, **extra}


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> str:
    if ON_POSTGRES:
        engine = create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        url = PG_URL
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('template') / 'template.sqlite'}"
    app = create_app("testing", _test_config(url))
    with app.app_context():
        upgrade(revision="heads")
        db.engine.dispose()
    return url


# Every sequence of the schema back to its start, as TRUNCATE ... RESTART IDENTITY leaves them.
RESTART_IDS = """
SELECT setval(sequence.oid, seq.seqstart, false)
FROM pg_class AS sequence JOIN pg_sequence AS seq ON seq.seqrelid = sequence.oid
WHERE sequence.relkind = 'S' AND sequence.relnamespace = current_schema()::regnamespace
"""


def empty_all() -> None:
    """Empty every table and restart every id, as a fresh database has them.

    TRUNCATE of every table costs about 70 ms whatever they hold (PostgreSQL gives each
    table and index a new file), more than most tests take to run. A test fills a few
    tables: those are emptied with DELETE, with triggers off for the transaction (the
    foreign keys' checks and the audit table's append-only guard: TRUNCATE does not fire
    them either), and the ids restarted. Where the database user may not turn triggers
    off (a superuser's setting), every table is truncated as before."""
    tables = db.metadata.sorted_tables
    probe = union_all(*(select(literal(t.name)).where(exists().select_from(t)) for t in tables))
    filled = set(db.session.scalars(probe))
    try:
        db.session.execute(text("SET LOCAL session_replication_role = replica"))
    except exc.DBAPIError:
        db.session.rollback()
        db.session.execute(text(f"TRUNCATE {', '.join(t.name for t in tables)} RESTART IDENTITY CASCADE"))
        db.session.commit()
        return
    for table in reversed(tables):
        if table.name in filled:
            db.session.execute(table.delete())
    db.session.execute(text(RESTART_IDS))
    db.session.commit()


@pytest.fixture
def make_app(template_db, tmp_path):
    """Build an app on this test's database; extra config may be given."""
    made: list[Flask] = []
    if ON_POSTGRES:
        url = template_db
    else:
        path = tmp_path / "test.sqlite"
        shutil.copyfile(template_db.removeprefix("sqlite:///"), path)
        url = f"sqlite:///{path}"

    def build(**extra) -> Flask:
        app = create_app("testing", _test_config(url, **extra))
        app.test_client_class = IsolatedClient
        made.append(app)
        return app

    yield build
    for app in made:
        with app.app_context():
            db.session.remove()
            if ON_POSTGRES and app is made[0]:
                empty_all()
            db.engine.dispose()


class IsolatedClient(FlaskClient):
    """Each request gets its own app context, as in production.

    Flask reuses an app context that is already pushed, and the `app` fixture
    pushes one for the test's own database work; without this, `g` (and so the
    logged-in user) and the database session would leak between requests."""

    def open(self, *args, **kwargs):
        outer = _cv_app.get(None)
        if outer is not None:
            # The test's own work is done before the request is made; on SQLite an
            # open transaction of the test would hold the write lock (BEGIN IMMEDIATE).
            db.session.commit()
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)
            if outer is not None:
                # The test's session must see what the request committed.
                db.session.expire_all()


@pytest.fixture
def app(make_app) -> Iterator[Flask]:
    app = make_app()
    with app.app_context():
        yield app


@pytest.fixture
def client(app) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def f(app):
    """Factories bound to this test's database."""
    return factories


class QueryCounter:
    def __init__(self, engine):
        self.engine = engine
        self.statements: list[str] = []

    def _count(self, conn, cursor, statement, *args):
        if not re.match(r"\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|PRAGMA)", statement, re.I):
            self.statements.append(statement)

    def __enter__(self):
        self.statements.clear()
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def queries(app) -> QueryCounter:
    return QueryCounter(db.engine)


def pytest_collection_modifyitems(config, items):
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: set TEST_DATABASE_URL")
    for item in items:
        if "postgres" in item.keywords and not ON_POSTGRES:
            item.add_marker(skip_pg)


ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def desk(f):
    """An adviser with one case in skills, another adviser, a lead, and a spouse in the queue."""
    org = f.org("Desk University")
    adviser = f.user("adviser", name="Aino Adviser")
    other = f.user("adviser", name="Olli Other")
    lead = f.user("adviser", lead=True, name="Liisa Lead")
    spouse = f.user("spouse", organisation=org, name="Maria Spouse")
    waiting = f.user("spouse", organisation=org, name="Wang Waiting")
    case = f.assign(spouse, adviser, "skills")
    queued = f.assign(waiting, None, "intake")
    return SimpleNamespace(
        org=org, adviser=adviser, other=other, lead=lead, spouse=spouse, case=case, waiting=waiting, queued=queued
    )
