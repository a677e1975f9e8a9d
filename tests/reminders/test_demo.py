"""Demo follow-ups: some are shown to the spouse, and the spouse sees them."""

from __future__ import annotations

from sqlalchemy import select

from hiddengems.auth.models import User
from hiddengems.cases.models import Case
from hiddengems.demo.generator import DEMO_PASSWORD
from hiddengems.extensions import db
from hiddengems.reminders.demo import FOLLOW_UP_TITLES, SPOUSE_FOLLOW_UP_TITLES
from hiddengems.reminders.models import FollowUp


def test_some_demo_follow_ups_are_shown_to_the_spouse(app, runner, f):
    assert runner.invoke(args=["demo-data", "--spouses", "120"]).exit_code == 0
    rows = db.session.execute(select(FollowUp.title, FollowUp.shared_with_spouse)).all()
    shared = {title for title, is_shared in rows if is_shared}
    internal = {title for title, is_shared in rows if not is_shared}
    assert shared and internal
    assert shared <= set(SPOUSE_FOLLOW_UP_TITLES) and internal <= set(FOLLOW_UP_TITLES)

    open_shared = db.session.execute(
        select(FollowUp.title, User)
        .join(Case, Case.id == FollowUp.case_id)
        .join(User, User.id == Case.spouse_id)
        .where(FollowUp.shared_with_spouse.is_(True), FollowUp.done_at.is_(None))
        .limit(1)
    ).first()
    assert open_shared is not None
    title, spouse = open_shared
    # Demo spouses share the demo password.
    client = app.test_client()
    assert f.login(client, spouse, DEMO_PASSWORD).status_code == 302
    assert title in client.get("/home").get_data(as_text=True)
