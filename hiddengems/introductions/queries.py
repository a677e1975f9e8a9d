"""Reads of introductions for pages: one with its case, employer, opening and contact; a
case's and an employer's introductions; the history; the profile an employer is shown."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from hiddengems.auth.models import User
from hiddengems.cases.models import Case
from hiddengems.employers.models import Employer, Opening
from hiddengems.extensions import db
from hiddengems.intake.models import IntakeProfile, LanguageSkill, WorkExperience
from hiddengems.introductions.models import Introduction, IntroductionEvent, IntroductionLink, LinkOpening
from hiddengems.skills.models import CaseSkill, Skill

LIST_LIMIT = 200


def load_introduction(introduction_id: int) -> Introduction | None:
    """An introduction with its case (and spouse), employer, opening and contact: one query."""
    stmt = (
        select(Introduction)
        .where(Introduction.id == introduction_id)
        .options(
            joinedload(Introduction.case).joinedload(Case.spouse),
            joinedload(Introduction.employer),
            joinedload(Introduction.opening),
            joinedload(Introduction.contact),
        )
    )
    return db.session.scalar(stmt)


def history(introduction_id: int) -> list[tuple[IntroductionEvent, str | None]]:
    """The status changes, oldest first, with who made them (None: the employer)."""
    rows = db.session.execute(
        select(IntroductionEvent, User.name)
        .outerjoin(User, User.id == IntroductionEvent.actor_id)
        .where(IntroductionEvent.introduction_id == introduction_id)
        .order_by(IntroductionEvent.id)
    )
    return [tuple(row) for row in rows]


def links(introduction_id: int) -> list[tuple[IntroductionLink, int]]:
    """The links sent, newest first, with how many times each was opened."""
    opened = (
        select(func.count())
        .where(LinkOpening.link_id == IntroductionLink.id, LinkOpening.outcome == "shown")
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(IntroductionLink, opened)
        .where(IntroductionLink.introduction_id == introduction_id)
        .order_by(IntroductionLink.id.desc())
    )
    return [tuple(row) for row in rows]


def of_case(case_id: int) -> list[tuple[Introduction, str, str | None]]:
    """A case's introductions, newest first, with the employer's name and the opening's title."""
    rows = db.session.execute(
        select(Introduction, Employer.name, Opening.title)
        .join(Employer, Employer.id == Introduction.employer_id)
        .outerjoin(Opening, Opening.id == Introduction.opening_id)
        .where(Introduction.case_id == case_id)
        .order_by(Introduction.created_at.desc(), Introduction.id.desc())
        .limit(LIST_LIMIT)
    )
    return [tuple(row) for row in rows]


@dataclass
class SharedProfile:
    """What an employer is shown. Blind: no name, photo, nationality, age or contacts."""

    skills: list[tuple[str, bool]] = field(default_factory=list)  # label, validated
    languages: list[tuple[str, str]] = field(default_factory=list)  # code, CEFR level
    education_level: int | None = None
    experience_years: int = 0
    name: str | None = None
    email: str | None = None


def shared_profile(case_id: int, *, named: bool) -> SharedProfile:
    """The profile in four queries: skills, languages, education and experience, the name."""
    shared = SharedProfile()
    shared.skills = [
        (label, validated)
        for label, validated in db.session.execute(
            select(Skill.preferred_label, CaseSkill.validated_at.is_not(None))
            .join(Skill, Skill.id == CaseSkill.skill_id)
            .where(CaseSkill.case_id == case_id)
            .order_by(CaseSkill.validated_at.is_(None), Skill.preferred_label)
        )
    ]
    shared.languages = [
        (code, level)
        for code, level in db.session.execute(
            select(LanguageSkill.language, LanguageSkill.level)
            .join(IntakeProfile, IntakeProfile.id == LanguageSkill.profile_id)
            .where(IntakeProfile.case_id == case_id)
            .order_by(LanguageSkill.position)
        )
    ]
    row = db.session.execute(
        select(IntakeProfile.education_level, func.coalesce(func.sum(WorkExperience.years), 0))
        .outerjoin(WorkExperience, WorkExperience.profile_id == IntakeProfile.id)
        .where(IntakeProfile.case_id == case_id)
        .group_by(IntakeProfile.id)
    ).first()
    if row is not None:
        shared.education_level, shared.experience_years = row[0], int(row[1])
    if named:
        person = db.session.execute(
            select(User.name, User.email).join(Case, Case.spouse_id == User.id).where(Case.id == case_id)
        ).one()
        shared.name, shared.email = person
    return shared
