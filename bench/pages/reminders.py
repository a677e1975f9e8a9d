"""The reminder rules: the lead's list and a rule's form."""

from sqlalchemy import func, select

from bench.pages import Page
from hiddengems.reminders.models import ReminderRule


def _first_rule(session) -> int:
    return session.scalar(select(func.min(ReminderRule.id)))


PAGES = [
    Page("lead", "reminder rules", "/cases/reminder-rules"),
    Page("lead", "reminder rule form", lambda s: f"/cases/reminder-rules/{_first_rule(s)}"),
]
