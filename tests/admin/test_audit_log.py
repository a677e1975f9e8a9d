"""The admin's audit log names the actors and objects (the log keeps ids only) and links
them, and filters by date range, actor and object; a bad filter is named beside its
field, never a 500."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine

from hiddengems.audit.models import AuditEvent
from hiddengems.audit.services import record
from hiddengems.extensions import db
from hiddengems.timeutil import HELSINKI
from tests import factories as f


def _admin(app):
    client = app.test_client()
    f.login(client, f.user("admin", name="Ada Admin"))
    return client


def _event(action: str, at: datetime) -> AuditEvent:
    # The log is append-only: its rows are written at that time, not moved there.
    with time_machine.travel(at, tick=False):
        event = record(action)
        db.session.commit()
    return event


def test_actors_and_objects_are_named_and_linked(app):
    admin = _admin(app)
    adviser = f.user("adviser", name="Aino Adviser")
    spouse = f.user("spouse", name="Maria Spouse")
    case = f.assign(spouse, adviser, "skills")
    org = f.org("Research Institute")
    record("case.viewed", actor=adviser, object_type="case", object_id=case.id)
    record("admin.organisation_updated", actor=adviser, object_type="organisation", object_id=org.id)
    record("admin.user_updated", actor=adviser, object_type="user", object_id=spouse.id)
    record("case.viewed", actor=adviser, object_type="case", object_id=99999)  # gone since
    db.session.commit()
    html = admin.get("/admin/audit").get_data(as_text=True)
    assert f'<a href="/admin/users/{adviser.id}">Aino Adviser</a>' in html
    assert f'<a href="/admin/users/{spouse.id}">Maria Spouse</a>' in html
    assert f'<a href="/admin/organisations/{org.id}">Research Institute</a>' in html
    assert "Maria Spouse" in html.split(f"object_id={case.id}")[0].rsplit("<tr>", 1)[1]  # the case, by its spouse
    assert "#99999" in html
    assert f'href="/admin/audit?actor={adviser.id}"' in html
    assert f'href="/admin/audit?object_type=case&amp;object_id={case.id}"' in html


def test_filters_by_actor_and_object(app):
    admin = _admin(app)
    one, two = f.user("adviser", name="One Adviser"), f.user("adviser", name="Two Adviser")
    case = f.assign(f.user("spouse"), one, "skills")
    other = f.assign(f.user("spouse"), two, "skills")
    record("case.viewed", actor=one, object_type="case", object_id=case.id)
    record("case.viewed", actor=two, object_type="case", object_id=other.id)
    db.session.commit()
    by_one = admin.get(f"/admin/audit?actor={one.id}&action=case.").get_data(as_text=True)
    assert f"object_id={case.id}" in by_one and f"object_id={other.id}" not in by_one
    about = admin.get(f"/admin/audit?object_type=case&object_id={other.id}").get_data(as_text=True)
    assert "Two Adviser" in about and "One Adviser" not in about


def test_filters_by_date_range_in_helsinki_days(app):
    admin = _admin(app)
    late_evening = datetime(2026, 3, 1, 23, 30, tzinfo=HELSINKI)  # 21:30 UTC
    _event("test.first", late_evening)
    _event("test.second", late_evening + timedelta(days=1))
    _event("test.third", late_evening + timedelta(days=3))
    html = admin.get("/admin/audit?action=test.&date_from=2026-03-01&date_to=2026-03-02").get_data(as_text=True)
    assert "test.first" in html and "test.second" in html and "test.third" not in html
    html = admin.get("/admin/audit?action=test.&date_from=2026-03-02").get_data(as_text=True)
    assert "test.first" not in html and "test.third" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("date_from=2026-02-30", "Give a date as YYYY-MM-DD"),
        ("date_from=0001-01-01", "Give a date as YYYY-MM-DD"),
        ("date_to=2026-03-01%00x", "Give a date as YYYY-MM-DD"),
        ("date_from=2026-01-05&date_to=2026-01-01", "The end is before the start."),
        ("actor=99999999999999999999", "Give an account or object number"),
        ("actor=%D9%A3", "Give an account or object number"),  # an Arabic-Indic three
        ("object_id=-1", "Give an account or object number"),
        ("object_id=5", "Choose what kind of object the number is."),
        ("object_type=nonsense", "Not a valid choice"),
    ],
)
def test_a_bad_filter_is_named_and_the_log_still_shows(app, query, message):
    admin = _admin(app)
    response = admin.get(f"/admin/audit?{query}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert message in html and "shown without them" in html
    assert "auth.login" in html  # the admin's own login, unfiltered


def test_the_audit_log_makes_the_same_queries_however_many_it_names(app, queries):
    admin = _admin(app)

    def count() -> int:
        with queries:
            assert admin.get("/admin/audit").status_code == 200
        return queries.count

    small = count()
    for i in range(30):
        adviser = f.user("adviser")
        case = f.assign(f.user("spouse"), adviser, "skills")
        record("case.viewed", actor=adviser, object_type="case", object_id=case.id)
        record("x.y", actor=adviser, object_type="organisation", object_id=f.org(f"Org {i}").id)
    db.session.commit()
    # the user; the page's events; the total; the names of their actors and objects
    assert (small, count()) == (4, 4), queries.statements
