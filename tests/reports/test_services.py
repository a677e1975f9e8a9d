"""The day's snapshot without the HTTP client: counted in SQL, protected, stored once."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from hiddengems.extensions import db
from hiddengems.reports import figures, jobs, services
from hiddengems.reports.charts import chart_css
from hiddengems.reports.models import ALL, ReportSnapshot
from hiddengems.reports.periods import end_of_day_utc
from hiddengems.timeutil import helsinki_today
from tests import factories as f
from tests.at_once import at_once
from tests.reports.people import at, cohort

MARCH = (2026, 3)


def _snapshots() -> int:
    return db.session.scalar(select(func.count()).select_from(ReportSnapshot))


def test_the_counts_are_grouped_by_organisation_month_reach_and_stage(app):
    mine = f.org("Mine")
    cohort(mine, 3, at(MARCH), ("intake", "skills"))
    cohort(mine, 2, at(MARCH), ("intake",), outcome="employed_part_time", closed=at((2026, 4), 2))
    counted = figures.count(date(2026, 5, 31))
    assert counted.months[0] == (2026, 1) and counted.months[-1] == (2026, 5)
    assert dict(counted.people) == {(mine.id, "2026-03", 2, "skills"): 3, (mine.id, "2026-03", 5, "closed"): 2}
    assert dict(counted.closed) == {(mine.id, "2026-04", "employed_part_time"): 2}
    # As of the end of March, the closings had not happened.
    before = figures.count(date(2026, 3, 31))
    assert dict(before.closed) == {}
    assert sum(before.people.values()) == 5


def test_the_end_of_a_day_is_helsinki_midnight():
    assert end_of_day_utc(date(2026, 1, 31)).isoformat() == "2026-01-31T22:00:00+00:00"  # UTC+2 in winter
    assert end_of_day_utc(date(2026, 7, 31)).isoformat() == "2026-07-31T21:00:00+00:00"  # UTC+3 in summer


def test_a_payload_holds_only_published_marks(app):
    mine, other = f.org("Mine"), f.org("Other")
    cohort(mine, 2, at(MARCH))
    cohort(other, 7, at(MARCH))
    payloads = figures.protect_day(figures.count(date(2026, 4, 30)), 5)
    assert set(payloads) == {ALL, mine.id, other.id}
    assert payloads[mine.id]["stock"]["registered"] in ("<5", "–")  # 2: never the count
    shown = [payloads[scope]["stock"]["registered"] for scope in (other.id, ALL)]
    assert not all(isinstance(v, int) for v in shown)  # 9 − 7 would be Mine's 2
    for payload in payloads.values():
        for value in [*payload["stock"].values(), *(v for row in payload["funnel"].values() for v in row)]:
            assert not (isinstance(value, int) and 0 < value < 5)


def test_the_nightly_job_makes_yesterdays_snapshot_once(app):
    mine = f.org("Mine")
    cohort(mine, 6, at(MARCH))
    (job,) = jobs.schedule(app.config)
    assert job["trigger"] == "cron" and job["timezone"] == "Europe/Helsinki"
    db.session.rollback()
    job["func"]()
    job["func"]()
    rows = db.session.execute(select(ReportSnapshot.day, ReportSnapshot.scope)).all()
    assert sorted(rows) == [
        (helsinki_today() - timedelta(days=1), ALL),
        (helsinki_today() - timedelta(days=1), mine.id),
    ]


def test_twenty_first_requests_at_once_make_one_snapshot(app):
    mine = f.org("Mine")
    cohort(mine, 6, at(MARCH))
    hr = f.user("hr", organisation=mine)
    clients = [app.test_client() for _ in range(20)]
    for client in clients:
        f.login(client, hr)
    db.session.commit()

    def ask(i: int) -> str:
        answer = clients[i].get("/hr/api/v1/dashboard?from_month=2026-03&to_month=2026-03")
        return f"{answer.status_code} {answer.get_json()['tables']['stages']['rows'][0]['values']}"

    assert at_once(20, ask) == ["200 [6]"] * 20
    assert _snapshots() == 2


def test_the_served_chart_style_sheet_is_pygals(app):
    with open(app.static_folder + "/charts.css") as served:
        assert served.read() == chart_css()


def test_pages_read_the_latest_snapshot_and_never_wait_for_the_days(app, client):
    mine = f.org("Mine")
    cohort(mine, 6, at(MARCH))
    earlier = helsinki_today() - timedelta(days=3)
    assert services.build_snapshot(earlier) == 2
    cohort(mine, 5, at(MARCH))  # after that day's figures: in the next ones
    hr = f.user("hr", organisation=mine)
    f.login(client, hr)
    data = client.get("/hr/api/v1/dashboard").get_json()
    assert data["as_of"] == earlier.isoformat()
    assert data["tables"]["stages"]["rows"][0]["values"] == [6]
    assert _snapshots() == 2  # yesterday's is the nightly job's to make
    assert f"As of the end of {earlier.isoformat()}" in client.get("/hr").get_data(as_text=True)
    assert services.build_snapshot(services.report_day()) == 2
    assert client.get("/hr/api/v1/dashboard").get_json()["tables"]["stages"]["rows"][0]["values"] == [11]
