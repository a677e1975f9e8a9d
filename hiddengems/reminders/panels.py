"""What the reminders domain shows on other domains' pages: its panels (hiddengems/ui/panels.py)
and the next follow-up in the case lists (hiddengems/cases/lists/columns.py)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, cast, exists, func, null, or_, select
from sqlalchemy.orm import aliased

from hiddengems.cases.lists import Column, Walk, register_column, register_filter
from hiddengems.cases.models import Case
from hiddengems.reminders import queries
from hiddengems.reminders.forms import FollowUpForm
from hiddengems.reminders.models import FollowUp
from hiddengems.ui.fragments import form_html
from hiddengems.ui.panels import panel


@panel("case_file", "reminders/_panel_case_file.html", order=10, column="side")
def case_follow_ups(case, can_edit: bool, given: dict, today, **_) -> dict:
    given_form = given.get("follow_up_form")
    html = None
    if can_edit:  # an empty form is the same on every case: kept (ui/fragments.py)
        html = form_html(
            "reminders/_follow_up_fields.html", given_form, lambda: FollowUpForm(formdata=None, prefix="follow_up")
        )
    return {
        "case_id": case.id,
        "follow_ups": queries.open_follow_ups(case.id),
        "form_html": html,
        "form_open": bool(given_form is not None and given_form.errors),
        "can_edit": can_edit,
        "today": today,
    }


@panel("case_close", "reminders/_panel_case_close.html", order=10)
def follow_ups_to_cancel(case, today, **_) -> dict:
    """What closing the case will cancel: its open follow-ups (kept, marked cancelled)."""
    return {"follow_ups": queries.open_follow_ups(case.id), "today": today}


@panel("spouse_home", "reminders/_panel_spouse_home.html", order=10, column="side")
def spouse_to_do(case, today, **_) -> dict | None:
    """What an adviser marked as concerning the spouse, never an internal one."""
    if case is None:
        return None
    return {"follow_ups": queries.spouse_follow_ups(case.id), "today": today}


@panel("adviser_desk", "reminders/_panel_adviser_desk.html", order=50)
def next_follow_ups(user, today, **_) -> dict:
    return {"follow_ups": queries.due_follow_ups(user.id), "today": today, "is_lead": user.is_lead}


# --- the case lists: the next follow-up, and "only with overdue follow-ups" ----------------

_OPEN = aliased(FollowUp, name="open_follow_up")
_EARLIER = aliased(FollowUp, name="earlier")


def next_follow_up_expr():
    return (
        select(func.min(FollowUp.due_on))
        .where(FollowUp.case_id == Case.id, FollowUp.done_at.is_(None))
        .correlate(Case)
        .scalar_subquery()
    )


def overdue_clause(today: date):
    return exists().where(FollowUp.case_id == Case.id, FollowUp.done_at.is_(None), FollowUp.due_on < today)


def _by_next_follow_up(where: list, *, descending: bool, tie_desc: bool) -> Walk:
    """Walk the open follow-ups by due date (ix_follow_up_open_due), keeping each case's
    earliest (ties on ``due_on`` go to the lower id, so each case has one)."""
    follow_up, earlier = _OPEN, _EARLIER
    earliest = ~exists().where(
        earlier.case_id == follow_up.case_id,
        earlier.done_at.is_(None),
        or_(earlier.due_on < follow_up.due_on, and_(earlier.due_on == follow_up.due_on, earlier.id < follow_up.id)),
    )
    due = follow_up.due_on.desc() if descending else follow_up.due_on.asc()
    tie = follow_up.case_id.desc() if tie_desc else follow_up.case_id.asc()
    valued = (
        select(follow_up.case_id.label("id"), follow_up.due_on.label("sort_key"))
        .where(follow_up.done_at.is_(None), exists().where(Case.id == follow_up.case_id, *where), earliest)
        .order_by(due, tie)
    )
    none = ~exists().where(FollowUp.case_id == Case.id, FollowUp.done_at.is_(None))
    valueless = select(Case.id, cast(null(), FollowUp.due_on.type).label("sort_key")).where(*where, none)
    return Walk(valued, valueless.order_by(Case.id.desc() if tie_desc else Case.id))


register_column(Column("next_due", "next_follow_up_on", next_follow_up_expr, _by_next_follow_up))
register_filter("overdue", overdue_clause)
