"""The daily digest: one e-mail per adviser on working-day mornings (Helsinki) with the
overdue and today's follow-ups, names and links only; none when nothing is due; never
twice for a day."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from hiddengems import scheduler
from hiddengems.extensions import db
from hiddengems.reminders import digest, jobs
from hiddengems.reminders.models import DigestSent
from hiddengems.timeutil import HELSINKI
from tests import factories as f

MONDAY = date(2026, 11, 30)
MORNING = datetime(2026, 11, 30, 7, 30, tzinfo=HELSINKI)


def _digests(to: str | None = None) -> list:
    db.session.expire_all()
    return [m for m in f.outbox("digest") if to is None or m.to_address == to]


@pytest.fixture
def due(desk):
    """The adviser's follow-ups: one overdue, one due today, one next week, one done."""
    f.follow_up(desk.case, desk.adviser, title="Ask about her divorce papers", due_on=MONDAY - timedelta(days=3))
    other = f.user("spouse", organisation=desk.org, name="Olga Other")
    second = f.assign(other, desk.adviser, "skills")
    f.follow_up(second, desk.adviser, title="Private: health issue", due_on=MONDAY)
    later = f.user("spouse", organisation=desk.org, name="Lauri Later")
    f.follow_up(f.assign(later, desk.adviser, "skills"), desk.adviser, due_on=MONDAY + timedelta(days=7))
    f.follow_up(desk.case, desk.adviser, title="Done already", due_on=MONDAY - timedelta(days=1), done=True)
    db.session.commit()
    desk.second = second
    return desk


def test_one_email_with_overdue_and_today_names_and_links_only(app, due):
    assert digest.send_digests(MORNING) == 1
    (message,) = _digests()
    assert message.to_address == due.adviser.email and message.user_id == due.adviser.id
    assert message.subject == "Your follow-ups: 1 overdue, 1 today"
    body = message.body
    overdue, today = body.index("Overdue:"), body.index("Due today:")
    assert overdue < body.index("Maria Spouse") < today < body.index("Olga Other")
    assert f"http://localhost/cases/{due.case.id}" in body and f"http://localhost/cases/{due.second.id}" in body
    assert "http://localhost/desk" in body
    # Names and links only: no follow-up's text, nothing later or done.
    for hidden in ("divorce", "health", "Call back", "Done already", "Lauri Later"):
        assert hidden not in body


def test_nothing_due_means_no_email(app, desk):
    f.follow_up(desk.case, desk.adviser, due_on=MONDAY + timedelta(days=1))
    assert digest.send_digests(MORNING) == 0
    assert _digests() == []


def test_never_twice_for_a_day_and_again_the_next_working_day(app, due):
    assert digest.send_digests(MORNING) == 1
    assert digest.send_digests(MORNING + timedelta(minutes=15)) == 0
    assert digest.send_digests(MORNING + timedelta(hours=3)) == 0
    assert len(_digests()) == 1
    assert digest.send_digests(MORNING + timedelta(days=1)) == 1
    assert [m.subject for m in _digests()][-1] == "Your follow-ups: 2 overdue, 0 today"
    assert db.session.scalar(db.select(db.func.count()).select_from(DigestSent)) == 2


def test_a_follow_up_due_later_in_the_morning_gets_the_digest_then_still_once(app, desk):
    assert digest.send_digests(MORNING) == 0
    f.follow_up(desk.case, desk.adviser, due_on=MONDAY)
    db.session.commit()
    assert digest.send_digests(MORNING + timedelta(hours=1)) == 1
    assert digest.send_digests(MORNING + timedelta(hours=2)) == 0


@pytest.mark.parametrize(
    "when",
    [
        datetime(2026, 11, 30, 7, 29, tzinfo=HELSINKI),  # before DIGEST_TIME
        datetime(2026, 11, 29, 7, 30, tzinfo=HELSINKI),  # Sunday
        datetime(2026, 12, 24, 7, 30, tzinfo=HELSINKI),  # Christmas Eve, a Thursday
        datetime(2027, 3, 26, 7, 30, tzinfo=HELSINKI),  # Good Friday
    ],
)
def test_no_digest_before_the_time_on_weekends_or_holidays(app, due, when):
    assert digest.send_digests(when) == 0
    assert _digests() == []


def test_the_time_is_helsinkis_not_utcs(app, due):
    # In winter 06:00 UTC is 08:00 in Helsinki.
    app.config["DIGEST_TIME"] = "08:00"
    assert digest.send_digests(datetime(2026, 11, 30, 5, 59, tzinfo=UTC)) == 0
    assert digest.send_digests(datetime(2026, 11, 30, 6, 0, tzinfo=UTC)) == 1


def test_finnish_holidays():
    holidays = digest.finnish_holidays(2026)
    for day in (date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 14), date(2026, 6, 19), date(2026, 12, 24)):
        assert day in holidays
    assert digest.is_working_day(date(2026, 12, 23)) and not digest.is_working_day(date(2026, 12, 6))


def test_deactivated_advisers_and_other_roles_get_none(app, due):
    due.adviser.active = False
    db.session.commit()
    assert digest.send_digests(MORNING) == 0


def test_in_the_advisers_language(app, due):
    due.adviser.preferred_language = "fi"
    db.session.commit()
    digest.send_digests(MORNING)
    (message,) = _digests()
    assert "30.11.2026" in message.body  # the day as Finnish writes it


def test_two_runs_at_once_send_one_digest(make_app, due):
    apps = [make_app(), make_app()]
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run(app) -> None:
        try:
            with app.app_context():
                barrier.wait(10)
                results.append(digest.send_digests(MORNING))
                db.session.remove()
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    db.session.commit()
    threads = [threading.Thread(target=run, args=(app,)) for app in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    assert sorted(results) == [0, 1]
    assert len(_digests()) == 1


def test_the_job_runs_on_weekday_mornings_in_helsinki(app, due):
    built = scheduler.build_scheduler(app, blocking=False)
    trigger = built.get_job("send_digest").trigger
    assert str(trigger.timezone) == "Europe/Helsinki"
    fields = {field.name: str(field) for field in trigger.fields}
    assert fields["day_of_week"] == "mon-fri" and fields["hour"] == "7-11" and fields["minute"] == "*/15"
    with time_machine.travel(MORNING, tick=False):
        scheduler.run("send_digest")
    assert len(_digests()) == 1


def test_a_bad_digest_time_is_a_clear_error(app):
    with pytest.raises(RuntimeError, match="DIGEST_TIME must be HH:MM"):
        jobs.schedule({**app.config, "DIGEST_TIME": "7.30"})
