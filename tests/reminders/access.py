"""Access rows of the follow-ups (merged by tests/test_access_table.py). Spouse A's case
belongs to "adviser"; a lead may change every case."""

from __future__ import annotations

from hiddengems.extensions import db
from hiddengems.reminders.models import CalendarFeed
from tests import factories as f
from tests.access_codes import ADVISER, PUBLIC
from tests.reminders.rulekit import rule as reminder_rule

# An empty form: the case file shown again with messages beside the fields.
CASE = "302 403 403 200 403 200 403 403 403"
# Marked done, then back to the case file.
CASE_REDIRECT = "302 403 403 302 403 302 403 403 403"

ACCESS: dict[str, tuple[str, str]] = {
    "reminders.add": ("POST", CASE),
    "reminders.done": ("POST", CASE_REDIRECT),
    # Why the rules fired on the case or not: whoever may see the case file.
    "reminders.why": ("GET", CASE),
}

# --- reminder rules (rules branch): the leads' pages ------------------------------------
LEAD = "302 403 403 403 403 200 403 403 403"
LEAD_REDIRECT = "302 403 403 403 403 302 403 403 403"
ACCESS.update(
    {
        "reminders.rules": ("GET", LEAD),
        "reminders.new_rule": ("GET", LEAD),
        "reminders.edit_rule": ("GET", LEAD),
        "reminders.switch": ("POST", LEAD_REDIRECT),
    }
)

# --- the calendar feed (machinery) ---
# Every adviser has a calendar page; the POST makes a new address and goes back to it.
# The feed answers anyone, without a session, who has its secret (the adviser's here);
# tests/reminders/test_calendar.py: every other token answers 404.
ACCESS.update(
    {
        "reminders.calendar": ("GET", ADVISER),
        "reminders.reset_calendar": ("POST", "302 403 403 302 302 302 403 403 403"),
        "reminders.calendar_feed": ("GET", PUBLIC),
    }
)


def world_values(people: dict, values: dict) -> dict:
    case = f.case_of(people["spouse_a"])
    values = {"follow_up_id": f.follow_up(case, people["adviser"]).id}
    # --- reminder rules (rules branch)
    values["rule_id"] = reminder_rule("no_contact", days=30).id
    # The adviser's feed (machinery).
    feed = CalendarFeed(user_id=people["adviser"].id, token="A" * 43)
    db.session.add(feed)
    db.session.commit()
    values["feed_token"] = feed.token
    return values


# --- follow-ups for people (issue 9, followups): a follow-up's page, snooze, give, Today ------
# Spouse A's case's follow-up: its adviser and a lead see its page; another adviser does not.
# An empty snooze or give: the follow-up's page again, with the messages beside the fields.
ACCESS.update(
    {
        "reminders.follow_up": ("GET", CASE),
        "reminders.snooze": ("POST", CASE),
        "reminders.reassign": ("POST", CASE),
        "reminders.today": ("GET", "302 403 403 200 200 200 403 403 403"),
    }
)
