"""The case pages over HTTP: lists, the case file and its forms, the lead's reassignment, the spouse home."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from hiddengems.audit.models import AuditEvent
from hiddengems.cases.models import Activity, Case
from hiddengems.extensions import db
from hiddengems.reminders.models import FollowUp
from hiddengems.timeutil import HELSINKI, helsinki_today, utcnow


def logged_in(app, f, user):
    client = app.test_client()
    assert f.login(client, user).status_code == 302
    return client


def actions(action: str, case_id: int | None = None) -> list[AuditEvent]:
    stmt = select(AuditEvent).where(AuditEvent.action == action)
    if case_id is not None:
        stmt = stmt.where(AuditEvent.object_type == "case", AuditEvent.object_id == case_id)
    return list(db.session.scalars(stmt))


def rendered_version(html: str, prefix: str) -> int:
    """The version the page's form will post back: what a browser would send."""
    match = re.search(rf'name="{prefix}-version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="{prefix}-version"', html)
    assert match, f"no {prefix}-version field on the page"
    return int(match.group(1) or match.group(2))


def local_input(when) -> str:
    return when.astimezone(HELSINKI).strftime("%Y-%m-%dT%H:%M")


def test_caseload_lists_own_open_cases(app, f, desk):
    f.assign(f.user("spouse", name="Not Mine"), desk.other, "skills")
    f.follow_up(desk.case, desk.adviser, due_on=helsinki_today() - timedelta(days=2))
    client = logged_in(app, f, desk.adviser)
    html = client.get("/cases/").get_data(as_text=True)
    assert "Maria Spouse" in html and "Not Mine" not in html
    assert "Overdue" in html
    assert 'aria-sort="ascending"' in html  # sorted by next follow-up by default
    assert "Maria Spouse" in client.get("/cases/?overdue=y&sort=name&desc=1").get_data(as_text=True)
    client.post("/cases/", data={"q": "nobody"})
    assert "Maria Spouse" not in client.get("/cases/").get_data(as_text=True)
    assert "Maria Spouse" not in client.get(f"/cases/?organisation_id={desk.org.id + 99}").get_data(as_text=True)
    # Nonsense in the query string is ignored, not an error (a bad organisation gets a message beside
    # its filter); a page number that is no page number is a 400 (tests/test_inputs.py).
    assert client.get("/cases/?sort=DROP&stage=zzz&organisation_id=x").status_code == 200


def test_take_from_queue_two_advisers(app, f, desk):
    first, second = logged_in(app, f, desk.adviser), logged_in(app, f, desk.other)
    assert "Wang Waiting" in first.get("/cases/queue").get_data(as_text=True)
    # Both saw the case in the queue; the first click wins.
    response = first.post(f"/cases/{desk.queued.id}/take")
    assert response.headers["Location"].endswith(f"/cases/{desk.queued.id}")
    response = second.post(f"/cases/{desk.queued.id}/take", follow_redirects=True)
    assert "Already taken by Aino Adviser." in response.get_data(as_text=True)
    assert db.session.get(Case, desk.queued.id).adviser_id == desk.adviser.id
    assert "Wang Waiting" not in second.get("/cases/queue").get_data(as_text=True)
    assert len(actions("case.taken", desk.queued.id)) == 1


def test_case_file_view_is_audited_and_others_get_403(app, f, desk):
    client = logged_in(app, f, desk.adviser)
    response = client.get(f"/cases/{desk.case.id}")
    assert response.status_code == 200
    assert "Maria Spouse" in response.get_data(as_text=True)
    assert "Intake profile" in response.get_data(as_text=True)
    assert len(actions("case.viewed", desk.case.id)) == 1
    assert logged_in(app, f, desk.other).get(f"/cases/{desk.case.id}").status_code == 403
    assert len(actions("access.denied", desk.case.id)) == 1
    assert logged_in(app, f, desk.lead).get(f"/cases/{desk.case.id}").status_code == 200
    assert client.get("/cases/999999").status_code == 404


def test_a_case_file_whose_view_cannot_be_recorded_is_not_shown(app, f, desk, monkeypatch):
    """SECURITY.md: every view of a case file is in the audit log. If its row cannot be
    written (here: it breaks a NOT NULL), the page is an error, not the case."""
    from hiddengems.audit import services as audit

    client = logged_in(app, f, desk.adviser)
    values = audit._values
    monkeypatch.setattr(audit, "_values", lambda *args: {**values(*args), "action": None})
    for url in (f"/cases/{desk.case.id}", f"/cases/{desk.case.id}/close"):
        response = client.get(url)
        assert response.status_code == 500, url
        assert "Maria Spouse" not in response.get_data(as_text=True)
    db.session.rollback()
    assert actions("case.viewed", desk.case.id) == []


@pytest.mark.postgres
def test_on_postgresql_the_view_is_committed_before_the_case_file_is_read(app, f, desk, monkeypatch):
    """There a page reads statement by statement (dbsetup.reads_alone): the view's row is
    committed as it is written, before the page reads the case, as another connection
    sees; a row that cannot be written answers 500, and no page."""
    from hiddengems.audit import services as audit
    from hiddengems.cases import routes

    seen_elsewhere = []
    render = routes.render_case_file

    def look_from_another_connection(case, **kwargs):
        with db.engine.connect() as other:
            seen_elsewhere.append(
                other.scalar(
                    select(func.count()).where(AuditEvent.action == "case.viewed", AuditEvent.object_id == case.id)
                )
            )
        return render(case, **kwargs)

    monkeypatch.setattr(routes, "render_case_file", look_from_another_connection)
    client = logged_in(app, f, desk.adviser)
    assert client.get(f"/cases/{desk.case.id}").status_code == 200
    assert seen_elsewhere == [1]

    values = audit._values
    monkeypatch.setattr(audit, "_values", lambda *args: {**values(*args), "action": None})  # NOT NULL
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answered as in production
    response = client.get(f"/cases/{desk.case.id}")
    assert response.status_code == 500
    assert "Maria Spouse" not in response.get_data(as_text=True)
    assert seen_elsewhere == [1]  # the page was never made
    monkeypatch.undo()
    db.session.rollback()
    assert len(actions("case.viewed", desk.case.id)) == 1


def test_add_activity_and_bad_dates_keep_input(app, f, desk):
    client = logged_in(app, f, desk.adviser)
    url = f"/cases/{desk.case.id}/activities"
    when = utcnow() - timedelta(hours=1)
    form = {
        "activity-kind": "call",
        "activity-occurred_at": local_input(when),
        "activity-duration_minutes": "20",
        "activity-text": "Talked about the CV",
    }
    response = client.post(url, data=form)
    assert response.status_code == 302
    activity = db.session.scalar(select(Activity).where(Activity.case_id == desk.case.id))
    assert (activity.kind, activity.duration_minutes, activity.shared_with_spouse) == ("call", 20, False)
    assert abs((activity.occurred_at - when.replace(second=0, microsecond=0)).total_seconds()) < 60
    assert actions("case.activity_added", desk.case.id)[0].detail["activity"] == activity.id

    future_call = {**form, "activity-occurred_at": local_input(utcnow() + timedelta(days=3)), "activity-text": "Typed"}
    html = client.post(url, data=future_call).get_data(as_text=True)
    assert "Only a meeting can lie ahead" in html and "Typed</textarea>" in html
    # A meeting may be planned, but not years ahead.
    far = {**form, "activity-kind": "meeting", "activity-occurred_at": local_input(utcnow() + timedelta(days=900))}
    assert "at most a year ahead" in client.post(url, data=far).get_data(as_text=True)
    before = {**form, "activity-occurred_at": "2001-01-01T10:00"}
    assert "before the spouse registered" in client.post(url, data=before).get_data(as_text=True)
    assert "Give a date and time" in client.post(url, data={**form, "activity-occurred_at": "soon"}).get_data(
        as_text=True
    )
    long_text = client.post(url, data={**form, "activity-text": "x" * 10_001}).get_data(as_text=True)
    assert "10000" in long_text
    assert db.session.scalar(select(db.func.count()).select_from(Activity)) == 1


def test_follow_ups_add_validate_and_done(app, f, desk):
    client = logged_in(app, f, desk.adviser)
    url = f"/cases/{desk.case.id}/follow-ups"
    long_title = "t" * 10_000
    html = client.post(url, data={"follow_up-title": long_title, "follow_up-due_on": "2020-01-01"}).get_data(
        as_text=True
    )
    assert "200 characters" in html and "The due date has passed." in html and long_title in html
    due = (helsinki_today() + timedelta(days=3)).isoformat()
    assert client.post(url, data={"follow_up-title": "Check CV", "follow_up-due_on": due}).status_code == 302
    item = db.session.scalar(select(FollowUp).where(FollowUp.case_id == desk.case.id))
    assert (item.title, item.assignee_id) == ("Check CV", desk.adviser.id)
    assert "Check CV" in client.get(f"/cases/{desk.case.id}").get_data(as_text=True)
    done = client.post(f"/cases/{desk.case.id}/follow-ups/{item.id}/done", follow_redirects=True)
    assert "Follow-up done." in done.get_data(as_text=True)
    db.session.refresh(item)
    assert item.done_at is not None
    # A follow-up of another case cannot be reached through this one.
    other = f.follow_up(desk.queued, desk.adviser)
    assert client.post(f"/cases/{desk.case.id}/follow-ups/{other.id}/done").status_code == 404


def test_two_advisers_save_the_stage_the_second_is_told(app, f, desk):
    mine, lead = logged_in(app, f, desk.adviser), logged_in(app, f, desk.lead)
    version = desk.case.version
    # Both open the case file at the same version.
    assert f'value="{version}"' in mine.get(f"/cases/{desk.case.id}").get_data(as_text=True)
    lead.get(f"/cases/{desk.case.id}")
    first = mine.post(
        f"/cases/{desk.case.id}/stage",
        data={"stage-version": version, "stage-stage": "training", "stage-reason": "Course"},
    )
    assert first.status_code == 302
    second = lead.post(
        f"/cases/{desk.case.id}/stage",
        data={"stage-version": version, "stage-stage": "introductions", "stage-reason": "My careful reasoning"},
    )
    html = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "Someone else changed this case" in html
    assert "My careful reasoning</textarea>" in html  # nothing typed is lost
    case = db.session.get(Case, desk.case.id)
    assert case.stage == "training"
    # The form now carries the current version: saving again is a deliberate choice.
    shown = rendered_version(html, "stage")
    assert shown == case.version
    again = lead.post(
        f"/cases/{desk.case.id}/stage",
        data={"stage-version": shown, "stage-stage": "introductions", "stage-reason": "Still"},
    )
    assert again.status_code == 302
    assert db.session.get(Case, desk.case.id).stage == "introductions"


def test_close_needs_employment_details_then_reopen(app, f, desk):
    client = logged_in(app, f, desk.adviser)
    url = f"/cases/{desk.case.id}/close"
    data = {"close-version": desk.case.version, "close-outcome": "employed_full_time", "close-employer": "Nokia"}
    response = client.post(url, data=data)
    html = response.get_data(as_text=True)
    assert html.count("Needed when the outcome is employment.") == 2  # occupation and start date
    assert 'value="Nokia"' in html
    assert db.session.get(Case, desk.case.id).stage == "skills"
    ahead = (helsinki_today() + timedelta(days=400)).isoformat()
    html = client.post(url, data={**data, "close-occupation": "Analyst", "close-start_date": ahead}).get_data(
        as_text=True
    )
    assert "more than a year ahead" in html
    start = helsinki_today().isoformat()
    response = client.post(url, data={**data, "close-occupation": "Analyst", "close-start_date": start})
    assert response.status_code == 302
    html = client.get(f"/cases/{desk.case.id}").get_data(as_text=True)
    assert "Employed, full time" in html and "Analyst at Nokia" in html and "Reopen the case" in html
    case = db.session.get(Case, desk.case.id)
    response = client.post(
        f"/cases/{desk.case.id}/reopen",
        data={"reopen-version": case.version, "reopen-stage": "introductions", "reopen-reason": "Contract ended"},
    )
    assert response.status_code == 302
    assert db.session.get(Case, desk.case.id).stage == "introductions"
    assert len(actions("case.reopened", desk.case.id)) == 1


def test_lead_all_cases_banner_and_bulk_reassign(app, f, desk):
    gone = f.user("adviser", active=False, name="Gone Adviser")
    orphans = [f.assign(f.user("spouse", name=f"Orphan {i}"), gone, "training") for i in range(2)]
    lead = logged_in(app, f, desk.lead)
    html = lead.get("/cases/all").get_data(as_text=True)
    assert "2 open cases belong to advisers who are deactivated or no longer advisers" in html
    html = lead.get("/cases/all?needs_reassignment=y").get_data(as_text=True)
    assert "Orphan 0" in html and "Maria Spouse" not in html
    assert "Orphan 1" in lead.get(f"/cases/all?adviser={gone.id}").get_data(as_text=True)
    response = lead.post(
        "/cases/reassign",
        data={"case_id": [c.id for c in orphans], "adviser_id": desk.other.id, "back": "needs_reassignment=y"},
    )
    assert response.headers["Location"].endswith("/cases/all?needs_reassignment=y")
    assert {db.session.get(Case, c.id).adviser_id for c in orphans} == {desk.other.id}
    assert sorted(e.object_id for e in actions("case.reassigned")) == sorted(c.id for c in orphans)
    assert "need reassignment" not in lead.get("/cases/all").get_data(as_text=True)
    # A deactivated adviser is not offered, nor accepted.
    response = lead.post("/cases/reassign", data={"case_id": [desk.case.id], "adviser_id": gone.id})
    assert db.session.get(Case, desk.case.id).adviser_id == desk.adviser.id
    # The redirect never leaves the list, whatever "back" says.
    response = lead.post(
        "/cases/reassign", data={"case_id": [desk.case.id], "adviser_id": desk.other.id, "back": "//evil.example/x"}
    )
    assert response.headers["Location"].startswith("/cases/all")


def test_spouse_home_shows_shared_entries_and_meetings_only(app, f, desk):
    now = utcnow()
    f.activity(desk.case, desk.adviser, text="Internal worry", at=now - timedelta(hours=3))
    f.activity(
        desk.case, desk.adviser, kind="email", text="Sent you the course link", shared=True, at=now - timedelta(hours=1)
    )
    f.activity(
        desk.case,
        desk.adviser,
        kind="meeting",
        text="Bring your CV",
        shared=True,
        at=now + timedelta(days=2),
        duration=45,
    )
    client = logged_in(app, f, desk.spouse)
    html = client.get("/home").get_data(as_text=True)
    assert "Sent you the course link" in html and "Bring your CV" in html and "45 min" in html
    assert "Internal worry" not in html
    assert "Aino Adviser" in html and "Skills mapping" in html
    assert "/intake/profile" in html


def test_note_text_is_escaped_everywhere(app, f, desk):
    nasty = '<script>alert(1)</script> " onmouseover="x'
    f.activity(desk.case, desk.adviser, text=nasty, shared=True, at=utcnow() - timedelta(minutes=5))
    for client, url in (
        (logged_in(app, f, desk.adviser), f"/cases/{desk.case.id}"),
        (logged_in(app, f, desk.spouse), "/home"),
    ):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &#34; onmouseover=&#34;x" in html


def test_spouse_name_is_escaped_in_the_lists(app, f, desk):
    nasty = '<b>Bo</b> " onfocus="x'
    case = f.assign(f.user("spouse", name=nasty), desk.adviser, "training")
    html = logged_in(app, f, desk.lead).get("/cases/all").get_data(as_text=True)
    assert "<b>Bo</b>" not in html
    # The checkbox's label is translated once per page and filled in per row.
    expected = f'id="pick-{case.id}" aria-label="Select &lt;b&gt;Bo&lt;/b&gt; &#34; onfocus=&#34;x"'
    assert expected in html
    assert "<b>Bo</b>" not in logged_in(app, f, desk.adviser).get("/cases/").get_data(as_text=True)


def test_adviser_home_links(app, f, desk):
    f.follow_up(desk.case, desk.adviser, title="Ring the employer", due_on=helsinki_today() - timedelta(days=1))
    html = logged_in(app, f, desk.adviser).get("/desk").get_data(as_text=True)
    assert 'href="/cases/"' in html and 'href="/cases/queue"' in html
    assert "Ring the employer" in html and "Overdue" in html
    assert 'href="/cases/all"' in logged_in(app, f, desk.lead).get("/desk").get_data(as_text=True)


def test_close_page_and_a_stale_close(app, f, desk):
    mine, lead = logged_in(app, f, desk.adviser), logged_in(app, f, desk.lead)
    page = mine.get(f"/cases/{desk.case.id}/close")
    assert page.status_code == 200 and "Close the case of Maria Spouse" in page.get_data(as_text=True)
    version = desk.case.version
    moved = lead.post(
        f"/cases/{desk.case.id}/stage", data={"stage-version": version, "stage-stage": "training", "stage-reason": ""}
    )
    assert moved.status_code == 302
    stale = mine.post(
        f"/cases/{desk.case.id}/close",
        data={"close-version": version, "close-outcome": "studying", "close-reason": "Starts a master's"},
    )
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "Someone else changed this case" in html
    assert "Starts a master&#39;s</textarea>" in html
    assert db.session.get(Case, desk.case.id).stage == "training"
    # Closing again from the page shown goes through: it carries the current version.
    again = mine.post(
        f"/cases/{desk.case.id}/close",
        data={"close-version": rendered_version(html, "close"), "close-outcome": "studying", "close-reason": ""},
    )
    assert again.status_code == 302
    assert db.session.get(Case, desk.case.id).stage == "closed"


def test_spouse_sees_meeting_times_but_not_internal_meeting_notes(app, f, desk):
    f.activity(desk.case, desk.adviser, kind="meeting", text="Internal prep", at=utcnow() + timedelta(days=1))
    html = logged_in(app, f, desk.spouse).get("/home").get_data(as_text=True)
    assert "Internal prep" not in html and "No meetings booked." not in html


def test_a_name_search_never_travels_in_the_url(app, f, desk):
    f.assign(f.user("spouse", name="Bea Zed"), desk.adviser, "training")
    client = logged_in(app, f, desk.adviser)
    response = client.post("/cases/", data={"q": "zed", "stage": "training", "sort": "name"})
    assert response.status_code == 302
    assert "zed" not in response.location.lower() and "stage=training" in response.location
    html = client.get(response.location).get_data(as_text=True)
    assert "Bea Zed" in html and "Maria Spouse" not in html
    assert 'value="zed"' in html  # the box shows what is being searched
    # Paging and sorting links name nobody either.
    assert "q=" not in html.replace('name="q"', "")
    client.post("/cases/", data={"q": ""})
    assert "Maria Spouse" in client.get("/cases/").get_data(as_text=True)
    # A search typed into the URL by hand is not honoured: the lists never search by URL.
    assert "Maria Spouse" in client.get("/cases/?q=zed").get_data(as_text=True)
    # Each list keeps its own search.
    lead = logged_in(app, f, desk.lead)
    lead.post("/cases/all", data={"q": "maria"})
    page = lead.get("/cases/all").get_data(as_text=True)
    assert "Maria Spouse" in page and "Bea Zed" not in page


def test_sort_headers_link_as_url_for_does(app):
    """The lists' column headers write their links' query strings themselves (one url_for
    for the path): the same links url_for writes, whatever the other arguments hold."""
    from flask import request, url_for

    from hiddengems.cases import lists
    from hiddengems.cases.routes import _sort_headers

    query = "q=a%20b&organisation_id=%C2%B2&page=3&overdue=y&sort=days&desc=1&x=%26%3D%2F%3F%C3%A4%2B"
    for endpoint, path in (("cases.caseload_list", "/cases/"), ("cases.all_cases", "/cases/all")):
        for desc in (True, False):
            with app.test_request_context(f"{path}?{query}"):
                filters = lists.CaseFilters(sort="days", desc=desc)
                headers = _sort_headers(filters, endpoint, lead=endpoint == "cases.all_cases")
                kept = {k: v for k, v in request.args.to_dict().items() if k != "page"}
                expected = [
                    url_for(endpoint, **{**kept, "sort": key, "desc": ("" if desc else "1") if key == "days" else ""})
                    for _label, key in (
                        ("Name", "name"),
                        ("Organisation", "organisation"),
                        ("Adviser", "adviser"),
                        ("Stage", "stage"),
                        ("Days in stage", "days"),
                        ("Last contact", "last_contact"),
                        ("Next follow-up", "next_due"),
                    )
                    if key != "adviser" or endpoint == "cases.all_cases"
                ]
                assert [href for _label, href, _active in headers] == expected
                assert [active for _label, _href, active in headers].count(True) == 1
