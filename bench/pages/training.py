"""Training: the catalogue, a programme's page, recommendations, the participant list."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bench.pages import Page, first_open_case_of
from hiddengems.training.models import Enrolment


def busiest_programme(session: Session) -> int:
    """The programme with the longest participant list."""
    stmt = select(Enrolment.programme_id).group_by(Enrolment.programme_id).order_by(func.count().desc()).limit(1)
    return session.scalar(stmt)


PAGES = [
    Page("spouse", "training catalogue", "/training/programmes"),
    Page("adviser", "training catalogue with past rounds", "/training/programmes?include_past=y"),
    Page("spouse", "training programme page (busiest)", lambda s: f"/training/programmes/{busiest_programme(s)}"),
    Page("adviser", "training programme page (busiest)", lambda s: f"/training/programmes/{busiest_programme(s)}"),
    Page("spouse", "training recommendations", "/training/recommendations"),
    Page(
        "adviser",
        "training recommendations for a case",
        lambda s: f"/training/cases/{first_open_case_of(s, 'adviser')}/recommendations",
    ),
    Page(
        "adviser",
        "training participant list (busiest)",
        lambda s: f"/training/programmes/{busiest_programme(s)}/participants",
    ),
]
