"""E-mails to the participant about their case: a meeting booked (with its invitation), a
follow-up shared, the case closed or reopened; no note text in them; their opt-out."""

from __future__ import annotations

import email
from datetime import timedelta

from icalendar import Calendar
from sqlalchemy import select

from hiddengems.cases import notices
from hiddengems.cases.models import Activity, Case
from hiddengems.extensions import db
from hiddengems.mail import services as mail
from hiddengems.mail import smtp
from hiddengems.timeutil import HELSINKI, helsinki_today, utcnow
from tests.cases.test_pages import local_input, logged_in

SECRET_NOTE = "Discussed her visa worries in confidence"


def _book_meeting(client, case_id: int, when, *, minutes: str = "45", shared: bool = True):
    data = {
        "activity-kind": "meeting",
        "activity-occurred_at": local_input(when),
        "activity-duration_minutes": minutes,
        "activity-text": SECRET_NOTE,
    }
    if shared:
        data["activity-shared_with_spouse"] = "y"
    return client.post(f"/cases/{case_id}/activities", data=data)


def _ics(message) -> Calendar:
    (attachment,) = message.attachments
    assert attachment["filename"] == "meeting.ics" and attachment["content_type"].startswith("text/calendar")
    return Calendar.from_ical(attachment["content"])


def test_a_booked_meeting_sends_an_invitation_with_its_helsinki_time(app, f, desk):
    client = logged_in(app, f, desk.adviser)
    when = (utcnow() + timedelta(days=3)).replace(second=0, microsecond=0)
    assert _book_meeting(client, desk.case.id, when).status_code == 302

    (message,) = f.outbox("case_meeting")
    assert message.to_address == desk.spouse.email and message.user_id == desk.spouse.id
    local = when.astimezone(HELSINKI)
    assert f"{local:%H:%M}" in message.body and "Finnish time" in message.body
    assert "http://localhost/home" in message.body
    assert SECRET_NOTE not in message.body and SECRET_NOTE not in message.attachments[0]["content"]

    (event,) = _ics(message).walk("VEVENT")
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert start == when and str(start.tzinfo) == "Europe/Helsinki"
    assert end - start == timedelta(minutes=45)
    assert str(event["organizer"]) == f"mailto:{desk.adviser.email}"
    assert str(event["attendee"]) == f"mailto:{desk.spouse.email}"
    assert _ics(message).walk("VTIMEZONE")[0]["tzid"] == "Europe/Helsinki"
    assert str(_ics(message)["method"]) == "REQUEST"


def test_the_invitation_is_sent_as_a_calendar_attachment(app, f, desk, monkeypatch):
    client = logged_in(app, f, desk.adviser)
    _book_meeting(client, desk.case.id, utcnow() + timedelta(days=2))
    db.session.commit()
    sent = []

    class Transport:
        def __init__(self, config):
            pass

        def send(self, message):
            sent.append(message)

        def close(self):
            pass

    app.config["MAIL_BACKEND"] = "smtp"
    monkeypatch.setattr(smtp, "Transport", Transport)
    assert mail.send_pending() == (1, 0)
    parsed = email.message_from_bytes(bytes(sent[0]))
    parts = {part.get_content_type(): part for part in parsed.walk()}
    assert parts["text/calendar"].get_param("method") == "REQUEST"
    assert parts["text/calendar"].get_filename() == "meeting.ics"
    assert "BEGIN:VEVENT" in parts["text/calendar"].get_payload(decode=True).decode()


def test_a_past_meeting_or_a_note_sends_nothing(app, f, desk):
    client = logged_in(app, f, desk.adviser)
    _book_meeting(client, desk.case.id, utcnow() - timedelta(hours=2))
    client.post(
        f"/cases/{desk.case.id}/activities",
        data={
            "activity-kind": "note",
            "activity-occurred_at": local_input(utcnow()),
            "activity-text": SECRET_NOTE,
            "activity-shared_with_spouse": "y",
        },
    )
    assert f.outbox("case_meeting") == [] and f.outbox() == []


def test_a_shared_follow_up_is_announced_without_its_title(app, f, desk):
    client = logged_in(app, f, desk.adviser)
    url = f"/cases/{desk.case.id}/follow-ups"
    due = helsinki_today() + timedelta(days=5)
    client.post(url, data={"follow_up-title": "Private: check her permit", "follow_up-due_on": due.isoformat()})
    assert f.outbox("case_follow_up_shared") == []  # not shared: the spouse does not see it
    client.post(
        url,
        data={"follow_up-title": SECRET_NOTE, "follow_up-due_on": due.isoformat(), "follow_up-shared_with_spouse": "y"},
    )
    (message,) = f.outbox("case_follow_up_shared")
    assert SECRET_NOTE not in message.body and SECRET_NOTE not in message.subject
    assert f"due {due.day} " in message.body and "http://localhost/home" in message.body
    assert "http://localhost/account" in message.body  # where to turn these off


def test_closing_and_reopening_tell_the_spouse(app, f, desk):
    client = logged_in(app, f, desk.adviser)
    client.post(
        f"/cases/{desk.case.id}/close",
        data={"close-version": desk.case.version, "close-outcome": "studying", "close-reason": SECRET_NOTE},
    )
    case = db.session.get(Case, desk.case.id)
    assert case.stage == "closed"
    (closed,) = f.outbox("case_closed")
    assert closed.to_address == desk.spouse.email and SECRET_NOTE not in closed.body
    client.post(
        f"/cases/{desk.case.id}/reopen",
        data={"reopen-version": case.version, "reopen-stage": "skills", "reopen-reason": SECRET_NOTE},
    )
    (reopened,) = f.outbox("case_reopened")
    assert "open again" in reopened.subject and SECRET_NOTE not in reopened.body


def test_the_spouse_can_turn_off_the_optional_e_mails_but_not_invitations(app, f, desk):
    spouse = logged_in(app, f, desk.spouse)
    page = spouse.get("/account").get_data(as_text=True)
    assert "always sent" in page and "checked" in page
    response = spouse.post("/account", data={"submit": "Save my choices"}, follow_redirects=True)
    assert "Your e-mail choices are saved." in response.get_data(as_text=True)
    db.session.expire_all()
    assert desk.spouse.email_updates is False

    adviser = logged_in(app, f, desk.adviser)
    due = (helsinki_today() + timedelta(days=5)).isoformat()
    adviser.post(
        f"/cases/{desk.case.id}/follow-ups",
        data={"follow_up-title": "Send CV", "follow_up-due_on": due, "follow_up-shared_with_spouse": "y"},
    )
    _book_meeting(adviser, desk.case.id, utcnow() + timedelta(days=1))
    adviser.post(f"/cases/{desk.case.id}/close", data={"close-version": desk.case.version, "close-outcome": "studying"})
    assert db.session.scalar(select(Case.stage).where(Case.id == desk.case.id)) == "closed"
    # The closing cancels the meeting ahead: its cancellation is essential, like the invitation.
    assert [m.kind for m in f.outbox()] == ["case_meeting", "case_meeting_cancelled"]

    spouse.post("/account", data={"email_updates": "y"})
    db.session.expire_all()
    assert desk.spouse.email_updates is True


def test_an_unconfirmed_address_gets_no_notice(app, f, desk):
    spouse = f.user("spouse", verified=False)
    case = f.assign(spouse, desk.adviser, "skills")
    client = logged_in(app, f, desk.adviser)
    _book_meeting(client, case.id, utcnow() + timedelta(days=1))
    assert f.outbox("case_meeting") == []


def test_a_cancelled_meeting_sends_a_cancel_for_the_same_event(app, f, desk):
    desk.spouse.email_updates = False  # a cancellation is essential, like the invitation
    db.session.commit()
    client = logged_in(app, f, desk.adviser)
    _book_meeting(client, desk.case.id, utcnow() + timedelta(days=4))
    (invitation,) = f.outbox("case_meeting")
    meeting = db.session.scalar(select(Activity).where(Activity.case_id == desk.case.id))
    with app.test_request_context():
        notices.meeting_cancelled(db.session.get(Case, desk.case.id), meeting)
    (cancelled,) = f.outbox("case_meeting_cancelled")
    calendar = _ics(cancelled)
    (event,) = calendar.walk("VEVENT")
    (booked,) = _ics(invitation).walk("VEVENT")
    assert str(calendar["method"]) == "CANCEL" and str(event["status"]) == "CANCELLED"
    assert str(event["uid"]) == str(booked["uid"]) and event["sequence"] > booked["sequence"]
    assert "is cancelled" in cancelled.body and SECRET_NOTE not in cancelled.body


def test_closing_a_case_cancels_its_meetings_ahead_in_the_spouses_calendar(app, f, desk):
    client = logged_in(app, f, desk.adviser)
    _book_meeting(client, desk.case.id, utcnow() + timedelta(days=6))
    (invitation,) = f.outbox("case_meeting")
    case = db.session.get(Case, desk.case.id)
    data = {"close-version": case.version, "close-outcome": "left_region"}
    assert client.post(f"/cases/{case.id}/close", data=data).status_code == 302
    (cancelled,) = f.outbox("case_meeting_cancelled")
    (event,) = _ics(cancelled).walk("VEVENT")
    (booked,) = _ics(invitation).walk("VEVENT")
    assert str(event["uid"]) == str(booked["uid"]) and str(event["status"]) == "CANCELLED"
    assert f.outbox("case_closed") and SECRET_NOTE not in cancelled.body
