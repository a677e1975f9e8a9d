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
