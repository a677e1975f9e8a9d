"""Capacity is a promise: many spouses applying for the last places in the same moment end
with exactly ``capacity`` enrolled and the rest on the waitlist.

Runs on SQLite (each request holds the write lock) and, with TEST_DATABASE_URL, on
PostgreSQL (the programme's row lock, FOR UPDATE): no marker, so both suites run it."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from hiddengems.extensions import db
from hiddengems.training.models import Enrolment, Programme
from tests.at_once import at_once
from tests.training.helpers import programme

SPOUSES = 12
CAPACITY = 3


def test_many_spouses_applying_at_once_fill_exactly_the_places(app, f):
    adviser = f.user("adviser")
    course = programme(adviser, capacity=CAPACITY, auto_confirm=True, title="Last places")
    clients = []
    for _ in range(SPOUSES):
        spouse = f.user("spouse")
        f.assign(spouse, adviser, "training")
        client = app.test_client()
        assert f.login(client, spouse).status_code == 302
        clients.append(client)
    url = f"/training/programmes/{course.id}/apply"  # read here: the threads have no app context
    db.session.commit()  # or on SQLite the test's own transaction holds the write lock

    answers = at_once(SPOUSES, lambda i: str(clients[i].post(url).status_code))

    assert Counter(answers) == {"302": SPOUSES}
    db.session.expire_all()
    statuses = Counter(db.session.scalars(select(Enrolment.status).where(Enrolment.programme_id == course.id)))
    assert statuses == {"enrolled": CAPACITY, "waitlisted": SPOUSES - CAPACITY}
    assert db.session.get(Programme, course.id).enrolled == CAPACITY


def test_two_advisers_confirming_the_last_place_at_once_enrol_one(app, f):
    lead, adviser = f.user("adviser", lead=True), f.user("adviser")
    course = programme(adviser, capacity=1, title="One place")
    enrolments = []
    for _ in range(2):
        case = f.assign(f.user("spouse"), adviser, "training")
        enrolment = Enrolment(case_id=case.id, programme_id=course.id, status="applied")
        db.session.add(enrolment)
        enrolments.append(enrolment)
    db.session.commit()
    clients = [app.test_client(), app.test_client()]
    f.login(clients[0], adviser)
    f.login(clients[1], lead)
    urls = [f"/training/enrolments/{e.id}/confirm" for e in enrolments]
    db.session.commit()

    answers = at_once(2, lambda i: str(clients[i].post(urls[i]).status_code))

    assert answers == ["302", "302"]
    db.session.expire_all()
    assert sorted(db.session.get(Enrolment, e.id).status for e in enrolments) == ["enrolled", "waitlisted"]
