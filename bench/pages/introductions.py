"""Introductions: the adviser's introduction page and a case's list, an employer's page and
its introductions, the spouse's proposals, and the employer's signed link."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bench.pages import Page, demo_user_id
from hiddengems.cases.models import Case
from hiddengems.introductions.models import Introduction, IntroductionEvent, IntroductionLink
from hiddengems.introductions.services import LINK_DAYS, _serializer
from hiddengems.timeutil import utcnow


def longest_history(session: Session) -> int:
    """The demo adviser's introduction with the most status changes."""
    stmt = (
        select(IntroductionEvent.introduction_id)
        .join(Introduction, Introduction.id == IntroductionEvent.introduction_id)
        .join(Case, Case.id == Introduction.case_id)
        .where(Case.adviser_id == demo_user_id(session, "adviser"))
        .group_by(IntroductionEvent.introduction_id)
        .order_by(func.count().desc(), IntroductionEvent.introduction_id)
        .limit(1)
    )
    return session.scalar(stmt)


def busiest_case(session: Session) -> int:
    """The demo adviser's case with the most introductions."""
    stmt = (
        select(Introduction.case_id)
        .join(Case, Case.id == Introduction.case_id)
        .where(Case.adviser_id == demo_user_id(session, "adviser"))
        .group_by(Introduction.case_id)
        .order_by(func.count().desc(), Introduction.case_id)
        .limit(1)
    )
    return session.scalar(stmt)


def most_introduced_employer(session: Session) -> int:
    stmt = (
        select(Introduction.employer_id)
        .group_by(Introduction.employer_id)
        .order_by(func.count().desc(), Introduction.employer_id)
        .limit(1)
    )
    return session.scalar(stmt)


def demo_spouse_proposal(session: Session) -> int:
    """The demo spouse's introduction waiting for their consent."""
    stmt = (
        select(Introduction.id)
        .join(Case, Case.id == Introduction.case_id)
        .where(Case.spouse_id == demo_user_id(session, "spouse"), Introduction.status == "consent_requested")
        .order_by(Introduction.id)
    )
    return session.scalar(stmt)


def employer_link(session: Session) -> str:
    """A signed link that works: the newest one of an introduction whose consent stands.
    The demo's links expire two weeks after they were sent; a cached database outlives
    that, so the newest is renewed (in the benchmark's copy) before it is timed."""
    stmt = (
        select(IntroductionLink)
        .join(Introduction, Introduction.id == IntroductionLink.introduction_id)
        .where(
            IntroductionLink.revoked_at.is_(None),
            Introduction.consented_at.is_not(None),
            Introduction.withdrawn_at.is_(None),
        )
        .order_by(IntroductionLink.created_at.desc(), IntroductionLink.id.desc())
        .limit(1)
    )
    link = session.scalar(stmt)
    if link.expires_at <= utcnow():
        session.execute(
            update(IntroductionLink)
            .where(IntroductionLink.id == link.id)
            .values(expires_at=utcnow() + timedelta(days=LINK_DAYS))
        )
        session.commit()
    return f"/introductions/shared/{_serializer().dumps({'l': link.id, 'n': link.nonce})}"


PAGES = [
    Page("adviser", "introduction page (longest history)", lambda s: f"/introductions/{longest_history(s)}"),
    Page("adviser", "introductions of a case", lambda s: f"/introductions/cases/{busiest_case(s)}"),
    Page(
        "adviser",
        "employer page with introductions (most introduced)",
        lambda s: f"/employers/{most_introduced_employer(s)}",
    ),
    Page(
        "adviser",
        "introductions of an employer (most introduced)",
        lambda s: f"/introductions/employers/{most_introduced_employer(s)}",
    ),
    Page("spouse", "my introductions", "/introductions/mine"),
    Page("spouse", "a proposal to consent to", lambda s: f"/introductions/{demo_spouse_proposal(s)}/proposal"),
    # Public: any login will do. Each opening is logged, so this times a write too.
    Page("adviser", "employer's signed link (logs the opening)", employer_link),
]
