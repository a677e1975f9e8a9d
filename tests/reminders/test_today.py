"""The Today page: an adviser's overdue, due today and next 7 days, with each case's stage
and last contact; a lead's switch to the team's, the queue's too; a fixed number of queries."""

from __future__ import annotations

import re
from datetime import time, timedelta

from sqlalchemy import insert

from hiddengems.extensions import db
from hiddengems.reminders import queries
from hiddengems.reminders.models import FollowUp
from hiddengems.timeutil import helsinki_today, utcnow
from hiddengems.ui.formatting import local_date as day


def logged_in(app, f, user):
    client = app.test_client()
    assert f.login(client, user).status_code == 302
    return client


def _section(html: str, group: str) -> str:
    match = re.search(rf'<section[^>]*aria-labelledby="group-{group}">(.*?)</section>', html, re.S)
    assert match, f"no {group} section"
    return match.group(1)


def test_the_adviser_sees_overdue_today_and_the_next_days_grouped(app, f, desk):
    today = helsinki_today()
    f.follow_up(desk.case, desk.adviser, title="Late call", due_on=today - timedelta(days=2))
    f.follow_up(desk.case, desk.adviser, title="Morning meeting", due_on=today)
    f.follow_up(desk.case, desk.adviser, title="Next week", due_on=today + timedelta(days=7))
    f.follow_up(desk.case, desk.adviser, title="Too far", due_on=today + timedelta(days=8))
    f.follow_up(desk.case, desk.adviser, title="Finished", due_on=today, done=True)
    f.follow_up(desk.case, desk.other, title="Colleague item", due_on=today)
    called = f.activity(desk.case, desk.adviser, kind="call", at=utcnow() - timedelta(days=40)).occurred_at
    html = logged_in(app, f, desk.adviser).get("/cases/today").get_data(as_text=True)
    overdue, due_today, ahead = (_section(html, g) for g in ("overdue", "today", "ahead"))
    assert "Late call" in overdue and "Morning meeting" in due_today and "Next week" in ahead
    assert "Late call" not in due_today + ahead and "Morning meeting" not in overdue + ahead
    for absent in ("Too far", "Finished", "Colleague item"):
        assert absent not in html
    # The case's stage and last contact on each row, and the spouse's name linking the case.
    assert "Skills mapping" in due_today
    assert f'href="/cases/{desk.case.id}"' in due_today and "Maria Spouse" in due_today
    with app.test_request_context():
        assert day(called) in due_today and "none yet" not in due_today
    # The counts beside each group's title.
    assert re.search(r"Overdue <span[^>]*>1</span>", html)
    # It is in the adviser's navigation.
    assert 'href="/cases/today"' in html.split("<main", 1)[0]


def test_within_a_day_the_timed_ones_come_first_by_time(app, f, desk):
    today = helsinki_today()
    untimed = f.follow_up(desk.case, desk.adviser, title="Whenever", due_on=today)
    late = f.follow_up(desk.case, desk.adviser, title="At four", due_on=today)
    early = f.follow_up(desk.case, desk.adviser, title="At nine", due_on=today)
    late.due_time, early.due_time = time(16, 0), time(9, 0)
    db.session.commit()
    html = _section(logged_in(app, f, desk.adviser).get("/cases/today").get_data(as_text=True), "today")
    assert html.index("At nine") < html.index("At four") < html.index("Whenever")
    assert "09:00" in html and "16:00" in html
    assert untimed.id


def test_done_from_the_today_page_goes_back_to_it(app, f, desk):
    fu = f.follow_up(desk.case, desk.adviser, title="Ring back", due_on=helsinki_today())
    client = logged_in(app, f, desk.adviser)
    answer = client.post(f"/cases/{fu.case_id}/follow-ups/{fu.id}/done", data={"done-back": "today"})
    assert answer.location.endswith("/cases/today")
    html = client.get("/cases/today").get_data(as_text=True)
    assert "Follow-up done." in html and "Ring back" not in html


def test_a_lead_switches_to_the_team_which_includes_the_queue(app, f, desk):
    today = helsinki_today()
    f.follow_up(desk.case, desk.adviser, title="Adviser call", due_on=today)
    f.follow_up(desk.queued, None, title="Queue welcome", due_on=today)
    f.follow_up(desk.case, desk.lead, title="Lead own item", due_on=today)
    lead = logged_in(app, f, desk.lead)
    mine = lead.get("/cases/today").get_data(as_text=True)
    assert "Lead own item" in mine and "Adviser call" not in mine and "Queue welcome" not in mine
    team = lead.get("/cases/today?view=team").get_data(as_text=True)
    for title in ("Adviser call", "Queue welcome", "Lead own item"):
        assert title in team
    row = team[team.index("Queue welcome") - 600 : team.index("Queue welcome") + 600]
    assert "Queue" in row and "Wang Waiting" in row
    assert 'aria-current="page" href="/cases/today?view=team"' in team
    # Marked done from the team view, back to the team view.
    fu_id = re.search(
        r'/follow-ups/(\d+)/done"[^<]*<input[^>]*>\s*<input type="hidden" name="done-back" value="team"', team
    )
    assert fu_id


def test_an_adviser_asking_for_the_team_sees_their_own(app, f, desk):
    today = helsinki_today()
    f.follow_up(desk.case, desk.adviser, title="Mine indeed", due_on=today)
    f.follow_up(desk.queued, None, title="Queue welcome", due_on=today)
    html = logged_in(app, f, desk.adviser).get("/cases/today?view=team").get_data(as_text=True)
    assert "Mine indeed" in html and "Queue welcome" not in html and "Team" not in html.split("<main", 1)[1][:600]


def test_a_long_group_shows_its_first_rows_and_says_how_many_more(app, f, desk):
    today = helsinki_today()
    rows = [
        {"case_id": desk.case.id, "assignee_id": desk.adviser.id, "due_on": today, "title": f"Item {i}"}
        for i in range(queries.TODAY_GROUP_LIMIT + 5)
    ]
    db.session.execute(insert(FollowUp), rows)
    db.session.commit()
    html = logged_in(app, f, desk.adviser).get("/cases/today").get_data(as_text=True)
    section = _section(html, "today")
    assert section.count("<tr>") == queries.TODAY_GROUP_LIMIT + 1  # the header's row too
    assert "And 5 more, not shown." in section
    assert re.search(rf"Due today <span[^>]*>{queries.TODAY_GROUP_LIMIT + 5}</span>", html)


def _grow(f, desk, n: int) -> None:
    """More cases, follow-ups in every group, contacts: the page's query count must not change."""
    today = helsinki_today()
    for i in range(n):
        spouse = f.user("spouse", organisation=desk.org)
        case = f.assign(spouse, desk.adviser if i % 3 else None, "skills" if i % 2 else "training")
        for days in (-3, 0, 2):
            f.follow_up(case, desk.adviser if i % 3 else None, due_on=today + timedelta(days=days))
        f.activity(case, desk.adviser, kind="meeting", at=utcnow() - timedelta(days=i + 1))


def test_the_today_page_makes_a_fixed_number_of_queries(app, f, desk, queries):
    adviser, lead = logged_in(app, f, desk.adviser), logged_in(app, f, desk.lead)
    counts = []
    for n in (1, 6):
        _grow(f, desk, n)
        row = []
        for client, url in ((adviser, "/cases/today"), (lead, "/cases/today?view=team")):
            with queries:
                assert client.get(url).status_code == 200
            row.append(queries.count)
        counts.append(row)
    # The user; the groups' counts; each group's rows (with stage and last contact).
    assert counts == [[5, 5], [5, 5]]


def test_a_group_is_counted_up_to_the_cap(app, f, desk, monkeypatch):
    """A team's overdue can be tens of thousands: counted up to the cap, then "N+"."""
    monkeypatch.setattr(queries, "TODAY_COUNT_CAP", 60)
    queries._today_counts_statement.cache_clear()  # built with the cap
    try:
        today = helsinki_today()
        rows = [
            {"case_id": desk.case.id, "assignee_id": desk.adviser.id, "due_on": today, "title": f"Item {i}"}
            for i in range(70)
        ]
        db.session.execute(insert(FollowUp), rows)
        db.session.commit()
        html = logged_in(app, f, desk.adviser).get("/cases/today").get_data(as_text=True)
        assert re.search(r"Due today <span[^>]*>60\+</span>", html)
        assert f"And over {60 - queries.TODAY_GROUP_LIMIT} more, not shown." in _section(html, "today")
    finally:
        queries._today_counts_statement.cache_clear()
