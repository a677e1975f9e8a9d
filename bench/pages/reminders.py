"""The follow-ups: the adviser's Today page (a caseload of --caseload, 400 by default), the
lead's team view (every adviser's and the queue's), and one follow-up's page; the reminder
rules: the lead's list and a rule's form."""

from sqlalchemy import func, select

from bench.pages import Page, demo_user_id
from hiddengems.reminders.models import FollowUp, ReminderRule


def _open_follow_up_of(session, role: str) -> str:
    stmt = select(FollowUp.case_id, FollowUp.id).where(
        FollowUp.assignee_id == demo_user_id(session, role), FollowUp.done_at.is_(None)
    )
    case_id, follow_up_id = session.execute(stmt.order_by(FollowUp.due_on, FollowUp.id).limit(1)).one()
    return f"/cases/{case_id}/follow-ups/{follow_up_id}"


def _first_rule(session) -> int:
    return session.scalar(select(func.min(ReminderRule.id)))


PAGES = [
    Page("adviser", "today (my follow-ups)", "/cases/today"),
    Page("lead", "today (the team's, with the queue)", "/cases/today?view=team"),
    Page("adviser", "a follow-up", lambda s: _open_follow_up_of(s, "adviser")),
    Page("lead", "reminder rules", "/cases/reminder-rules"),
    Page("lead", "reminder rule form", lambda s: f"/cases/reminder-rules/{_first_rule(s)}"),
]
