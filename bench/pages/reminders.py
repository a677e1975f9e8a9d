"""The follow-ups: the adviser's calendar page and feed.

The feed is an export that calendar programs fetch about once an hour, not a page a person
waits on: two queries whatever its size, and then the icalendar library's serialisation,
about 0.7 ms per event (the demo adviser's 286 open follow-ups: some 230 ms, 23× the
floor, at 1,000 spouses on a loaded machine). It holds at most feed.MAX_EVENTS events."""

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
