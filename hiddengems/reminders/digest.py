"""The daily digest: each adviser's overdue and today's follow-ups in one e-mail on
working-day mornings (Europe/Helsinki), none when there is nothing.

Once per adviser and day: the digest's row (DigestSent, keyed by adviser and day) is
inserted with ON CONFLICT DO NOTHING in the transaction that queues the e-mail, so two
schedulers, a retried job or a run by hand cannot send a second one. The e-mail carries
the spouses' names, due dates and links to the case files, never a follow-up's text or
anything the spouse wrote: e-mail leaves the service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import groupby

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import exists, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import contains_eager, joinedload

from hiddengems.auth.models import User
from hiddengems.cases.models import Case
from hiddengems.dbsetup import begin_writing
from hiddengems.extensions import db
from hiddengems.mail.services import public_url, queue
from hiddengems.reminders.models import DigestSent, FollowUp
from hiddengems.timeutil import HELSINKI, utcnow


def _easter(year: int) -> date:
    """Easter Sunday (the Gregorian computus, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's name
    m = (a + 11 * h + 19 * l) // 433
    month = (h + l - 7 * m + 90) // 25
    return date(year, month, (h + l - 7 * m + 33 * month + 19) % 32)


def finnish_holidays(year: int) -> set[date]:
    """The weekdays Finland does not work: public holidays, Midsummer and Christmas Eve."""
    easter = _easter(year)
    midsummer_eve = next(date(year, 6, day) for day in range(19, 26) if date(year, 6, day).weekday() == 4)
    fixed = [(1, 1), (1, 6), (5, 1), (12, 6), (12, 24), (12, 25), (12, 26)]
    moving = [easter - timedelta(days=2), easter + timedelta(days=1), easter + timedelta(days=39), midsummer_eve]
    return {date(year, month, day) for month, day in fixed} | set(moving)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in finnish_holidays(day.year)


def digest_time() -> time:
    hours, minutes = current_app.config["DIGEST_TIME"].split(":")
    return time(int(hours), int(minutes))


@dataclass
class Line:
    name: str
    due_on: date
    case_id: int


@dataclass
class Digest:
    """What one adviser's digest says, read before anything is written (plain values:
    the rows expire with each adviser's commit)."""

    adviser_id: int
    email: str
    name: str
    language: str
    overdue: list[Line]
    today: list[Line]

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.today)


def due_digests(day: date) -> list[Digest]:
    """The digests still to send for a day: each active adviser with open follow-ups due
    on or before it and no digest of that day yet. One query for all of them."""
    already = exists().where(DigestSent.user_id == FollowUp.assignee_id, DigestSent.day == day)
    stmt = (
        select(FollowUp)
        .join(FollowUp.assignee)
        .where(FollowUp.done_at.is_(None), FollowUp.due_on <= day, User.active.is_(True), User.role == "adviser")
        .where(~already)
        .options(contains_eager(FollowUp.assignee), joinedload(FollowUp.case).joinedload(Case.spouse))
        .order_by(FollowUp.assignee_id, FollowUp.due_on, FollowUp.id)
    )
    digests = []
    for _adviser_id, rows in groupby(db.session.scalars(stmt).unique(), key=lambda row: row.assignee_id):
        follow_ups = [row for row in rows if row.case.can_view(row.assignee)]
        if not follow_ups:
            continue
        adviser = follow_ups[0].assignee
        lines = [Line(row.case.spouse.name, row.due_on, row.case_id) for row in follow_ups]
        digests.append(
            Digest(
                adviser_id=adviser.id,
                email=adviser.email,
                name=adviser.name,
                language=adviser.preferred_language or "en",
                overdue=[line for line in lines if line.due_on < day],
                today=[line for line in lines if line.due_on == day],
            )
        )
    return digests


def _claim(user_id: int, day: date, count: int) -> bool:
    """Insert the (adviser, day) row unless it is there: True when this run claimed it."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(DigestSent).values(user_id=user_id, day=day, follow_ups=count, created_at=utcnow())
    claimed = db.session.execute(stmt.on_conflict_do_nothing().returning(DigestSent.user_id)).scalar()
    return claimed is not None


def _queue_digest(digest: Digest, day: date) -> None:
    limit = current_app.config["DIGEST_LIMIT"]
    with force_locale(digest.language):
        subject = _(
            "Your follow-ups: %(overdue)d overdue, %(today)d today",
            overdue=len(digest.overdue),
            today=len(digest.today),
        )
        queue(
            digest.email,
            subject,
            "digest",
            kind="digest",
            user_id=digest.adviser_id,
            name=digest.name,
            day=day,
            overdue=[_line(line) for line in digest.overdue[:limit]],
            today=[_line(line) for line in digest.today[: max(limit - len(digest.overdue), 0)]],
            more=max(digest.count - limit, 0),
            desk_url=public_url("main.adviser_home"),
        )


def _line(line: Line) -> dict:
    return {"name": line.name, "due_on": line.due_on, "url": public_url("cases.case_file", case_id=line.case_id)}


def send_digests(now: datetime | None = None) -> int:
    """Queue the day's digests that are due and not yet sent; how many were queued.

    Nothing on weekends and Finnish holidays, nor before DIGEST_TIME (Helsinki); the
    job runs every quarter of an hour for a few hours from then, so a scheduler that
    was down at that time sends them when it is back."""
    local = (now or utcnow()).astimezone(HELSINKI)
    day = local.date()
    if not is_working_day(day) or local.time() < digest_time():
        return 0
    queued = 0
    digests = due_digests(day)
    db.session.rollback()
    for digest in digests:
        # One adviser per transaction: the claim and the e-mail are committed together.
        begin_writing(db.session)
        if _claim(digest.adviser_id, day, digest.count):
            # Links in e-mails are built on PUBLIC_URL; a job has no request of its own.
            with current_app.test_request_context():
                _queue_digest(digest, day)
            queued += 1
        db.session.commit()
    return queued
