"""Participants with a history in the past: the dashboard counts as of the end of
yesterday, so what happens today is not in it yet."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update

from hiddengems.auth.models import User
from hiddengems.cases.models import Case, CaseOutcome, StageChange
from hiddengems.cases.services import change_stage
from hiddengems.extensions import db
from hiddengems.reports.periods import month_start_utc
from tests import factories as f


def at(month: tuple[int, int], day: int = 10) -> datetime:
    """Noon of a day of a month (Helsinki), in UTC."""
    return month_start_utc(month) + timedelta(days=day - 1, hours=12)


def participant(
    organisation,
    registered: datetime,
    path: tuple[str, ...] = (),
    *,
    outcome: str | None = None,
    closed: datetime | None = None,
    verified: bool = True,
    name: str | None = None,
) -> User:
    """A spouse registered at ``registered`` who went through ``path`` a day a step, and
    closed (at ``closed``, or a day after the last step) when ``outcome`` is given."""
    spouse = f.user("spouse", organisation=organisation, verified=verified, name=name)
    case = f.case_of(spouse)
    db.session.execute(update(Case).where(Case.id == case.id).values(created_at=registered))
    db.session.execute(update(StageChange).where(StageChange.case_id == case.id).values(at=registered))
    if verified:
        db.session.execute(update(User).where(User.id == spouse.id).values(email_verified_at=registered))
    db.session.refresh(case)
    when = registered
    for stage in path:
        when += timedelta(days=1)
        change_stage(case, stage, actor=None, at=when)
    if outcome:
        case.outcome = outcome
        change = change_stage(case, "closed", actor=None, at=closed or when + timedelta(days=1))
        db.session.add(CaseOutcome(case_id=case.id, stage_change_id=change.id, outcome=outcome))
    db.session.commit()
    return spouse


def cohort(organisation, n: int, registered: datetime, path: tuple[str, ...] = (), **kwargs) -> list[User]:
    return [participant(organisation, registered, path, **kwargs) for _ in range(n)]


def figures(page: str, table: str) -> list[str]:
    """The figures of one table on a page, row by row, as written."""
    import re

    html = re.search(rf'<table[^>]*id="table-{table}".*?</table>', page, re.S).group(0)
    return re.findall(r'<td class="figure-cell[^"]*">([^<]*)</td>', html)
