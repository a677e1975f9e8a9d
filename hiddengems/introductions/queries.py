"""Reads of introductions for pages: one with its case, employer, opening and contact; a
case's and an employer's introductions; the history; the profile an employer is shown."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from sqlalchemy import Integer, Row, Select, bindparam, func, or_, select
from sqlalchemy.orm import joinedload

from hiddengems.auth.models import User
from hiddengems.cases.models import Case
from hiddengems.dbsetup import plain_rows
from hiddengems.employers.models import Employer, EmployerContact, Opening
from hiddengems.extensions import db
from hiddengems.intake.models import IntakeProfile, LanguageSkill, WorkExperience
from hiddengems.introductions.models import Introduction, IntroductionEvent, IntroductionLink, LinkOpening
from hiddengems.skills.models import CaseSkill, Skill
from hiddengems.ui.paging import Page, counted

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


def of_case(case_id: int) -> Sequence[Row]:
    """A case's introductions, newest first: plain rows of their id, status and last
    change, the employer's name and the opening's title (dbsetup.plain_rows)."""
    return plain_rows(db.session, _of_case_statement(), {"of_case_id": case_id})


@cache
def _of_case_statement() -> Select:
    """Built once (the case file and the spouse's home show it on every view): building it
    cost more than running it."""
    return (
        select(
            Introduction.id,
            Introduction.status,
            Introduction.updated_at,
            Employer.name.label("employer"),
            Opening.title.label("opening"),
        )
        .join(Employer, Employer.id == Introduction.employer_id)
        .outerjoin(Opening, Opening.id == Introduction.opening_id)
        .where(Introduction.case_id == bindparam("of_case_id", type_=Integer))
        .order_by(Introduction.created_at.desc(), Introduction.id.desc())
        .limit(LIST_LIMIT)
    )


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


# --- an employer's introductions, outcomes and contact history (the employer's page) ----


def _of_employer(employer_id: int):
    """The employer's introductions and those of the duplicates merged into it (looked up
    by the introductions' employer index, for the few employer ids)."""
    ids = select(Employer.id).where(or_(Employer.id == employer_id, Employer.merged_into_id == employer_id))
    return Introduction.employer_id.in_(ids)


def outcomes(employer_id: int) -> dict[str, int]:
    """How many of the employer's introductions stand at each status (one query)."""
    rows = db.session.execute(
        select(Introduction.status, func.count()).where(_of_employer(employer_id)).group_by(Introduction.status)
    )
    return dict(rows.all())


@dataclass
class EmployerIntroduction:
    """A row of an employer's introductions: with the spouse, the case's adviser, the
    opening, the contact person, and the employer's latest answer (its words and when)."""

    introduction: Introduction
    spouse: str
    adviser_id: int | None
    opening: str | None
    contact: str | None
    answer: str | None = None
    answered_at: datetime | None = None

    def visible_to(self, user) -> bool:
        """Whether ``user`` may see who the spouse is: as the case file (its adviser, a lead)."""
        return bool(user.is_lead or (self.adviser_id is not None and self.adviser_id == user.id))


def _answers():
    """The employer's answers (status changes no one in the team made), newest last."""
    return select(IntroductionEvent.introduction_id, IntroductionEvent.note, IntroductionEvent.at).where(
        IntroductionEvent.actor_id.is_(None)
    )


def of_employer(employer_id: int, *, page: int, per_page: int, total: int | None = None) -> Page:
    """One page of the employer's introductions, the latest change first: the total (unless
    given: the sum of ``outcomes``), the rows, the answers of the rows shown (three queries)."""
    where = _of_employer(employer_id)
    if total is None:
        total = db.session.scalar(select(func.count()).select_from(Introduction).where(where))

    def fetch(limit: int, offset: int) -> list[EmployerIntroduction]:
        rows = db.session.execute(
            select(Introduction, User.name, Case.adviser_id, Opening.title, EmployerContact.name)
            .join(Case, Case.id == Introduction.case_id)
            .join(User, User.id == Case.spouse_id)
            .outerjoin(Opening, Opening.id == Introduction.opening_id)
            .outerjoin(EmployerContact, EmployerContact.id == Introduction.contact_id)
            .where(where)
            .order_by(Introduction.updated_at.desc(), Introduction.id.desc())
            .limit(limit)
            .offset(offset)
        ).all()
        return [EmployerIntroduction(*row) for row in rows]

    shown = counted(fetch, total, page=page, per_page=per_page)
    # Also for an empty page: the same number of queries whatever the data.
    by_id = {row.introduction.id: row for row in shown.items}
    answers = _answers().where(IntroductionEvent.introduction_id.in_(by_id)).order_by(IntroductionEvent.id)
    for introduction_id, note, at in db.session.execute(answers):
        by_id[introduction_id].answer, by_id[introduction_id].answered_at = note, at
    return shown


@dataclass
class ContactHistory:
    """What went on with one contact person (removed ones too, for the history)."""

    contact: EmployerContact
    introductions: int
    links_sent: int
    last_sent: datetime | None
    answers: int
    last_answer: datetime | None


def contact_history(employer_id: int) -> list[ContactHistory]:
    """Per contact person of the employer: the introductions made through them, the links
    sent to them and when last, the answers received and when last (one query, from the
    employer's introductions: never a scan of all introductions per contact)."""
    mine = select(Introduction.id, Introduction.contact_id).where(_of_employer(employer_id)).subquery("mine")
    made = select(mine.c.contact_id, func.count().label("n")).group_by(mine.c.contact_id).subquery("made")
    sent = (
        select(mine.c.contact_id, func.count().label("n"), func.max(IntroductionLink.created_at).label("last"))
        .join(IntroductionLink, IntroductionLink.introduction_id == mine.c.id)
        .group_by(mine.c.contact_id)
        .subquery("sent")
    )
    answered = (
        select(mine.c.contact_id, func.count().label("n"), func.max(IntroductionEvent.at).label("last"))
        .join(IntroductionEvent, IntroductionEvent.introduction_id == mine.c.id)
        .where(IntroductionEvent.actor_id.is_(None))  # the employer's answers
        .group_by(mine.c.contact_id)
        .subquery("answered")
    )
    stmt = (
        select(
            EmployerContact,
            func.coalesce(made.c.n, 0),
            func.coalesce(sent.c.n, 0),
            sent.c.last,
            func.coalesce(answered.c.n, 0),
            answered.c.last,
        )
        .outerjoin(made, made.c.contact_id == EmployerContact.id)
        .outerjoin(sent, sent.c.contact_id == EmployerContact.id)
        .outerjoin(answered, answered.c.contact_id == EmployerContact.id)
        .where(EmployerContact.employer_id == employer_id)
        .order_by(EmployerContact.removed_at.is_not(None), EmployerContact.name, EmployerContact.id)
        .limit(LIST_LIMIT)
    )
    return [ContactHistory(*row) for row in db.session.execute(stmt)]
