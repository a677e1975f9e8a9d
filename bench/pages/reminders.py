"""The follow-ups: the adviser's calendar page and feed."""

from __future__ import annotations

import secrets

from sqlalchemy.orm import Session

from bench.pages import Page, demo_user_id
from hiddengems.reminders.models import CalendarFeed


def adviser_feed(session: Session) -> str:
    """The demo adviser's calendar feed (made on the first run)."""
    user_id = demo_user_id(session, "adviser")
    feed = session.get(CalendarFeed, user_id)
    if feed is None:
        feed = CalendarFeed(user_id=user_id, token=secrets.token_urlsafe(32))
        session.add(feed)
        session.commit()
    return f"/cases/calendar/{feed.token}.ics"


PAGES = [
    Page("adviser", "calendar page", "/cases/calendar"),
    Page("adviser", "calendar feed", adviser_feed),
]
