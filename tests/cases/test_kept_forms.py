"""The case file's empty forms (a note for the timeline, a follow-up, the stage) are written
once and kept (ui/fragments.py). What each view shows is still its own: the case's stage
and version, the current minute, the viewer's own CSRF token; a form that comes back with
its errors shows what was typed, and the next empty one does not."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from hiddengems.cases.models import Case
from hiddengems.extensions import db
from hiddengems.timeutil import helsinki_today, utcnow
from tests.at_once import at_once
from tests.cases.test_pages import local_input, logged_in, rendered_version

TOKEN = re.compile(r'name="(\w+)-csrf_token" type="hidden" value="([^"]+)"')


def tokens(html: str) -> dict[str, str]:
    """Each prefixed form's CSRF token on a page, by the form's prefix."""
    return dict(TOKEN.findall(html))


def test_every_viewer_gets_the_kept_forms_with_their_own_token(app, f, desk):
    mine, lead = logged_in(app, f, desk.adviser), logged_in(app, f, desk.lead)
    app.config["WTF_CSRF_ENABLED"] = True  # as in production (after logging in without one)
    url = f"/cases/{desk.case.id}"
    first, second, again = (client.get(url).get_data(as_text=True) for client in (mine, lead, mine))
    assert {"activity", "follow_up", "stage"} <= set(tokens(first)) == set(tokens(second)) == set(tokens(again))
    # The lead's page (written from the kept copies) carries none of the adviser's tokens.
    assert not set(tokens(first).values()) & set(tokens(second).values())

    due = (helsinki_today() + timedelta(days=3)).isoformat()
    follow_up = {"follow_up-title": "Call the employer", "follow_up-due_on": due}
    posted = f"/cases/{desk.case.id}/follow-ups"
    # Another session's token is refused; each viewer's own works.
    assert lead.post(posted, data={**follow_up, "follow_up-csrf_token": tokens(first)["follow_up"]}).status_code == 400
    assert lead.post(posted, data={**follow_up, "follow_up-csrf_token": tokens(second)["follow_up"]}).status_code == 302
    note = {
        "activity-csrf_token": tokens(again)["activity"],
        "activity-kind": "call",
        "activity-occurred_at": local_input(utcnow() - timedelta(hours=1)),
        "activity-text": "Talked about the CV",
    }
    assert mine.post(f"/cases/{desk.case.id}/activities", data=note).status_code == 302
    stage = {"stage-csrf_token": tokens(again)["stage"], "stage-stage": "training"}
    stage["stage-version"] = rendered_version(again, "stage")
    assert mine.post(f"/cases/{desk.case.id}/stage", data=stage).status_code == 302
    assert db.session.get(Case, desk.case.id).stage == "training"


def test_each_case_file_shows_its_own_stage_and_version(app, f, desk):
    other = f.assign(f.user("spouse"), desk.adviser, "training")
    client = logged_in(app, f, desk.adviser)
    mine = client.get(f"/cases/{desk.case.id}").get_data(as_text=True)
    theirs = client.get(f"/cases/{other.id}").get_data(as_text=True)
    assert '<option selected value="skills">' in mine and '<option selected value="training">' not in mine
    assert '<option selected value="training">' in theirs and '<option selected value="skills">' not in theirs
    assert rendered_version(mine, "stage") == desk.case.version
    assert rendered_version(theirs, "stage") == other.version

    # A change moves the version on: the next view carries the new one, so saving from it works.
    data = {"stage-version": rendered_version(mine, "stage"), "stage-stage": "introductions"}
    assert client.post(f"/cases/{desk.case.id}/stage", data=data).status_code == 302
    now = db.session.get(Case, desk.case.id)
    page = client.get(f"/cases/{desk.case.id}").get_data(as_text=True)
    assert rendered_version(page, "stage") == now.version != data["stage-version"]
    assert '<option selected value="introductions">' in page
    again = {"stage-version": now.version, "stage-stage": "training"}
    assert client.post(f"/cases/{desk.case.id}/stage", data=again).status_code == 302


def test_the_note_form_proposes_the_current_minute(app, f, desk, monkeypatch):
    client = logged_in(app, f, desk.adviser)
    url = f"/cases/{desk.case.id}"
    proposed = re.compile(r'<input [^>]*name="activity-occurred_at" [^>]*value="([^"]*)"')
    for at in (datetime(2026, 3, 1, 9, 15, 40, tzinfo=UTC), datetime(2026, 3, 1, 9, 16, 5, tzinfo=UTC)):
        monkeypatch.setattr("hiddengems.cases.forms.utcnow", lambda at=at: at)
        assert proposed.findall(client.get(url).get_data(as_text=True)) == [local_input(at)]


def test_a_form_with_errors_is_its_own_and_the_next_empty_one_is_empty(app, f, desk):
    client = logged_in(app, f, desk.adviser)
    url = f"/cases/{desk.case.id}"
    client.get(url)  # the empty forms written and kept
    typed = {"follow_up-title": "Typed by hand", "follow_up-due_on": "2020-01-01"}
    shown = client.post(f"{url}/follow-ups", data=typed).get_data(as_text=True)
    assert "The due date has passed." in shown and 'value="Typed by hand"' in shown
    assert '<details class="add-follow-up" open>' in shown
    note = {"activity-kind": "call", "activity-occurred_at": "soon", "activity-text": "Typed note"}
    shown = client.post(f"{url}/activities", data=note).get_data(as_text=True)
    assert "Give a date and time" in shown and "Typed note</textarea>" in shown
    assert '<details class="mb-3 add-activity" open>' in shown
    page = client.get(url).get_data(as_text=True)
    assert "Typed by hand" not in page and "Typed note" not in page and "The due date has passed." not in page
    assert '<details class="add-follow-up">' in page and '<details class="mb-3 add-activity">' in page


def test_twenty_advisers_views_at_once_each_carry_their_own_tokens(app, f, desk):
    clients = [logged_in(app, f, desk.lead if i % 2 else desk.adviser) for i in range(20)]
    app.config["WTF_CSRF_ENABLED"] = True
    url = f"/cases/{desk.case.id}"
    db.session.commit()
    pages = at_once(20, lambda i: clients[i].get(url).get_data(as_text=True))
    found = [tokens(page) for page in pages]
    assert all({"activity", "follow_up", "stage"} <= set(shown) for shown in found)
    # Each session has its own token: no page carries another's (twenty sessions, twenty tokens).
    assert len({shown["follow_up"] for shown in found}) == 20
    assert all(len(set(shown.values())) == 1 for shown in found)  # one token per page
