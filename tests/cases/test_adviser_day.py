"""Issue 13, the adviser's day: the case file at a glance, the timeline's filter and
corrections, and what closing a case cancels."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from hiddengems.audit.models import AuditEvent
from hiddengems.cases.models import Activity, ActivityRevision, Case
from hiddengems.extensions import db
from hiddengems.intake.models import IntakeProfile
from hiddengems.reminders.models import FollowUp
from hiddengems.timeutil import helsinki_today, utcnow
from tests.at_once import at_once


def logged_in(app, f, user):
    client = app.test_client()
    assert f.login(client, user).status_code == 302
    return client


def _sent_intake(case, **values) -> IntakeProfile:
    profile = IntakeProfile(case_id=case.id, submitted_at=utcnow(), **values)
    db.session.add(profile)
    db.session.commit()
    return profile


# --- the header -----------------------------------------------------------------------------


def test_the_header_says_who_where_and_how_to_reach_them(app, f, desk):
    _sent_intake(desk.case, phone="+358 40 123 4567", right_to_work="yes", permit_expires=date(2027, 5, 31))
    f.activity(desk.case, desk.adviser, kind="call", at=utcnow() - timedelta(days=3))
    f.follow_up(desk.case, desk.adviser, due_on=helsinki_today() + timedelta(days=2))
    html = logged_in(app, f, desk.adviser).get(f"/cases/{desk.case.id}").get_data(as_text=True)
    header = html.split('id="case-title"')[1].split("</section>")[0]
    assert 'href="tel:+358401234567"' in header and "+358 40 123 4567" in header
    assert f'href="mailto:{desk.spouse.email}"' in header
    assert "Last contact" in header and "Next follow-up" in header and "Aino Adviser" in header
    assert "days in this stage" in header or "day in this stage" in header
    assert "Permit valid until" in header and "2027" in header
    # The timeline comes before the profile; the entry form is collapsed behind a button.
    assert html.index('id="timeline-title"') < html.index('id="intake-summary-title"')
    assert '<details class="mb-3 add-activity">' in html


def test_an_unsent_intake_stays_out_of_the_header(app, f, desk):
    db.session.add(IntakeProfile(case_id=desk.case.id, phone="+358 40 999 9999"))
    db.session.commit()
    html = logged_in(app, f, desk.adviser).get(f"/cases/{desk.case.id}").get_data(as_text=True)
    assert "999 9999" not in html


def test_the_entry_form_opens_again_with_its_errors(app, f, desk):
    client = logged_in(app, f, desk.adviser)
    html = client.post(f"/cases/{desk.case.id}/activities", data={"activity-kind": "note"}).get_data(as_text=True)
    assert '<details class="mb-3 add-activity" open>' in html
    assert "Write what happened." in html


# --- the timeline's filter ------------------------------------------------------------------


def test_the_timeline_filters_by_kind(app, f, desk):
    now = utcnow()
    f.activity(desk.case, desk.adviser, kind="note", text="Noted the CV", at=now - timedelta(hours=1))
    f.activity(desk.case, desk.adviser, kind="call", text="Called about the permit", at=now - timedelta(hours=2))
    client = logged_in(app, f, desk.adviser)
    calls = client.get(f"/cases/{desk.case.id}?kind=call").get_data(as_text=True)
    assert "Called about the permit" in calls and "Noted the CV" not in calls
    assert '<option value="call" selected>' in calls
    stages = client.get(f"/cases/{desk.case.id}?kind=stage").get_data(as_text=True)
    assert "Noted the CV" not in stages and "Case opened" in stages
    emails = client.get(f"/cases/{desk.case.id}?kind=email").get_data(as_text=True)
    assert "Nothing of this kind recorded yet." in emails
    # Anything else shows everything, never an error. (A NUL byte is dropped where the request
    # is parsed: ?kind=note%00 is ?kind=note.)
    assert "Called about the permit" not in client.get(f"/cases/{desk.case.id}?kind=note%00").get_data(as_text=True)
    for nonsense in ("DROP", "Note", "\u0663", "stage%20"):
        html = client.get(f"/cases/{desk.case.id}?kind={nonsense}").get_data(as_text=True)
        assert "Noted the CV" in html and "Called about the permit" in html


# --- correcting one's own entry -------------------------------------------------------------


def test_an_adviser_corrects_their_own_entry_and_the_old_text_is_kept(app, f, desk):
    entry = f.activity(desk.case, desk.adviser, text="Met at the libary")
    client = logged_in(app, f, desk.adviser)
    url = f"/cases/{desk.case.id}/activities/{entry.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert "Met at the libary" in page
    response = client.post(url, data={"text": "Met at the library"})
    assert response.status_code == 302
    html = client.get(f"/cases/{desk.case.id}").get_data(as_text=True)
    assert "Met at the library" in html and "(edited)" in html
    revision = db.session.scalars(select(ActivityRevision)).one()
    assert (revision.old_text, revision.new_text, revision.by_id) == (
        "Met at the libary",
        "Met at the library",
        desk.adviser.id,
    )
    audit = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "case.activity_corrected")).one()
    assert audit.detail == {"activity": entry.id, "revision": revision.id}  # ids, never the text
    assert "Met at the libary" in client.get(url).get_data(as_text=True)  # under "Earlier versions"


def test_an_empty_correction_is_refused_and_nothing_is_lost(app, f, desk):
    entry = f.activity(desk.case, desk.adviser, text="Keep me")
    client = logged_in(app, f, desk.adviser)
    response = client.post(f"/cases/{desk.case.id}/activities/{entry.id}/edit", data={"text": "  "})
    assert response.status_code == 200 and "Write what happened." in response.get_data(as_text=True)
    assert db.session.get(Activity, entry.id).text == "Keep me"
    assert db.session.scalars(select(ActivityRevision)).all() == []


def test_nobody_corrects_someone_elses_entry(app, f, desk):
    colleague_entry = f.activity(desk.case, desk.lead, text="The lead's words")
    other_case = f.assign(f.user("spouse"), desk.other, "skills")
    elsewhere = f.activity(other_case, desk.other, text="Another case")
    mine_elsewhere = f.activity(other_case, desk.adviser, text="Mine, but on a case not mine")
    adviser, lead = logged_in(app, f, desk.adviser), logged_in(app, f, desk.lead)
    base = f"/cases/{desk.case.id}/activities"
    assert adviser.get(f"{base}/{colleague_entry.id}/edit").status_code == 403
    assert adviser.post(f"{base}/{colleague_entry.id}/edit", data={"text": "x"}).status_code == 403
    mine = f.activity(desk.case, desk.adviser, text="Mine")
    assert lead.post(f"{base}/{mine.id}/edit", data={"text": "x"}).status_code == 403  # a lead too
    # An entry of another case through this case's URL: not found here.
    assert adviser.get(f"{base}/{elsewhere.id}/edit").status_code == 404
    assert adviser.get(f"/cases/{other_case.id}/activities/{mine_elsewhere.id}/edit").status_code == 403
    for bad in ("99999999999999999999999", "9223372036854775808", "%00", "\u0663"):
        assert adviser.get(f"{base}/{bad}/edit").status_code == 404, bad
    db.session.expire_all()
    assert db.session.get(Activity, colleague_entry.id).text == "The lead's words"
    assert db.session.get(Activity, mine.id).text == "Mine"


def test_a_nul_byte_in_a_correction_is_dropped_not_stored(app, f, desk):
    entry = f.activity(desk.case, desk.adviser, text="Plain")
    client = logged_in(app, f, desk.adviser)
    response = client.post(f"/cases/{desk.case.id}/activities/{entry.id}/edit", data={"text": "Pla\x00in text"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Activity, entry.id).text == "Plain text"
    # Only NUL bytes: nothing left to save, and a message says so.
    response = client.post(f"/cases/{desk.case.id}/activities/{entry.id}/edit", data={"text": "\x00\x00"})
    assert response.status_code == 200 and "Write what happened." in response.get_data(as_text=True)


def test_twenty_corrections_at_once_each_keep_what_they_replaced(app, f, desk):
    entry = f.activity(desk.case, desk.adviser, text="v0")
    case_id, entry_id = desk.case.id, entry.id
    clients = [logged_in(app, f, desk.adviser) for _ in range(20)]
    db.session.commit()

    def send(i: int) -> str:
        response = clients[i].post(f"/cases/{case_id}/activities/{entry_id}/edit", data={"text": f"v{i + 1}"})
        return str(response.status_code)

    assert sorted(at_once(20, send)) == ["302"] * 20
    db.session.expire_all()
    revisions = db.session.scalars(select(ActivityRevision).order_by(ActivityRevision.id)).all()
    assert len(revisions) == 20
    # A chain: each correction replaced the text the one before it wrote.
    assert revisions[0].old_text == "v0"
    for before, after in zip(revisions, revisions[1:], strict=False):
        assert after.old_text == before.new_text
    assert db.session.get(Activity, entry_id).text == revisions[-1].new_text


# --- closing cancels what was planned -------------------------------------------------------


def _close(client, case: Case) -> None:
    data = {"close-version": case.version, "close-outcome": "left_region"}
    response = client.post(f"/cases/{case.id}/close", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)


def test_closing_lists_and_cancels_follow_ups_and_planned_meetings(app, f, desk):
    ahead = utcnow() + timedelta(days=3)
    meeting = f.activity(desk.case, desk.adviser, kind="meeting", text="CV workshop", at=ahead, shared=True)
    past_meeting = f.activity(
        desk.case, desk.adviser, kind="meeting", text="First meeting", at=utcnow() - timedelta(days=3)
    )
    follow_up = f.follow_up(desk.case, desk.adviser, title="Bring the diploma", shared=True)
    spouse = logged_in(app, f, desk.spouse)
    home = spouse.get("/home").get_data(as_text=True)
    assert "Bring the diploma" in home
    adviser = logged_in(app, f, desk.adviser)
    close_page = adviser.get(f"/cases/{desk.case.id}/close").get_data(as_text=True)
    assert "Closing cancels" in close_page and "CV workshop" in close_page and "Bring the diploma" in close_page
    assert "First meeting" not in close_page  # what has happened is not cancelled

    _close(adviser, db.session.get(Case, desk.case.id))
    db.session.expire_all()
    assert db.session.get(Activity, meeting.id).cancelled_at is not None
    assert db.session.get(Activity, past_meeting.id).cancelled_at is None
    kept = db.session.get(FollowUp, follow_up.id)
    assert kept.cancelled_at is not None and kept.done_at is not None
    home = spouse.get("/home").get_data(as_text=True)
    assert "Bring the diploma" not in home
    assert desk.spouse.name  # the spouse's meetings panel no longer lists the cancelled meeting
    from hiddengems.cases import timeline

    assert timeline.upcoming_meetings(desk.case.id) == []
    html = adviser.get(f"/cases/{desk.case.id}").get_data(as_text=True)
    assert "Cancelled" in html  # the timeline keeps the meeting, marked
    assert "Bring the diploma" not in adviser.get("/desk").get_data(as_text=True)

    # Reopening does not bring them back.
    case = db.session.get(Case, desk.case.id)
    response = adviser.post(
        f"/cases/{case.id}/reopen",
        data={"reopen-version": case.version, "reopen-stage": "skills", "reopen-reason": "Back"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Activity, meeting.id).cancelled_at is not None
    assert db.session.get(FollowUp, follow_up.id).done_at is not None
    assert timeline.upcoming_meetings(desk.case.id) == []


@pytest.mark.parametrize("path", ["/cases/99999999999999999999999/close", "/cases/%00/close"])
def test_close_page_of_no_case(app, f, desk, path):
    assert logged_in(app, f, desk.adviser).get(path).status_code == 404


# --- the intake queue's triage --------------------------------------------------------------


def _queued_with_intake(f, org, name: str, languages, **values) -> Case:
    from hiddengems.intake.models import LanguageSkill

    case = f.assign(f.user("spouse", organisation=org, name=name), None, "intake")
    profile = _sent_intake(case, **values)
    for position, (code, level) in enumerate(languages):
        db.session.add(LanguageSkill(profile_id=profile.id, language=code, level=level, position=position))
    db.session.commit()
    return case


def test_the_queue_shows_what_decides_who_takes_it_and_filters(app, f, desk):
    other_org = f.org("Other Institute")
    goals = "Work as a data analyst in a research group, ideally in Helsinki, later maybe a doctorate in statistics"
    _queued_with_intake(
        f,
        desk.org,
        "Ana Analyst",
        [("fi", "A2"), ("en", "C1"), ("es", "native")],
        education_level=7,
        education_field="05",
        right_to_work="yes",
        career_goals=goals,
    )
    _queued_with_intake(f, other_org, "Bo Builder", [("sv", "B1")], education_level=6)
    client = logged_in(app, f, desk.adviser)
    html = client.get("/cases/queue").get_data(as_text=True)
    row = html.split(">Ana Analyst</a>")[1].split("</tr>")[0]
    assert "Finnish" in row and "A2" in row and "English" in row and "C1" in row and "native" in row
    assert "Master" in row and "Right to work" in row
    assert "Work as a data analyst in a research group" in row and "doctorate" not in row  # the first words
    assert "Wang Waiting" in html  # a queued case without an intake row still shows

    by_org = client.get(f"/cases/queue?organisation_id={other_org.id}").get_data(as_text=True)
    assert "Bo Builder" in by_org and "Ana Analyst" not in by_org
    by_language = client.get("/cases/queue?language=es").get_data(as_text=True)
    assert "Ana Analyst" in by_language and "Bo Builder" not in by_language and "Wang Waiting" not in by_language
    assert '<option selected value="es">' in by_language or 'value="es" selected' in by_language

    # Nonsense is refused beside its filter, and the queue shows without it: never a 500.
    for query in ("organisation_id=99999999999999999999", "organisation_id=%00", "language=xx", "language=%00fi"):
        response = client.get(f"/cases/queue?{query}")
        assert response.status_code == 200, query
    bad = client.get("/cases/queue?language=xx&organisation_id=\u0663").get_data(as_text=True)
    assert "Choose from the list." in bad and "Choose an organisation from the list." in bad
    assert "Ana Analyst" in bad and "Bo Builder" in bad


def test_the_queue_offers_only_the_languages_someone_in_it_speaks(app, f, desk):
    from hiddengems.intake.panels import queue_languages

    _queued_with_intake(f, desk.org, "Queued Qi", [("zh", "native"), ("en", "B2")])
    taken = _queued_with_intake(f, desk.org, "Taken Tarja", [("fi", "native"), ("en", "C1")])
    taken.adviser_id = desk.adviser.id
    db.session.commit()
    assert queue_languages() == [("zh", "Chinese"), ("en", "English")]  # by name; Finnish only outside it
    html = logged_in(app, f, desk.adviser).get("/cases/queue").get_data(as_text=True)
    assert 'value="zh"' in html and 'value="en"' in html and 'value="fi"' not in html


def test_the_queue_makes_as_many_queries_with_many_intakes(app, f, desk, queries):
    from tests.cases.test_query_counts import QUEUE, _count

    def add(n: int) -> None:
        for i in range(n):
            _queued_with_intake(
                f, desk.org, f"Queued {i}", [("fi", "A1"), ("en", "B2"), ("ar", "native")], education_level=6
            )

    add(2)
    small = _count(app, f, queries, desk.adviser, "/cases/queue?language=fi")
    add(30)
    large = _count(app, f, queries, desk.adviser, f"/cases/queue?language=en&organisation_id={desk.org.id}")
    assert (small, large) == (QUEUE, QUEUE), queries.statements


# --- the desk ---------------------------------------------------------------------------------


def test_the_desk_links_the_waiting_registrations_which_show_no_names(app, f, desk):
    f.user("spouse", organisation=desk.org, name="Rita Registered")
    client = logged_in(app, f, desk.adviser)
    html = client.get("/desk").get_data(as_text=True)
    assert 'href="/cases/registered"' in html
    page = client.get("/cases/registered").get_data(as_text=True)
    assert "Desk University" in page and "1 registration waiting" in page
    assert "Rita Registered" not in page and "/cases/" not in page.split("<main")[1].split("</main>")[0].replace(
        "/cases/registered", ""
    )


def test_the_desk_shows_todays_meetings_of_my_cases_only(app, f, desk):
    import time_machine

    from hiddengems.timeutil import HELSINKI

    noon = utcnow().astimezone(HELSINKI).replace(hour=12, minute=0, second=0, microsecond=0)
    with time_machine.travel(noon.replace(hour=8), tick=False):
        f.activity(desk.case, desk.adviser, kind="meeting", text="x", at=noon)
        f.activity(desk.case, desk.adviser, kind="meeting", text="x", at=noon + timedelta(days=1))
        theirs = f.assign(f.user("spouse", name="Not Mine"), desk.other, "skills")
        f.activity(theirs, desk.other, kind="meeting", at=noon)
        html = logged_in(app, f, desk.adviser).get("/desk").get_data(as_text=True)
    section = html.split('id="todays-meetings-title"')[1].split("</section>")[0]
    assert "Maria Spouse" in section and section.count("<li") == 1
    assert "Not Mine" not in section


def test_the_header_keeps_its_values_when_a_follow_up_comes_back_with_errors(app, f, desk):
    f.activity(desk.case, desk.adviser, kind="call", at=utcnow() - timedelta(days=2))
    client = logged_in(app, f, desk.adviser)
    html = client.post(f"/cases/{desk.case.id}/follow-ups", data={"follow_up-title": ""}).get_data(as_text=True)
    header = html.split('id="case-title"')[1].split("</section>")[0]
    assert "None yet" not in header and "in this stage" in header
    assert '<details class="add-follow-up" open>' in html  # the form, open with its message


def test_a_cancelled_meeting_is_never_a_contact(app, f, desk):
    """A meeting a close cancelled never took place: once its time has passed it does not
    count as the last contact (header, lists, the no-contact reminder) of a reopened case."""
    import time_machine

    from hiddengems.cases import lists, services

    call = utcnow() - timedelta(days=10)
    f.activity(desk.case, desk.adviser, kind="call", at=call)
    f.activity(desk.case, desk.adviser, kind="meeting", at=utcnow() + timedelta(days=2))
    case = db.session.get(Case, desk.case.id)
    services.close_case(case, actor=desk.adviser, outcome="other", reason=None, version=case.version)
    db.session.commit()
    with time_machine.travel(utcnow() + timedelta(days=5)):
        loaded = lists.load_case_file(desk.case.id)
        assert abs((loaded.last_contact_at - call).total_seconds()) < 1
        from hiddengems.reminders.kinds import _last_contact

        anchor = db.session.scalar(select(_last_contact()).select_from(Case).where(Case.id == desk.case.id))
        assert abs((anchor - call).total_seconds()) < 1
