"""Introductions' reminder kind: "introduction without a status change for N days".

Registered into the reminders engine (hiddengems/reminders/kinds.py, a lower layer that
never imports introductions) when panels.py is imported at startup. The anchor is the
last status change of an introduction that has not ended (hired, declined, withdrawn, no
response) on an open case: each introduction's last change is its own occasion, so a
change of status starts the count again, and an introduction left alone fires once. Two
introductions of one case last changed on the same day make one reminder.
"""

from __future__ import annotations

from sqlalchemy import select

from hiddengems.cases.models import Case
from hiddengems.introductions.models import ENDED, Introduction
from hiddengems.reminders.kinds import Kind, register
from hiddengems.ui.words import lazy_gettext as _l
from hiddengems.vocab import one_of

CODE = "introduction_stalled"

KIND = Kind(
    CODE,
    _l("Introduction without a status change"),
    "event",
    _l(
        "Counts from the last status change of an introduction under way (not hired, declined, withdrawn or without"
        " response) on an open case."
    ),
)

DEFAULT = {
    "key": CODE,
    "name": "Introduction standing still",
    "kind": CODE,
    "days": 14,
    "follow_up_title": "No change in an introduction for {days} days: ask the employer or the spouse",
}


def last_changes(case_id: int | None = None):
    """SELECT case_id, anchor: every (case, last status change) of an introduction under
    way; for one case, its latest first (the case's "why" page reads one)."""
    query = (
        select(Introduction.case_id.label("case_id"), Introduction.updated_at.label("anchor"))
        .join(Case, Case.id == Introduction.case_id)
        .where(~one_of(Introduction.status, ENDED), ~one_of(Case.stage, ["closed"]))
    )
    if case_id is None:
        return query
    return query.where(Introduction.case_id == case_id).order_by(Introduction.updated_at.desc())


register(KIND, last_changes, default=DEFAULT)
