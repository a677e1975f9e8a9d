"""The adviser's secret calendar feed: iCalendar (RFC 5545) of their open follow-ups,
reachable without a session only with its secret, dead once reset or deactivated,
saying no more than the desk does, and never logged."""

from __future__ import annotations

import logging
import threading
import urllib.request
from datetime import timedelta

import pytest
from icalendar import Calendar
from werkzeug.serving import make_server

from hiddengems.audit.models import AuditEvent
from hiddengems.extensions import db
from hiddengems.reminders import feed
from hiddengems.reminders.models import CalendarFeed
from hiddengems.timeutil import helsinki_today
from tests import factories as f


def _address(client) -> str:
    page = client.get("/cases/calendar").get_data(as_text=True)
    start = page.index("http://localhost/cases/calendar/")
    return page[start : page.index('"', start)]


@pytest.fixture
def subscribed(client, desk):
    """The adviser, logged in, with a calendar address and a few follow-ups."""
    today = helsinki_today()
    f.follow_up(desk.case, desk.adviser, title="Send the CV template", due_on=today + timedelta(days=2))
    f.follow_up(desk.case, desk.adviser, title="Already done", due_on=today, done=True)
    f.follow_up(desk.case, desk.other, title="Someone else's", due_on=today)
    f.login(client, desk.adviser)
    assert "no calendar address yet" in client.get("/cases/calendar").get_data(as_text=True)
    response = client.post("/cases/calendar")
    assert response.status_code == 302
    desk.url = _address(client)
    desk.path = desk.url.removeprefix("http://localhost")
    return desk


def test_the_feed_is_icalendar_of_the_advisers_open_follow_ups(app, subscribed):
    anonymous = app.test_client()
    response = anonymous.get(subscribed.path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data()
    assert body.startswith(b"BEGIN:VCALENDAR\r\n") and b"\r\nEND:VCALENDAR\r\n" in body
    calendar = Calendar.from_ical(body)
    assert str(calendar["VERSION"]) == "2.0" and "Hidden Gems" in str(calendar["PRODID"])
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Send the CV template – Maria Spouse"
    assert event.decoded("DTSTART") == helsinki_today() + timedelta(days=2)
    assert event.decoded("DTEND") == helsinki_today() + timedelta(days=3)  # all day
    assert str(event["URL"]) == f"http://localhost/cases/{subscribed.case.id}"
    assert str(event["UID"]).startswith("follow-up-") and "DTSTAMP" in event
    # Lines folded at 75 octets, as RFC 5545 asks.
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))


def test_a_reset_address_answers_404_and_the_new_one_works(app, client, subscribed):
    client.post("/cases/calendar")
    new = _address(client)
    assert new != subscribed.url
    anonymous = app.test_client()
    assert anonymous.get(subscribed.path).status_code == 404
    assert anonymous.get(new.removeprefix("http://localhost")).status_code == 200


def test_a_deactivated_advisers_address_answers_404(app, subscribed):
    subscribed.adviser.active = False
    db.session.commit()
    assert app.test_client().get(subscribed.path).status_code == 404


@pytest.mark.parametrize(
    "token",
    ["A" * 42, "A" * 44, "A" * 43, "x" * 10_000, "%00" + "A" * 40, "ÄÄÄÄ", "../../admin"],
)
def test_a_wrong_secret_answers_404_with_or_without_a_session(app, client, subscribed, token):
    assert app.test_client().get(f"/cases/calendar/{token}.ics").status_code == 404
    assert client.get(f"/cases/calendar/{token}.ics").status_code == 404  # a session is no key


def test_the_feed_says_no_more_than_the_desk(app, subscribed):
    # A follow-up on a case the adviser no longer holds is not shown (they cannot open it).
    moved = f.user("spouse", organisation=subscribed.org, name="Moved Away")
    case = f.assign(moved, subscribed.adviser, "skills")
    f.follow_up(case, subscribed.adviser, title="On a case now someone else's", due_on=helsinki_today())
    f.assign(moved, subscribed.other, "skills")
    body = app.test_client().get(subscribed.path).get_data(as_text=True)
    for hidden in ("Moved Away", "someone else", "Already done", "Someone else's"):
        assert hidden not in body


def test_only_advisers_have_a_calendar_page(client, f):
    f.login(client, f.user("spouse"))
    assert client.get("/cases/calendar").status_code == 403
    assert client.post("/cases/calendar").status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(CalendarFeed)) == 0


def test_the_address_is_never_logged_or_audited(app, subscribed, caplog):
    token = subscribed.path.rsplit("/", 1)[1].removesuffix(".ics")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with caplog.at_level(logging.DEBUG):
            url = f"http://127.0.0.1:{server.server_port}{subscribed.path}"
            with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 - our own test server
                assert answer.status == 200
    finally:
        server.shutdown()
    request_lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert any("/cases/calendar/[hidden].ics" in line for line in request_lines), request_lines
    assert not [r for r in caplog.records if token in r.getMessage()]
    db.session.expire_all()
    for event in db.session.scalars(db.select(AuditEvent)):
        assert token not in repr(event.detail) and token not in (event.action or "")
    assert [e.action for e in db.session.scalars(db.select(AuditEvent).where(AuditEvent.action.like("calendar%")))] == [
        "calendar.feed_reset"
    ]


def test_the_log_filter_hides_the_token_in_gunicorns_access_line():
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, '%(h)s "%(r)s" %(s)s', None, None)
    record.args = {"h": "10.0.0.1", "r": "GET /cases/calendar/" + "B" * 43 + ".ics HTTP/1.1", "s": "200"}
    assert feed.HideFeedTokens().filter(record)
    assert record.getMessage() == '10.0.0.1 "GET /cases/calendar/[hidden].ics HTTP/1.1" 200'


def test_the_feed_and_the_page_make_a_fixed_number_of_queries(app, client, subscribed, queries):
    anonymous = app.test_client()
    counts = []
    for _round in range(2):
        with queries:
            assert anonymous.get(subscribed.path).status_code == 200
        feed_queries = queries.count
        with queries:
            client.get("/cases/calendar")
        counts.append((feed_queries, queries.count))
        for n in range(20):  # many more follow-ups on many cases
            spouse = f.user("spouse", organisation=subscribed.org)
            case = f.assign(spouse, subscribed.adviser, "skills")
            f.follow_up(case, subscribed.adviser, due_on=helsinki_today() + timedelta(days=n))
    # the feed: its owner with the token; the follow-ups with cases and spouses.
    # the page: the user; the feed.
    assert counts == [(2, 2), (2, 2)]
