"""Demo case work happens as advisers work: on weekdays, in office hours."""

from __future__ import annotations


def test_demo_activities_happen_in_office_hours():
    from datetime import UTC, datetime

    from hiddengems.cases.demo import office_hours
    from hiddengems.timeutil import HELSINKI

    now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    for drawn in (
        datetime(2026, 11, 27, 3, 17, tzinfo=UTC),  # a Friday night in Helsinki terms
        datetime(2026, 11, 29, 22, 40, tzinfo=UTC),  # a Sunday
        datetime(2026, 11, 27, 11, 59, tzinfo=UTC),  # just before now
    ):
        moved = office_hours(drawn, now).astimezone(HELSINKI)
        assert moved.weekday() < 5 and 8 <= moved.hour < 17
        if drawn <= now:
            assert moved <= now


def test_demo_data_shows_the_advisers_day(app):
    """Meetings today on the demo adviser's desk, meetings a close cancelled (none still
    planned on a closed case), and corrected entries with the text they replaced."""
    from sqlalchemy import select

    from hiddengems.auth.models import User
    from hiddengems.cases import timeline
    from hiddengems.cases.models import Activity, ActivityRevision, Case
    from hiddengems.demo.generator import generate
    from hiddengems.extensions import db
    from hiddengems.timeutil import helsinki_today, utcnow

    generate(400)
    db.session.commit()
    adviser = db.session.scalar(select(User).where(User.email == "adviser@demo.hiddengems.fi"))
    assert len(timeline.meetings_on(adviser.id, helsinki_today())) >= 1
    closed_meetings = db.session.execute(
        select(Activity.cancelled_at)
        .join(Case, Case.id == Activity.case_id)
        .where(Case.stage == "closed", Activity.kind == "meeting", Activity.occurred_at > utcnow())
    ).all()
    assert closed_meetings and all(row.cancelled_at is not None for row in closed_meetings)
    revision = db.session.scalars(select(ActivityRevision)).first()
    assert revision is not None and revision.old_text != revision.new_text
    edited = db.session.get(Activity, revision.activity_id)
    assert edited.edited_at is not None and edited.text == revision.new_text
