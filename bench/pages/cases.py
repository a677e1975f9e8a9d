"""The case lists and the case file."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bench.pages import Page, busiest_case_of, demo_user_id, first_open_case_of
from hiddengems.cases.models import Activity, ActivityRevision


def most_corrected_entry(session: Session) -> str:
    """The correction page of the demo adviser's entry with the most earlier versions."""
    stmt = (
        select(Activity.case_id, Activity.id)
        .join(ActivityRevision, ActivityRevision.activity_id == Activity.id)
        .where(Activity.author_id == demo_user_id(session, "adviser"))
        .group_by(Activity.case_id, Activity.id)
        .order_by(func.count().desc(), Activity.id)
        .limit(1)
    )
    case_id, activity_id = session.execute(stmt).one()
    return f"/cases/{case_id}/activities/{activity_id}/edit"


PAGES = [
    Page("adviser", "my caseload", "/cases/"),
    Page("adviser", "caseload by last contact", "/cases/?sort=last_contact&desc=1"),
    Page("adviser", "intake queue", "/cases/queue"),
    Page("adviser", "intake queue by language", "/cases/queue?language=en"),
    Page("adviser", "registered, intake not yet submitted", "/cases/registered"),
    Page("adviser", "case file (longest timeline)", lambda s: f"/cases/{busiest_case_of(s, 'adviser')}"),
    Page("lead", "all cases", "/cases/all"),
    Page("lead", "all cases by days in stage", "/cases/all?sort=days&desc=1"),
    # Walked in value order until a page is full (hiddengems/cases/lists/columns.py).
    Page("lead", "all cases by last contact", "/cases/all?sort=last_contact&desc=1"),
    Page("lead", "all cases by next follow-up", "/cases/all?sort=next_due"),
    # Two aggregates over every open case, whatever the size of the team.
    Page("lead", "team workload", "/cases/team"),
    Page("lead", "all cases without contact for 30 days", "/cases/all?quiet=y"),
    Page("adviser", "close a case", lambda s: f"/cases/{first_open_case_of(s, 'adviser')}/close"),
    Page("adviser", "correct a timeline entry (most revised)", most_corrected_entry),
]
