"""The day's snapshot: built once (by the nightly job, or by the day's first request), then
only read. Twenty first requests at once make one snapshot and no error."""

from __future__ import annotations

import zlib
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select, text
from sqlalchemy.dialects import postgresql, sqlite

from hiddengems.dbsetup import begin_writing
from hiddengems.extensions import db
from hiddengems.reports import figures
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
    """Count, protect and store ``day``'s figures for every scope unless they are there;
    returns how many scopes it stored (0 when another process was first). Commits."""
    db.session.rollback()  # a fresh transaction: with the write lock (SQLite) or a lock to wait on
    begin_writing(db.session)
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    if _built(day):
        db.session.commit()
        return 0
    payloads = figures.protect_day(figures.count(day), threshold())
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = utcnow()
    rows = [{"day": day, "scope": scope, "payload": payload, "created_at": now} for scope, payload in payloads.items()]
    stmt = insert(ReportSnapshot).on_conflict_do_nothing(index_elements=["day", "scope"]).returning(ReportSnapshot.id)
    stored = len(db.session.execute(stmt, rows).all()) if rows else 0
    db.session.commit()
    return stored


def snapshot(scope: int, day: date | None = None) -> dict | None:
    """One scope's published figures for the day, built first if the day has none yet.
    None: the scope did not exist when the day's figures were made (an organisation added
    since: its figures start tomorrow)."""
    day = day or report_day()
    stmt = select(ReportSnapshot.payload).where(ReportSnapshot.day == day, ReportSnapshot.scope == scope)
    payload = db.session.scalar(stmt)
    if payload is None and not _built(day):
        build_snapshot(day)
        payload = db.session.scalar(stmt)
    return payload
