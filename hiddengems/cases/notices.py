"""E-mails to a participant about their case, through the outbox: a meeting booked (with an
.ics invitation), a follow-up shared with them, the case closed or reopened.

What an adviser writes never goes into an e-mail: the message says what happened and
links to the participant's page, where they read it after logging in. A participant may
turn off the non-essential ones (account settings); meeting invitations are essential —
they are how the participant learns when to come — and go whatever that choice says.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from email.utils import parseaddr

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from hiddengems.auth.models import User
from hiddengems.cases.models import Activity, Case
from hiddengems.extensions import db
from hiddengems.mail.models import OutboxMessage
from hiddengems.mail.services import public_url, queue
from hiddengems.timeutil import HELSINKI, utcnow
from hiddengems.ui.formatting import babel_locale, date_for, datetime_for

# What the participant's account settings let them turn off; every other kind always goes.
OPTIONAL_KINDS = frozenset({"case_follow_up_shared", "case_closed", "case_reopened"})
MEETING_LENGTH = timedelta(minutes=60)  # when the adviser gave no duration


def _spouse(case: Case) -> User | None:
    spouse = db.session.get(User, case.spouse_id)
    if spouse is None or not spouse.active or spouse.email_verified_at is None:
        return None  # an unconfirmed address is not written to (it may be someone else's)
    return spouse


def _notify(case: Case, kind: str, words: Callable[[User], tuple[str, str]], **extra) -> OutboxMessage | None:
    """Queue one notice; ``words`` gives its subject and first line, in the participant's
    language (called inside it)."""
    spouse = _spouse(case)
    if spouse is None or (kind in OPTIONAL_KINDS and not spouse.email_updates):
        return None
    with force_locale(babel_locale(spouse.preferred_language)):
        subject, lead = words(spouse)
        return queue(
            spouse.email,
            subject,
            "case_notice",
            kind=kind,
            user_id=spouse.id,
            name=spouse.name,
            lead=lead,
            home_url=public_url("main.spouse_home"),
            account_url=public_url("auth.account"),
            optional=kind in OPTIONAL_KINDS,
            **extra,
        )


def meeting_invitation(activity: Activity, *, spouse: User, adviser: User | None, cancel: bool = False) -> str:
    """The meeting as an iCalendar invitation (METHOD:REQUEST): its time in Europe/Helsinki
    with the zone's definition, the adviser as organiser, no note text. ``cancel``: the
    same event (same UID, a later SEQUENCE) as METHOD:CANCEL, which calendars remove."""
    calendar = Calendar()
    calendar.add("prodid", "-//Hidden Gems//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    event = Event()
    domain = parseaddr(current_app.config["MAIL_FROM"])[1].rpartition("@")[2] or "hiddengems.invalid"
    event.add("uid", f"meeting-{activity.id}@{domain}")
    event.add("dtstamp", utcnow())
    start = activity.occurred_at.astimezone(HELSINKI)
    length = timedelta(minutes=activity.duration_minutes) if activity.duration_minutes else MEETING_LENGTH
    event.add("dtstart", start)
    event.add("dtend", start + length)
    event.add("summary", _("Meeting with your Hidden Gems adviser"))
    event.add("description", _("The details are on your page: %(url)s", url=public_url("main.spouse_home")))
    event.add("sequence", 1 if cancel else 0)
    if cancel:
        event.add("status", "CANCELLED")
    if adviser is not None:
        organizer = vCalAddress(f"mailto:{adviser.email}")
        organizer.params["cn"] = vText(adviser.name)
        event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{spouse.email}")
    attendee.params["cn"] = vText(spouse.name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["rsvp"] = vText("FALSE")
    event.add("attendee", attendee)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


def meeting_booked(case: Case, activity: Activity) -> OutboxMessage | None:
    """An invitation for a meeting ahead (essential: sent whatever the participant chose)."""
    return _meeting_notice(
        case,
        activity,
        "case_meeting",
        lambda when: (
            _("Your adviser booked a meeting with you"),
            _(
                "Your adviser booked a meeting with you on %(when)s (Finnish time). The invitation is attached"
                " for your calendar; the details are on your page.",
                when=when,
            ),
        ),
    )


def meeting_cancelled(case: Case, activity: Activity) -> OutboxMessage | None:
    """The cancellation of a meeting ahead that was announced (essential, like the
    invitation): its .ics removes the event from the participant's calendar. For whoever
    cancels meetings (closing a case cancels the ones ahead)."""
    return _meeting_notice(
        case,
        activity,
        "case_meeting_cancelled",
        lambda when: (
            _("Your meeting with your adviser is cancelled"),
            _("Your meeting with your adviser on %(when)s (Finnish time) is cancelled.", when=when),
        ),
        cancel=True,
    )


def _meeting_notice(case: Case, activity: Activity, kind: str, words, *, cancel: bool = False) -> OutboxMessage | None:
    """A meeting ahead's notice with its .ics (REQUEST, or CANCEL for the same event);
    ``words(when)`` gives the subject and body, ``when`` in the spouse's language."""
    if activity.kind != "meeting" or activity.occurred_at <= utcnow():
        return None
    spouse = _spouse(case)
    if spouse is None:
        return None
    adviser = db.session.get(User, activity.author_id) if activity.author_id else None
    with force_locale(babel_locale(spouse.preferred_language)):
        ics = meeting_invitation(activity, spouse=spouse, adviser=adviser, cancel=cancel)
    when = datetime_for(activity.occurred_at, spouse.preferred_language)
    method = "CANCEL" if cancel else "REQUEST"
    return _notify(
        case,
        kind,
        lambda _spouse: words(when),
        attachments=[{"filename": "meeting.ics", "content_type": f"text/calendar; method={method}", "content": ics}],
    )


def follow_up_shared(case: Case, *, due_on: date) -> OutboxMessage | None:
    """A follow-up the adviser shared: its due day, not its title (the page shows that)."""
    return _notify(
        case,
        "case_follow_up_shared",
        lambda spouse: (
            _("Your adviser shared a next step with you"),
            _(
                "Your adviser shared a next step with you, due %(day)s. Read it on your page.",
                day=date_for(due_on, spouse.preferred_language),
            ),
        ),
    )


def case_closed(case: Case) -> OutboxMessage | None:
    return _notify(
        case,
        "case_closed",
        lambda _spouse: (
            _("Your case in the Hidden Gems programme is closed"),
            _("Your adviser closed your case in the programme. Your page still shows how to reach the team."),
        ),
    )


def case_reopened(case: Case) -> OutboxMessage | None:
    return _notify(
        case,
        "case_reopened",
        lambda _spouse: (
            _("Your case in the Hidden Gems programme is open again"),
            _("Your adviser reopened your case in the programme. Your page shows where you are and what comes next."),
        ),
    )
