"""Employers: the directory, an employer's page, an opening's page and both ranked lists."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bench.pages import Page, first_open_case_of
from hiddengems.employers.models import Opening, OpeningSkill


def busiest_employer(session: Session) -> int:
    """The employer with the most openings."""
    stmt = select(Opening.employer_id).group_by(Opening.employer_id).order_by(func.count().desc()).limit(1)
    return session.scalar(stmt)


def widest_opening(session: Session) -> int:
    """The open opening asking for the most skills: the most spouses to rank."""
    stmt = (
        select(OpeningSkill.opening_id)
        .join(Opening, Opening.id == OpeningSkill.opening_id)
        .where(Opening.status == "open")
        .group_by(OpeningSkill.opening_id)
        .order_by(func.count().desc(), OpeningSkill.opening_id)
        .limit(1)
    )
    return session.scalar(stmt)


PAGES = [
    Page("adviser", "employer directory", "/employers"),
    Page("adviser", "employer directory search", "/employers?q=oy&city=Tampere"),
    Page("adviser", "employer page (most openings)", lambda s: f"/employers/{busiest_employer(s)}"),
    Page("adviser", "opening page", lambda s: f"/employers/openings/{widest_opening(s)}"),
    Page("adviser", "spouses ranked for an opening", lambda s: f"/employers/openings/{widest_opening(s)}/matches"),
    Page(
        "adviser",
        "openings ranked for a case",
        lambda s: f"/employers/cases/{first_open_case_of(s, 'adviser')}/openings",
    ),
    Page("spouse", "considered for openings", "/employers/considered"),
]
