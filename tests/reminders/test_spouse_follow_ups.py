"""Follow-ups an adviser shows on the spouse's page, and the spouse home's way into the intake."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from hiddengems.extensions import db
from hiddengems.reminders.models import FollowUp
from hiddengems.timeutil import helsinki_today
from tests.intake.steps import fill_all, post_step, valid_answers


def logged_in(app, f, user):
    client = app.test_client()
    assert f.login(client, user).status_code == 302
    return client


def _to_do(html: str) -> str:
    """The spouse home's "To do" section."""
    match = re.search(r'<section[^>]*aria-labelledby="to-do-title">(.*?)</section>', html, re.S)
    assert match, "no To do section"
    return match.group(1)


def _main(html: str) -> str:
    """The page's own content, without the navigation bar (which has its own profile link)."""
    return html[html.index('<main id="main"') : html.index("</main>")]


def _add(client, case_id: int, title: str, *, shared: bool, days: int = 3):
    data = {"follow_up-title": title, "follow_up-due_on": (helsinki_today() + timedelta(days=days)).isoformat()}
    if shared:
        data["follow_up-shared_with_spouse"] = "y"
    return client.post(f"/cases/{case_id}/follow-ups", data=data)


def test_spouse_sees_only_open_shared_follow_ups(app, f, desk):
    adviser = logged_in(app, f, desk.adviser)
    assert _add(adviser, desk.case.id, "Send your CV by Friday", shared=True).status_code == 302
    assert _add(adviser, desk.case.id, "Check whether the permit is really valid", shared=False).status_code == 302
    shared, internal = db.session.scalars(select(FollowUp).order_by(FollowUp.id)).all()
    assert (shared.shared_with_spouse, internal.shared_with_spouse) == (True, False)
    # The adviser sees both, and which one the spouse sees.
    case_file = adviser.get(f"/cases/{desk.case.id}").get_data(as_text=True)
    assert "Send your CV by Friday" in case_file and "Check whether the permit is really valid" in case_file
    assert case_file.count("On the spouse's page") == 1

    spouse = logged_in(app, f, desk.spouse)
    to_do = _to_do(spouse.get("/home").get_data(as_text=True))
    assert "Send your CV by Friday" in to_do
    assert "Check whether the permit" not in spouse.get("/home").get_data(as_text=True)
    assert f'datetime="{shared.due_on.isoformat()}"' in to_do and "Date passed" not in to_do

    # Another spouse, also one of the same adviser, never sees it.
    neighbour = f.user("spouse", organisation=desk.org)
    f.assign(neighbour, desk.adviser, "skills")
    other_home = logged_in(app, f, neighbour).get("/home").get_data(as_text=True)
    assert "Send your CV" not in other_home and "Nothing for you to do right now." in other_home

    # Done: gone from the spouse's page.
    assert adviser.post(f"/cases/{desk.case.id}/follow-ups/{shared.id}/done").status_code == 302
    after = spouse.get("/home").get_data(as_text=True)
    assert "Send your CV by Friday" not in after and "Nothing for you to do right now." in _to_do(after)


def test_overdue_follow_up_is_marked_calmly(app, f, desk):
    two_days_ago = helsinki_today() - timedelta(days=2)
    f.follow_up(desk.case, desk.adviser, title="Return the signed form", due_on=two_days_ago)
    f.follow_up(desk.case, desk.adviser, title="Return the signed form", due_on=two_days_ago, shared=True)
    to_do = _to_do(logged_in(app, f, desk.spouse).get("/home").get_data(as_text=True))
    assert to_do.count("Return the signed form") == 1
    assert "Was due" in to_do and "Date passed" in to_do
    assert "danger" not in to_do and "Overdue" not in to_do


def test_checkbox_keeps_its_value_when_the_form_has_an_error(app, f, desk):
    adviser = logged_in(app, f, desk.adviser)
    html = _add(adviser, desk.case.id, "", shared=True).get_data(as_text=True)
    assert "Say what to follow up." in html
    checkbox = re.search(r'<input[^>]*id="follow_up-shared_with_spouse"[^>]*>', html).group(0)
    assert "checked" in checkbox
    # Left unticked, it stays unticked.
    html = _add(adviser, desk.case.id, "", shared=False).get_data(as_text=True)
    checkbox = re.search(r'<input[^>]*id="follow_up-shared_with_spouse"[^>]*>', html).group(0)
    assert "checked" not in checkbox
    assert db.session.scalar(select(db.func.count()).select_from(FollowUp)) == 0


def test_the_checkbox_is_labelled_and_explained(app, f, desk):
    html = logged_in(app, f, desk.adviser).get(f"/cases/{desk.case.id}").get_data(as_text=True)
    checkbox = re.search(r'<input[^>]*id="follow_up-shared_with_spouse"[^>]*>', html).group(0)
    assert 'aria-describedby="follow_up-shared_with_spouse-help"' in checkbox and "checked" not in checkbox
    assert '<label class="form-check-label" for="follow_up-shared_with_spouse">Show on the spouse\'s page' in html
    assert "Send your CV by Friday" in html  # the example in the description


def test_registered_spouse_is_sent_to_the_intake(app, f):
    spouse = f.user("spouse")
    client = logged_in(app, f, spouse)
    html = _main(client.get("/home").get_data(as_text=True))
    assert re.search(r'<a class="btn btn-primary[^"]*" href="/intake/">Fill in your intake form</a>', html)
    assert "Continue your intake form" not in html and "My profile" not in html

    case = f.case_of(spouse)
    assert post_step(client, "contact", valid_answers(case.organisation_id)["contact"], case.id).status_code == 302
    html = _main(client.get("/home").get_data(as_text=True))
    assert re.search(r'<a class="btn btn-primary[^"]*" href="/intake/">Continue your intake form</a>', html)
    assert "Fill in your intake form</a>" not in html


def test_after_the_intake_the_spouse_home_links_to_my_profile(app, f):
    spouse = f.user("spouse")
    client = logged_in(app, f, spouse)
    case = f.case_of(spouse)
    fill_all(client, case.id, case.organisation_id)
    assert client.post("/intake/submit").status_code == 302
    db.session.refresh(case)
    assert case.stage == "intake"
    html = _main(client.get("/home").get_data(as_text=True))
    assert '<a href="/intake/profile">My profile</a>' in html
    assert "intake form</a>" not in html
