"""Each adviser's secret calendar address: their open follow-ups as iCalendar (RFC 5545),
for Outlook, Google Calendar or Thunderbird to subscribe to.

Whoever has the address reads the feed, without a session: the token is 256 random
bits, replaced when the adviser resets it (the old address answers 404 at once), and
worthless once the account is deactivated or stops being an adviser's. The feed says
no more than the adviser's desk shows them (the follow-up's title, the spouse's name,
the case file's link), and only for cases they may open. The address never reaches a
log: the request logs of the development server and gunicorn see it with the token
hidden (``hide_feed_tokens``), and neither the audit log nor an error report records a
URL.
"""

from __future__ import annotations

import logging
import re
import secrets
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from icalendar import Calendar, Event
from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from hiddengems.audit.services import record
from hiddengems.auth.models import User
from hiddengems.cases.models import Case
from hiddengems.extensions import db
from hiddengems.mail.services import public_url
from hiddengems.reminders.models import CalendarFeed, FollowUp
from hiddengems.timeutil import helsinki_today, utcnow

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)
# How far the feed reaches: a calendar keeps the past itself, and the rest is on the desk.
PAST_DAYS, FUTURE_DAYS, MAX_EVENTS = 60, 366, 1000


def feed_of(user_id: int) -> CalendarFeed | None:
    return db.session.get(CalendarFeed, user_id)


def reset_feed(user: User) -> CalendarFeed:
    """A new secret address for the adviser; the old one (if any) stops working now."""
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
    feed = CalendarFeed(user_id=user.id, token=secrets.token_urlsafe(32))
    db.session.add(feed)
    db.session.flush()
    record("calendar.feed_reset", actor=user, object_type="user", object_id=user.id)
    return feed


def owner_of(token: str) -> User | None:
    """The active adviser whose feed this is; None for anything else."""
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    stmt = (
        select(User, CalendarFeed.token)
        .join(CalendarFeed, CalendarFeed.user_id == User.id)
        .where(CalendarFeed.token == token, User.active.is_(True), User.role == "adviser")
    )
    found = db.session.execute(stmt).first()
    # Compared again in constant time: the index lookup answers only equal or not.
    return found[0] if found is not None and secrets.compare_digest(found[1], token) else None


def _follow_ups(user: User) -> list[FollowUp]:
    today = helsinki_today()
    stmt = (
        select(FollowUp)
        .where(
            FollowUp.assignee_id == user.id,
            FollowUp.done_at.is_(None),
            FollowUp.due_on >= today - timedelta(days=PAST_DAYS),
            FollowUp.due_on <= today + timedelta(days=FUTURE_DAYS),
        )
        .options(joinedload(FollowUp.case).joinedload(Case.spouse))
        .order_by(FollowUp.due_on, FollowUp.id)
        .limit(MAX_EVENTS)
    )
    return [row for row in db.session.scalars(stmt) if row.case.can_view(user)]


def calendar_for(user: User, now: datetime | None = None) -> bytes:
    """The adviser's open follow-ups as all-day events, each on its due day."""
    now = now or utcnow()
    host = urlsplit(current_app.config["PUBLIC_URL"]).hostname or "hiddengems.invalid"
    calendar = Calendar()
    calendar.add("prodid", "-//Hidden Gems//Follow-ups//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Hidden Gems: follow-ups")
    calendar.add("x-wr-timezone", "Europe/Helsinki")
    # Clients that honour these fetch it again every hour.
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for follow_up in _follow_ups(user):
        link = public_url("cases.case_file", case_id=follow_up.case_id)
        event = Event()
        event.add("uid", f"follow-up-{follow_up.id}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", follow_up.due_on)
        event.add("dtend", follow_up.due_on + timedelta(days=1))
        event.add("summary", f"{follow_up.title} – {follow_up.case.spouse.name}")
        event.add("description", link)
        event.add("url", link)
        event.add("class", "PRIVATE")
        event.add("transp", "TRANSPARENT")  # a reminder, not a meeting: the day stays free
        calendar.add_component(event)
    return calendar.to_ical()


_FEED_PATH = re.compile(r"(/calendar/)[^/\s\"?]+(\.ics)")


class HideFeedTokens(logging.Filter):
    """Takes the secret out of a feed address in a request log line."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/calendar/" in message:
            record.msg, record.args = _FEED_PATH.sub(r"\1[hidden]\2", message), None
        return True


def hide_feed_tokens(_state=None) -> None:
    """Installed once when the blueprint is registered: the request loggers of the
    development server (werkzeug) and of gunicorn (its access log)."""
    for name in ("werkzeug", "gunicorn.access"):
        logger = logging.getLogger(name)
        if not any(isinstance(existing, HideFeedTokens) for existing in logger.filters):
            logger.addFilter(HideFeedTokens())
