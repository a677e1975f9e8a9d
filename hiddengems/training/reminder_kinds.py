"""Training's reminder kind: "training ended → record the result N days later".

Registered into the reminders engine (hiddengems/reminders/kinds.py, a lower layer that
never imports training) when panels.py is imported at startup. The anchor is the end date
of a programme the spouse is enrolled in (not completed, dropped or cancelled) on an open
case: a date, so a rule may also fire before it. Each programme's end is its own occasion,
so the rule fires once per programme a case takes (two programmes ending on the same day
make one reminder: one result meeting for both).
"""

from __future__ import annotations

from sqlalchemy import select

from hiddengems.cases.models import Case
from hiddengems.reminders.kinds import Kind, register
from hiddengems.training.models import Enrolment, Programme
from hiddengems.ui.words import lazy_gettext as _l
from hiddengems.vocab import one_of

CODE = "training_ended"

KIND = Kind(
    CODE,
    _l("Training ended: record the result"),
    "date",
    _l("Counts from the end date of a programme the spouse is enrolled in (not yet completed or dropped)."),
)

DEFAULT = {
    "key": CODE,
    "name": "Training ended",
    "kind": CODE,
    "days": 7,
    "follow_up_title": "Training ended {days} days ago: record the result",
}


def training_ends(case_id: int | None = None):
    """SELECT case_id, anchor: every (case, end date) of a programme it is enrolled in;
    for one case, its latest end first (the case's "why" page reads one)."""
    query = (
        select(Enrolment.case_id.label("case_id"), Programme.ends_on.label("anchor"))
        .join(Programme, Programme.id == Enrolment.programme_id)
        .join(Case, Case.id == Enrolment.case_id)
        .where(one_of(Enrolment.status, ["enrolled"]), Programme.ends_on.is_not(None), ~one_of(Case.stage, ["closed"]))
        .distinct()
    )
    if case_id is None:
        return query
    return query.where(Enrolment.case_id == case_id).order_by(Programme.ends_on.desc())


register(KIND, training_ends, default=DEFAULT)
