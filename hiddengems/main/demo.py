"""Demo of the participant's notices: the e-mails a few spouses got about their case (a
meeting invitation with its .ics, a shared next step), in the outbox the admin reads, and
one spouse who turned the optional ones off (account settings). Runs after the case work
and the follow-ups are in (the main domain comes after them)."""

from __future__ import annotations

import random

from sqlalchemy import select

from hiddengems.auth.models import User
from hiddengems.cases import notices
from hiddengems.cases.models import Activity, Case
from hiddengems.extensions import db
from hiddengems.reminders.models import FollowUp
from hiddengems.timeutil import utcnow

NOTICES = 3  # of each kind: enough to show them, not an e-mail per demo spouse


def add_demo(rng: random.Random, **_context) -> None:
    meetings = db.session.scalars(
        select(Activity)
        .join(Case, Case.id == Activity.case_id)
        .where(Activity.kind == "meeting", Activity.occurred_at > utcnow(), Case.adviser_id.is_not(None))
        .order_by(Activity.id)
        .limit(NOTICES)
    ).all()
    for meeting in meetings:
        notices.meeting_booked(db.session.get(Case, meeting.case_id), meeting)
    shared = db.session.execute(
        select(FollowUp.case_id, FollowUp.due_on)
        .where(FollowUp.shared_with_spouse.is_(True), FollowUp.done_at.is_(None))
        .order_by(FollowUp.id)
        .limit(NOTICES)
    ).all()
    for case_id, due_on in shared:
        notices.follow_up_shared(db.session.get(Case, case_id), due_on=due_on)
    quiet = db.session.scalar(select(User).where(User.role == "spouse").order_by(User.id.desc()).limit(1))
    if quiet is not None:
        quiet.email_updates = False
    db.session.flush()
