"""The day's snapshot: built once by the nightly job (or, when there is none at all, by the
first request), then only read; pages show the latest one. Twenty first requests at once
make one snapshot and no error."""

from __future__ import annotations

import zlib
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select, text
from sqlalchemy.dialects import postgresql, sqlite

from hiddengems.dbsetup import begin_writing
from hiddengems.extensions import db
from hiddengems.reports import counting, figures
from hiddengems.reports.models import ReportSnapshot
from hiddengems.timeutil import helsinki_today, utcnow

# The PostgreSQL advisory lock under which one request at a time builds a day's snapshot.
_LOCK_KEY = zlib.crc32(b"hiddengems.reports.snapshot")


def report_day() -> date:
    """Figures are as of the end of yesterday (Helsinki): asking twice a day tells nothing new."""
    return helsinki_today() - timedelta(days=1)


def threshold() -> int:
    return current_app.config["REPORT_THRESHOLD"]


def _built(day: date) -> bool:
    return db.session.scalar(select(ReportSnapshot.id).where(ReportSnapshot.day == day).limit(1)) is not None


def build_snapshot(day: date) -> int:
    """Count, publish and store ``day``'s figures for every scope unless they are there;
    returns how many scopes it stored (0 when another process was first). Commits.

    The counting and the publishing run in a read transaction; only the insert takes the
    write lock (SQLite) or the advisory lock (PostgreSQL), after checking again that
    nobody stored the day meanwhile."""
    db.session.rollback()
    if _built(day):
        return 0
    payloads = figures.publish_day(counting.count(day), threshold())
    db.session.rollback()  # the reading ends here
    begin_writing(db.session)
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    if _built(day):
        db.session.commit()
        return 0
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = utcnow()
    rows = [{"day": day, "scope": scope, "payload": payload, "created_at": now} for scope, payload in payloads.items()]
    stmt = insert(ReportSnapshot).on_conflict_do_nothing(index_elements=["day", "scope"]).returning(ReportSnapshot.id)
    stored = len(db.session.execute(stmt, rows).all()) if rows else 0
    db.session.commit()
    return stored


def snapshot(scope: int, day: date | None = None) -> dict | None:
    """One scope's latest published figures as of ``day`` (yesterday) or earlier: the
    nightly job makes the new day's; a page never waits for it, and shows the day its
    figures are as of. Only when there is no snapshot at all is one built here, once.
    None: the scope did not exist when the latest figures were made (an organisation
    added since: its figures start with the next day's)."""
    day = day or report_day()
    payload = latest(scope, day)
    if payload is None and not _any_built(day):
        build_snapshot(day)
        payload = latest(scope, day)
    return payload


def _any_built(day: date) -> bool:
    return db.session.scalar(select(ReportSnapshot.id).where(ReportSnapshot.day <= day).limit(1)) is not None


def latest(scope: int, day: date | None = None) -> dict | None:
    """The scope's latest published figures as of ``day`` (yesterday) or earlier, if any
    were made: one query, never building them (the lead's desk reads it)."""
    stmt = (
        select(ReportSnapshot.payload)
        .where(ReportSnapshot.day <= (day or report_day()), ReportSnapshot.scope == scope)
        .order_by(ReportSnapshot.day.desc())
        .limit(1)
    )
    return db.session.scalar(stmt)
