"""The follow-ups: the adviser's Today page (a caseload of --caseload, 400 by default), the
lead's team view (every adviser's and the queue's), and one follow-up's page; the reminder
rules: the lead's list and a rule's form, and why they fired on a case or not; the
adviser's calendar page and feed.

The feed is an export that calendar programs fetch about once an hour, not a page a person
waits on: two queries whatever its size, and then the icalendar library's serialisation,
about 0.7 ms per event (the demo adviser's 286 open follow-ups: some 230 ms, 23× the
floor, at 1,000 spouses on a loaded machine). It holds at most feed.MAX_EVENTS events."""

from __future__ import annotations

import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bench.pages import Page, busiest_case_of, demo_user_id
from hiddengems.reminders.models import CalendarFeed, FollowUp, ReminderRule


def _open_follow_up_of(session, role: str) -> str:
    stmt = select(FollowUp.case_id, FollowUp.id).where(
        FollowUp.assignee_id == demo_user_id(session, role), FollowUp.done_at.is_(None)
    )
    case_id, follow_up_id = session.execute(stmt.order_by(FollowUp.due_on, FollowUp.id).limit(1)).one()
    return f"/cases/{case_id}/follow-ups/{follow_up_id}"


def _first_rule(session) -> int:
    return session.scalar(select(func.min(ReminderRule.id)))


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
    Page("adviser", "today (my follow-ups)", "/cases/today"),
    Page("lead", "today (the team's, with the queue)", "/cases/today?view=team"),
    Page("adviser", "a follow-up", lambda s: _open_follow_up_of(s, "adviser")),
    Page("lead", "reminder rules", "/cases/reminder-rules"),
    Page("lead", "reminder rule form", lambda s: f"/cases/reminder-rules/{_first_rule(s)}"),
    Page("adviser", "why reminders fire on a case", lambda s: f"/cases/{busiest_case_of(s, 'adviser')}/reminders"),
    Page("adviser", "calendar page", "/cases/calendar"),
    Page("adviser", "calendar feed", adviser_feed),
]
