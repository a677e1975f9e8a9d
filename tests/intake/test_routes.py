"""The intake over HTTP: steps, resume, validation, submit, profile, the adviser's edit."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from hiddengems.audit.models import AuditEvent
from hiddengems.extensions import db
from hiddengems.intake.services import load_profile
from hiddengems.orgs.models import Organisation
from hiddengems.timeutil import helsinki_today, utcnow
from tests.intake.steps import fill_all, post_step, valid_answers, version_of


def _spouse(f, client):
    spouse = f.user("spouse")
    f.login(client, spouse)
    case = f.case_of(spouse)
    return spouse, case


def _field_error(html: str, field_id: str) -> str:
    """The error text rendered beside a field (Bootstrap's invalid-feedback after the input)."""
    match = re.search(
        rf'id="{re.escape(field_id)}"[^>]*>.*?<div class="invalid-feedback[^"]*"[^>]*>(.*?)</div>', html, re.S
    )
    assert match, f"no error beside {field_id}"
    return " ".join(match.group(1).split())


def test_start_resumes_at_the_first_unanswered_step(app, client, f):
    spouse, case = _spouse(f, client)
    assert client.get("/intake/").location == "/intake/step/contact"
    answers = valid_answers(case.organisation_id)
    assert post_step(client, "contact", answers["contact"], case.id).location == "/intake/step/host"
    assert post_step(client, "host", answers["host"], case.id).location == "/intake/step/arrival"
    # Left and come back later: a new session resumes where they stopped.
    other = app.test_client()
    f.login(other, spouse)
    assert other.get("/intake/").location == "/intake/step/arrival"
    page = other.get("/intake/step/contact").text
    assert 'value="Tampere"' in page


def test_progress_shows_done_current_and_links_every_step(app, client, f):
    spouse, case = _spouse(f, client)
    post_step(client, "contact", valid_answers(case.organisation_id)["contact"], case.id)
    page = client.get("/intake/step/arrival").text
    nav = page[page.index('aria-label="Intake steps"') : page.index("</nav>", page.index('aria-label="Intake steps"'))]
    assert "1 of 10 steps answered" in nav
    assert re.search(r'href="/intake/step/contact"[^>]*>.*?✓.*?\(answered\)', nav, re.S)
    assert re.search(r'href="/intake/step/arrival" aria-current="step"', nav)
    for step in ("host", "permit", "education", "work", "languages", "goals", "availability", "monitoring", "review"):
        assert f'href="/intake/step/{step}"' in nav


def test_required_fields_get_a_message_beside_them_and_nothing_is_saved(app, client, f):
    spouse, case = _spouse(f, client)
    response = client.post("/intake/step/contact", data={"version": "0", "phone": "+358 40 1", "city": ""})
    assert response.status_code == 422
    assert _field_error(response.text, "city") == "Please answer this question."
    assert _field_error(response.text, "contact_language") == "Please answer this question."
    assert 'value="+358 40 1"' in response.text  # what was typed stays
    assert load_profile(case.id) is None


def test_a_very_long_title_is_refused_with_the_limit_and_kept(app, client, f):
    spouse, case = _spouse(f, client)
    title = "x" * 10_000
    data = {"version": "0", "rows-0-job_title": title, "rows-0-employer": "Acme", "rows-0-years": "3"}
    response = client.post("/intake/step/work", data=data)
    assert response.status_code == 422
    assert _field_error(response.text, "rows-0-job_title") == "At most 200 characters."
    assert title in response.text and 'value="Acme"' in response.text
    # The message is tied to its input for screen readers.
    assert 'aria-describedby="rows-0-job_title-error" aria-invalid="true"' in response.text
    assert load_profile(case.id) is None


def test_dates_that_make_no_sense_are_refused(app, client, f):
    spouse, case = _spouse(f, client)
    now = helsinki_today()
    cases = [
        (
            "arrival",
            {"arrival_date": (now - timedelta(days=11 * 365)).isoformat(), "stay_length": "1_2"},
            "arrival_date",
            "more than 10 years ago",
        ),
        (
            "arrival",
            {"arrival_date": (now + timedelta(days=3 * 365)).isoformat(), "stay_length": "1_2"},
            "arrival_date",
            "more than 2 years ahead",
        ),
        ("arrival", {"arrival_date": "31.02.2026", "stay_length": "1_2"}, "arrival_date", "Not a valid date"),
        (
            "permit",
            {"right_to_work": "yes", "permit_type": "family", "permit_expires": (now - timedelta(days=1)).isoformat()},
            "permit_expires",
            "in the past",
        ),
        (
            "availability",
            {"availability": "full_time", "available_from": "2999-01-01"},
            "available_from",
            "more than 2 years ahead",
        ),
    ]
    for step, data, field, message in cases:
        response = client.post(f"/intake/step/{step}", data={"version": "0", **data})
        assert response.status_code == 422, (step, field)
        assert message in _field_error(response.text, field), (step, field)
    assert load_profile(case.id) is None


def test_a_tampered_cefr_level_is_a_field_error(app, client, f):
    spouse, case = _spouse(f, client)
    data = {"version": "0", "fi": "C3", "sv": "none", "en": "B2", "others-0-language": "de", "others-0-level": "Z9"}
    response = client.post("/intake/step/languages", data=data)
    assert response.status_code == 422
    assert _field_error(response.text, "fi") == "Choose a level from the list."
    assert _field_error(response.text, "others-0-level") == "Choose a level from the list."
    assert load_profile(case.id) is None


def test_a_language_listed_twice_is_refused(app, client, f):
    spouse, case = _spouse(f, client)
    data = {"version": "0", "fi": "A1", "sv": "none", "en": "B2", "others-0-language": "en", "others-0-level": "C1"}
    response = client.post("/intake/step/languages", data=data)
    assert response.status_code == 422
    assert "already listed" in _field_error(response.text, "others-0-language")
    assert (
        '<div class="text-danger small mb-2" id="others-error">Each language only once, please.</div>' in response.text
    )


def test_add_another_row_keeps_what_was_typed_and_saves_nothing(app, client, f):
    spouse, case = _spouse(f, client)
    data = {"version": "0", "rows-0-job_title": "Chemist", "add_row": "Add another job"}
    response = client.post("/intake/step/work", data=data)
    assert response.status_code == 200
    assert 'value="Chemist"' in response.text and 'id="rows-1-job_title"' in response.text
    assert load_profile(case.id) is None
    # Removing a row: tick its box and save.
    post_step(client, "work", {"rows-0-job_title": "Chemist", "rows-1-job_title": "Teacher"}, case.id)
    post_step(
        client, "work", {"rows-0-job_title": "Chemist", "rows-0-remove": "y", "rows-1-job_title": "Teacher"}, case.id
    )
    assert [w.job_title for w in load_profile(case.id).work] == ["Teacher"]


def test_languages_are_asked_and_chosen_from_a_localised_list(app, client, f):
    spouse, case = _spouse(f, client)
    page = client.get("/intake/step/languages").text
    for label in ("Finnish", "Swedish", "English"):
        assert f">{label}</label>" in page
    assert '<option value="pt">Portuguese</option>' in page
    assert post_step(client, "languages", valid_answers(case.organisation_id)["languages"], case.id).status_code == 302
    assert {(s.language, s.level) for s in load_profile(case.id).languages} == {
        ("fi", "A1"),
        ("en", "C1"),
        ("pt", "native"),
    }
    page = client.get("/intake/step/languages").text
    assert re.search(r'<select[^>]*id="sv"[^>]*>.*?<option selected value="none">', page, re.S)


def test_submit_with_steps_missing_names_them_and_links_to_them(app, client, f):
    spouse, case = _spouse(f, client)
    fill_all(client, case.id, case.organisation_id, skip=("goals",))
    response = client.post("/intake/submit", follow_redirects=True)
    assert "Some steps are not answered yet: Career goals." in response.text
    assert 'href="/intake/step/goals">Career goals</a>' in response.text
    db.session.refresh(case)
    assert case.stage == "registered"


def test_submit_moves_the_case_to_the_intake_queue(app, client, f):
    spouse, case = _spouse(f, client)
    fill_all(client, case.id, case.organisation_id, skip=("monitoring",))
    response = client.post("/intake/submit")
    assert response.location == "/intake/profile"
    db.session.refresh(case)
    assert case.stage == "intake" and case.adviser_id is None
    home = client.get("/home").text
    assert "Intake" in home
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == case.id)).all()
    assert actions.count("intake.step_saved") == 9 and actions.count("intake.submitted") == 1
    # After submission the spouse still edits their profile; saving returns to it.
    page = client.get("/intake/profile").text
    assert "Data analyst" in page and "Banco Central" in page and "Brazil" in page
    answers = valid_answers(case.organisation_id)["contact"]
    response = post_step(client, "contact", {**answers, "city": "Espoo"}, case.id)
    assert response.location == "/intake/profile"
    assert load_profile(case.id).city == "Espoo"


def test_the_nav_links_to_my_profile(app, client, f):
    _spouse(f, client)
    assert 'href="/intake/profile"' in client.get("/home").text


def test_audit_rows_carry_ids_never_text(app, client, f):
    spouse, case = _spouse(f, client)
    post_step(client, "goals", {"career_goals": "Secret ambition"}, case.id)
    details = db.session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "intake.step_saved")).all()
    assert details == [{"step": "goals"}]


def test_user_text_is_escaped(app, client, f):
    spouse, case = _spouse(f, client)
    post_step(
        client,
        "goals",
        {"career_goals": "<script>alert(1)</script>", "target_occupations": '" onmouseover="x'},
        case.id,
    )
    page = client.get("/intake/profile").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page and '" onmouseover="x' not in page


def test_a_spouse_reaches_only_their_own_profile(app, client, f):
    spouse_a, case_a = _spouse(f, client)
    post_step(client, "contact", {"city": "Tampere", "contact_language": "en"}, case_a.id)
    other = app.test_client()
    spouse_b = f.user("spouse")
    f.login(other, spouse_b)
    assert "Tampere" not in other.get("/intake/profile").text
    assert other.get(f"/intake/case/{case_a.id}/contact").status_code == 403
    assert other.post(f"/intake/case/{case_a.id}/contact", data={"version": "1", "city": "X"}).status_code == 403
    assert load_profile(case_a.id).city == "Tampere"


def test_adviser_edits_the_profile_of_their_case_and_views_are_audited(app, client, f):
    spouse = f.user("spouse")
    adviser = f.user("adviser")
    case = f.assign(spouse, adviser, "intake")
    f.login(client, adviser)
    page = client.get(f"/intake/case/{case.id}/education")
    assert page.status_code == 200 and "Intake profile of" in page.text
    url = f"/intake/case/{case.id}/education"
    response = post_step(client, "education", valid_answers(case.organisation_id)["education"], case.id, url=url)
    assert response.location == url
    assert load_profile(case.id).education_level == 7
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == case.id)).all()
    assert "intake.viewed" in actions and "intake.step_saved" in actions
    assert client.get(f"/intake/case/{case.id}/review").status_code == 404
    assert client.get(f"/intake/case/{case.id}/nonsense").status_code == 404
    assert client.get("/intake/case/999999/contact").status_code == 404


def test_another_advisers_case_is_forbidden(app, client, f):
    spouse = f.user("spouse")
    case = f.assign(spouse, f.user("adviser"), "intake")
    f.login(client, f.user("adviser"))
    assert client.get(f"/intake/case/{case.id}/contact").status_code == 403
    lead = app.test_client()
    f.login(lead, f.user("adviser", lead=True))
    assert lead.get(f"/intake/case/{case.id}/contact").status_code == 200


def test_a_stale_save_is_refused_with_a_conflict_and_the_typed_input_kept(app, f):
    spouse = f.user("spouse")
    adviser = f.user("adviser")
    case = f.assign(spouse, adviser, "intake")
    f.login(spouse_client := app.test_client(), spouse)
    f.login(adviser_client := app.test_client(), adviser)
    post_step(spouse_client, "goals", {"career_goals": "First words"}, case.id)
    _mark_submitted(case.id)  # before that, the intake is the spouse's draft (see below)
    url = f"/intake/case/{case.id}/goals"

    # Both open the form at the same version.
    spouse_version = re.search(r'id="version"[^>]*value="(\d+)"', spouse_client.get("/intake/step/goals").text)[1]
    adviser_version = re.search(r'id="version"[^>]*value="(\d+)"', adviser_client.get(url).text)[1]
    assert spouse_version == adviser_version

    saved = adviser_client.post(url, data={"version": adviser_version, "career_goals": "Adviser's words"})
    assert saved.status_code == 302
    stale = spouse_client.post("/intake/step/goals", data={"version": spouse_version, "career_goals": "Spouse's words"})
    assert stale.status_code == 409
    assert "Someone else saved this profile while you were editing it." in stale.text
    assert "Spouse&#39;s words" in stale.text  # the typed text is still in the form
    assert "Adviser&#39;s words" in stale.text  # and what is saved now is shown beside it
    assert load_profile(case.id).career_goals == "Adviser's words"

    # The form now carries the current version: saving again keeps the spouse's words.
    new_version = re.search(r'id="version"[^>]*value="(\d+)"', stale.text)[1]
    assert new_version == version_of(case.id)
    again = spouse_client.post("/intake/step/goals", data={"version": new_version, "career_goals": "Spouse's words"})
    assert again.status_code == 302
    assert load_profile(case.id).career_goals == "Spouse's words"


def _mark_submitted(case_id: int) -> None:
    profile = load_profile(case_id)
    profile.submitted_at = utcnow()
    db.session.commit()


def test_an_unsubmitted_intake_is_the_spouses_draft(app, client, f):
    """Neither the queue's advisers nor a lead read answers the spouse has not sent."""
    spouse, case = _spouse(f, client)
    post_step(client, "goals", {"career_goals": "Draft words"}, case.id)
    lead = app.test_client()
    f.login(lead, f.user("adviser", lead=True))
    assert lead.get(f"/intake/case/{case.id}/goals").status_code == 403
    file = lead.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Draft words" not in file
    assert "not sent it yet" in file
    adviser = app.test_client()
    f.login(adviser, f.user("adviser"))
    assert adviser.get(f"/cases/{case.id}").status_code == 403  # not in the queue yet

    _mark_submitted(case.id)
    assert "Draft words" in lead.get(f"/cases/{case.id}").get_data(as_text=True)
    assert lead.get(f"/intake/case/{case.id}/goals").status_code == 200


def test_a_missing_or_tampered_version_is_treated_as_stale(app, client, f):
    spouse, case = _spouse(f, client)
    post_step(client, "contact", {"city": "Tampere", "contact_language": "en"}, case.id)
    for version in ("", "abc", "0"):
        response = client.post(
            "/intake/step/contact", data={"version": version, "city": "Oulu", "contact_language": "en"}
        )
        assert response.status_code == 409
    assert load_profile(case.id).city == "Tampere"


def test_changing_the_host_organisation_moves_the_case(app, client, f):
    spouse, case = _spouse(f, client)
    other = f.org("Other University")
    post_step(client, "host", {"organisation_id": str(other.id), "partner_unit": "Physics"}, case.id)
    db.session.refresh(case)
    assert case.organisation_id == other.id
    response = post_step(client, "host", {"organisation_id": "424242"}, case.id)
    assert response.status_code == 422


def test_long_lists_show_the_saved_choice_and_escape_a_tampered_one(app, client, f):
    spouse, case = _spouse(f, client)
    post_step(client, "work", valid_answers(case.organisation_id)["work"], case.id)
    page = client.get("/intake/step/work").text
    assert '<option selected value="BR">Brazil</option>' in page
    assert page.count("<option selected") == 1  # the empty row chooses nothing
    bad = '"><script>alert(1)</script>'
    response = client.post(
        "/intake/step/work", data={"version": version_of(case.id), "rows-0-job_title": "Chemist", "rows-0-country": bad}
    )
    assert response.status_code == 422
    assert "Not a valid choice" in _field_error(response.text, "rows-0-country")
    assert "<script>alert(1)</script>" not in response.text


def test_a_deactivated_organisation_stays_choosable_for_its_members(app, client, f):
    spouse, case = _spouse(f, client)
    organisation = db.session.get(Organisation, case.organisation_id)
    organisation.active = False
    retired = f.org("Retired Institute")
    retired.active = False
    db.session.commit()
    page = client.get("/intake/step/host").text
    assert f'<option selected value="{organisation.id}">' in page
    assert "Retired Institute" not in page
    response = post_step(client, "host", {"organisation_id": str(organisation.id), "partner_unit": "Physics"}, case.id)
    assert response.status_code == 302
    response = post_step(client, "host", {"organisation_id": str(retired.id)}, case.id)
    assert response.status_code == 422
