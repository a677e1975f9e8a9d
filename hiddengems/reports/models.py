"""The day's figures for HR, computed once a day and read by every report page."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hiddengems.extensions import db
from hiddengems.timeutil import UTCDateTime, utcnow


class ReportSnapshot(db.Model):
    """The published figures of one scope (an organisation's id, or 0 for all of them) as of the end
    of ``day`` (Helsinki). ``payload`` holds only what may be shown: every mark already
    applied, so no suppressed count is ever stored, let alone read by a page."""

    __tablename__ = "report_snapshot"
    __table_args__ = (UniqueConstraint("day", "scope", name="uq_report_snapshot_day_scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    scope: Mapped[int]
    payload: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<ReportSnapshot {self.day} {self.scope}>"
