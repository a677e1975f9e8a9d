"""The skills pages: the profile (with the no-JavaScript picker's search), the gap view, the
printable profile and the picker's JSON search. The taxonomy is the demo's (the starter);
the search at ESCO's full size is timed by ``python -m bench.skills``."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bench.pages import Page, demo_user_id
from hiddengems.cases.models import Case
from hiddengems.skills.models import CaseSkill


def spouse_case(session: Session) -> int:
    return session.scalar(select(Case.id).where(Case.spouse_id == demo_user_id(session, "spouse")))


def largest_profile_of(session: Session, role: str) -> int:
    """The adviser's case with the most skills (then the lowest id): the heaviest profile they open."""
    stmt = (
        select(CaseSkill.case_id)
        .join(Case, Case.id == CaseSkill.case_id)
        .where(Case.adviser_id == demo_user_id(session, role))
        .group_by(CaseSkill.case_id)
        .order_by(func.count().desc(), CaseSkill.case_id)
        .limit(1)
    )
    return session.scalar(stmt)


PAGES = [
    Page("spouse", "skills profile", lambda s: f"/cases/{spouse_case(s)}/skills"),
    Page("spouse", "skills profile, picker search", lambda s: f"/cases/{spouse_case(s)}/skills?skill_q=data"),
    Page("spouse", "skills gap view", lambda s: f"/cases/{spouse_case(s)}/skills/gap"),
    Page("spouse", "skill search JSON", "/skills/search.json?kind=skill&q=manage"),
    Page("spouse", "occupation search JSON", "/skills/search.json?kind=occupation&q=teacher"),
    Page("adviser", "skills profile (largest)", lambda s: f"/cases/{largest_profile_of(s, 'adviser')}/skills"),
    Page("adviser", "skills gap view (largest)", lambda s: f"/cases/{largest_profile_of(s, 'adviser')}/skills/gap"),
    Page("adviser", "printable skills profile", lambda s: f"/cases/{largest_profile_of(s, 'adviser')}/skills/print"),
    Page("adviser", "skill search JSON, contains", "/skills/search.json?kind=skill&q=script"),
]
