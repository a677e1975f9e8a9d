"""A programme's participant list as CSV for the provider; a round's dates as iCalendar."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from flask_babel import gettext as _
from icalendar import Calendar, Event

from hiddengems.timeutil import utcnow
from hiddengems.training.labels import STATUS_LABELS
from hiddengems.training.models import Programme
from hiddengems.training.queries import Participant

# A cell a spreadsheet would read as a formula (CSV injection) starts with one of these.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def participants_csv(programme: Programme, people: list[Participant]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [_("Name"), _("E-mail"), _("Status"), _("Applied"), _("Enrolled"), _("Attended"), _("Certificate"), _("Grade")]
    )
    for person in people:
        e = person.enrolment
        writer.writerow(
            _cell(value)
            for value in (
                person.name,
                person.email,
                STATUS_LABELS[e.status],
                e.applied_at.date().isoformat() if e.applied_at else "",
                e.enrolled_at.date().isoformat() if e.enrolled_at else "",
                "" if e.attended is None else (_("yes") if e.attended else _("no")),
                e.certificate,
                e.grade,
            )
        )
    return out.getvalue()


def programme_calendar(programme: Programme, *, url: str) -> bytes:
    """One all-day event from the first to the last day (the schedule in its description)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Hidden Gems//training//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"programme-{programme.id}@hiddengems")
    event.add("dtstamp", utcnow())
    event.add("summary", programme.title)
    event.add("dtstart", programme.starts_on)
    # DTEND of an all-day event is the day after the last one (RFC 5545).
    event.add("dtend", (programme.ends_on or programme.starts_on) + timedelta(days=1))
    place = _("Online") if programme.online and not programme.place else programme.place
    if place:
        event.add("location", place)
    event.add("description", "\n".join(part for part in (programme.schedule, programme.provider, url) if part))
    event.add("url", url)
    calendar.add_component(event)
    return calendar.to_ical()
