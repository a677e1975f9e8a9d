"""The day's figures without the HTTP client: counted in SQL, published, stored once."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlalchemy import func, select

from hiddengems.extensions import db
from hiddengems.reports import counting, figures, jobs, services
from hiddengems.reports.charts import chart_css
from hiddengems.reports.counting import Person
from hiddengems.reports.figures import ALL
from hiddengems.reports.models import ReportSnapshot
from hiddengems.reports.periods import end_of_day_utc
from hiddengems.timeutil import helsinki_today
from tests import factories as f
from tests.at_once import at_once
from tests.reports.people import at, cohort

MARCH = (2026, 3)


def _snapshots() -> int:
    return db.session.scalar(select(func.count()).select_from(ReportSnapshot))


def test_people_are_counted_by_organisation_month_stage_and_how_they_left(app):
    mine = f.org("Mine")
    cohort(mine, 3, at(MARCH), ("intake", "skills"))
    cohort(mine, 2, at(MARCH), ("intake",), outcome="employed_part_time", closed=at((2026, 4), 2))
    cohort(mine, 4, at(MARCH), verified=False)  # anyone can register with an invented address
    counted = counting.count(date(2026, 5, 31))
    assert dict(counted.people) == {
        Person(mine.id, "2026-03", "skills"): 3,
        Person(mine.id, "2026-03", "closed", "intake", "employed_part_time", "not_recorded"): 2,
    }
    # As of the end of March, the closings had not happened.
    before = counting.count(date(2026, 3, 31))
    assert dict(before.people) == {Person(mine.id, "2026-03", "skills"): 3, Person(mine.id, "2026-03", "intake"): 2}
    # Registered after the day: not there yet.
    assert sum(counting.count(date(2026, 3, 9)).people.values()) == 0


def test_the_end_of_a_day_is_helsinki_midnight():
    assert end_of_day_utc(date(2026, 1, 31)).isoformat() == "2026-01-31T22:00:00+00:00"  # UTC+2 in winter
    assert end_of_day_utc(date(2026, 7, 31)).isoformat() == "2026-07-31T21:00:00+00:00"  # UTC+3 in summer


def test_a_payload_holds_only_published_figures_for_each_organisation_and_all(app):
    mine, other, empty = f.org("Mine"), f.org("Other"), f.org("Empty")
    cohort(mine, 2, at(MARCH))
    cohort(other, 7, at(MARCH))
    payloads = figures.publish_day(counting.count(date(2026, 4, 30)), 5)
    assert set(payloads) == {ALL, mine.id, other.id, empty.id}
    assert (
        payloads[mine.id]["participants"] == "<5"
        and payloads[mine.id]["cohorts"]["2026"]["stages"]["registered"] == "–"
    )
    assert payloads[empty.id]["participants"] == 0
    assert payloads[ALL]["participants"] == 9 and payloads[other.id]["participants"] == 7

    def values(tree):
        for value in tree.values() if isinstance(tree, dict) else ():
            yield from values(value) if isinstance(value, dict) else [value]

    for payload in payloads.values():
        for cohort_figures in payload["cohorts"].values():
            counts = [v for k, v in cohort_figures.items() if k not in ("medians", "hours", "years")]
            assert not [v for v in values(dict(enumerate(counts))) if isinstance(v, int) and 0 < v < 5]


def test_a_small_year_is_counted_with_the_next():
    people = Counter(
        {Person(1, "2024-11", "intake"): 2, Person(1, "2025-03", "skills"): 9, Person(1, "2026-02", "intake"): 7}
    )
    payload = figures.publish_scope(people, 5, years=("2024", "2025", "2026"))
    assert list(payload["cohorts"]) == ["2024–2025", "2026"]
    merged = payload["cohorts"]["2024–2025"]
    assert merged["years"] == ["2024", "2025"] and merged["participants"] == 11
    assert merged["stages"]["intake"] in ("<5", "–") and merged["quarters"]["2024Q4"] in ("<5", "–")


def test_the_nightly_job_makes_yesterdays_figures_once(app):
    mine = f.org("Mine")
    cohort(mine, 6, at(MARCH))
    (job,) = jobs.schedule(app.config)
    assert job["trigger"] == "cron" and job["timezone"] == "Europe/Helsinki"
    db.session.rollback()
    job["func"]()
    job["func"]()
    rows = db.session.execute(select(ReportSnapshot.day, ReportSnapshot.scope)).all()
    yesterday = helsinki_today() - timedelta(days=1)
    assert sorted(rows) == [(yesterday, ALL), (yesterday, mine.id)]


def test_twenty_first_requests_at_once_make_one_snapshot(app):
    mine = f.org("Mine")
    cohort(mine, 6, at(MARCH))
    hr = f.user("hr", organisation=mine)
    clients = [app.test_client() for _ in range(20)]
    for client in clients:
        f.login(client, hr)
    db.session.commit()

    def ask(i: int) -> str:
        answer = clients[i].get("/hr/api/v1/dashboard?from_year=2026")
        return f"{answer.status_code} {answer.get_json()['participants']}"

    assert at_once(20, ask) == ["200 6"] * 20
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
    assert data["as_of"] == earlier.isoformat() and data["participants"] == 6
    assert _snapshots() == 2  # yesterday's is the nightly job's to make
    assert services.build_snapshot(services.report_day()) == 2
    assert client.get("/hr/api/v1/dashboard").get_json()["participants"] == 11


def test_an_organisation_added_since_the_figures_were_made_waits_for_the_next(app, client):
    mine = f.org("Mine")
    cohort(mine, 6, at(MARCH))
    assert services.build_snapshot(services.report_day()) == 2
    newer = f.org("Newer")
    f.login(client, f.user("hr", organisation=newer))
    page = client.get("/hr")
    assert page.status_code == 200 and "No figures for this organisation yet" in page.get_data(as_text=True)
    assert client.get("/hr/api/v1/dashboard").get_json()["error"] == "no_figures_yet"
    assert client.get("/hr/stages.csv").status_code == 404
