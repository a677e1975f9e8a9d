"""Reads of the catalogue and enrolments for pages: the catalogue, a programme with its
places, a spouse's programmes, a programme's participants."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import Integer, Row, Select, bindparam, func, or_, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import joinedload, selectinload

from hiddengems.auth.models import User
from hiddengems.cases.models import Case
from hiddengems.dbsetup import plain_rows
from hiddengems.extensions import db
from hiddengems.intake.models import IntakeProfile, LanguageSkill
from hiddengems.training.models import ACTIVE, Enrolment, Programme, ProgrammeSkill
from hiddengems.ui.paging import Page, paginate
from hiddengems.vocab import CEFR_LEVELS, one_of

HISTORY_LIMIT = 50
PARTICIPANT_LIMIT = 500


@dataclass(frozen=True)
class CatalogueFilters:
    q: str = ""
    kind: str = ""
    language: str = ""
    starts_after: date | None = None
    starts_before: date | None = None
    include_past: bool = False  # advisers: past and closed rounds too


def catalogue_statement(filters: CatalogueFilters, *, today: date, spouse: bool) -> Select:
    stmt = select(Programme)
    if spouse or not filters.include_past:
        stmt = stmt.where(or_(Programme.ends_on.is_(None), Programme.ends_on >= today))
    if spouse:
        stmt = stmt.where(Programme.open_for_signup.is_(True))
    if filters.kind:
        stmt = stmt.where(Programme.kind == filters.kind)
    if filters.language:
        stmt = stmt.where(Programme.language == filters.language)
    if filters.starts_after:
        stmt = stmt.where(Programme.starts_on >= filters.starts_after)
    if filters.starts_before:
        stmt = stmt.where(Programme.starts_on <= filters.starts_before)
    if filters.q:
        words = filters.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = f"%{words}%"
        stmt = stmt.where(
            or_(
                Programme.title.ilike(like, escape="\\"),
                Programme.provider.ilike(like, escape="\\"),
                Programme.description.ilike(like, escape="\\"),
            )
        )
    # Upcoming first; ongoing programmes (no start) after the dated ones.
    return stmt.order_by(Programme.starts_on.is_(None), Programme.starts_on, Programme.id)


def catalogue(filters: CatalogueFilters, *, today: date, spouse: bool, page: int, per_page: int) -> Page:
    """One page of programmes: the rows and the total, two queries."""
    return paginate(catalogue_statement(filters, today=today, spouse=spouse), page=page, per_page=per_page)


def load_programme(programme_id: int) -> Programme | None:
    """A programme with the skills it teaches (two queries)."""
    stmt = select(Programme).where(Programme.id == programme_id).options(selectinload(Programme.skills))
    return db.session.scalar(stmt)


def waitlist_length(programme_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Enrolment)
        .where(Enrolment.programme_id == programme_id, Enrolment.status == "waitlisted")
    )


def waitlist_place(enrolment: Enrolment) -> int | None:
    """1 for the first on the waitlist …; None when not waitlisted."""
    if enrolment.status != "waitlisted":
        return None
    earlier = db.session.scalar(
        select(func.count())
        .select_from(Enrolment)
        .where(
            Enrolment.programme_id == enrolment.programme_id,
            Enrolment.status == "waitlisted",
            or_(
                Enrolment.waitlisted_at < enrolment.waitlisted_at,
                (Enrolment.waitlisted_at == enrolment.waitlisted_at) & (Enrolment.id < enrolment.id),
            ),
        )
    )
    return earlier + 1


def enrolment_of(case_id: int, programme_id: int) -> Enrolment | None:
    stmt = select(Enrolment).where(Enrolment.case_id == case_id, Enrolment.programme_id == programme_id)
    return db.session.scalar(stmt)


def load_enrolment(enrolment_id: int) -> Enrolment | None:
    """An enrolment with its case (which answers who may see and change it) and programme."""
    stmt = (
        select(Enrolment)
        .where(Enrolment.id == enrolment_id)
        .options(joinedload(Enrolment.case), joinedload(Enrolment.programme))
    )
    return db.session.scalar(stmt)


def history(case_id: int, *, limit: int = HISTORY_LIMIT) -> Sequence[Row]:
    """A spouse's programmes, the ones in progress first, then the latest: plain rows of
    what the case file and the spouse's home show (dbsetup.plain_rows)."""
    return plain_rows(db.session, _history_statement(), {"history_case_id": case_id, "history_limit": limit})


@cache
def _history_statement() -> Select:
    """Built once (the case file and the spouse's home show it on every view)."""
    return (
        select(
            Enrolment.id,
            Enrolment.status,
            Enrolment.programme_id,
            Enrolment.note,
            Enrolment.certificate,
            Enrolment.grade,
            Enrolment.updated_at,
            Programme.title.label("programme_title"),
            Programme.starts_on.label("programme_starts_on"),
        )
        .join(Programme, Programme.id == Enrolment.programme_id)
        .where(Enrolment.case_id == bindparam("history_case_id", type_=Integer))
        .order_by(one_of(Enrolment.status, ACTIVE).desc(), Enrolment.updated_at.desc(), Enrolment.id.desc())
        .limit(bindparam("history_limit", type_=Integer))
    )


@dataclass(frozen=True)
class Participant:
    enrolment: Enrolment
    name: str
    email: str
    adviser_id: int | None
    case_id: int


def participants(programme_id: int, *, limit: int = PARTICIPANT_LIMIT) -> list[Participant]:
    """Everyone with an enrolment, by status (enrolled, then the waitlist in its order …),
    one query."""
    order = {status: i for i, status in enumerate(("enrolled", "waitlisted", "applied", "completed", "recommended"))}
    status_rank = sql_case(order, value=Enrolment.status, else_=len(order))
    rows = db.session.execute(
        select(Enrolment, User.name, User.email, Case.adviser_id, Case.id)
        .join(Case, Case.id == Enrolment.case_id)
        .join(User, User.id == Case.spouse_id)
        .where(Enrolment.programme_id == programme_id)
        .order_by(status_rank, Enrolment.waitlisted_at, Enrolment.applied_at, Enrolment.id)
        .limit(limit)
    )
    return [Participant(e, name, email, adviser_id, case_id) for e, name, email, adviser_id, case_id in rows]


def spouse_levels(case_id: int) -> dict[str, str]:
    """The spouse's language levels from their intake (language code -> CEFR code)."""
    rows = db.session.execute(
        select(LanguageSkill.language, LanguageSkill.level)
        .join(IntakeProfile, IntakeProfile.id == LanguageSkill.profile_id)
        .where(IntakeProfile.case_id == case_id)
    )
    return dict(rows.all())


def meets(level: str | None, minimum: str | None) -> bool:
    if not minimum:
        return True
    return level in CEFR_LEVELS and CEFR_LEVELS.index(level) >= CEFR_LEVELS.index(minimum)


def language_shortfalls(programme: Programme, levels: dict[str, str]) -> list[tuple[str, str, str | None]]:
    """The minimum levels the spouse does not meet: (language, needed, theirs or None)."""
    short = []
    for language, minimum in (("fi", programme.min_finnish), ("en", programme.min_english)):
        if not meets(levels.get(language), minimum):
            short.append((language, minimum, levels.get(language)))
    return short


def programme_skill_ids(programme_ids: list[int]) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {i: set() for i in programme_ids}
    if programme_ids:
        rows = db.session.execute(
            select(ProgrammeSkill.programme_id, ProgrammeSkill.skill_id).where(
                ProgrammeSkill.programme_id.in_(programme_ids)
            )
        )
        for programme_id, skill_id in rows:
            found[programme_id].add(skill_id)
    return found


def skills_from_lines(lines: list[str]) -> tuple[list[int], list[str]]:
    """The current skills named by these lines (a preferred label, any case, or a URI),
    and the lines that name none, in one query."""
    from hiddengems.skills.models import Skill

    if not lines:
        return [], []
    folded = {line.casefold() for line in lines}
    rows = db.session.execute(
        select(Skill.id, Skill.uri, Skill.preferred_label).where(
            Skill.obsolete.is_(False),
            or_(Skill.uri.in_(lines), func.lower(Skill.preferred_label).in_(folded)),
        )
    ).all()
    by_name = {label.casefold(): skill_id for skill_id, _uri, label in rows} | {
        uri: skill_id for skill_id, uri, _ in rows
    }
    ids = [by_name.get(line, by_name.get(line.casefold())) for line in lines]
    unknown = [line for line, skill_id in zip(lines, ids, strict=True) if skill_id is None]
    return sorted({i for i in ids if i is not None}), unknown


def caseload_choices(adviser_id: int) -> list[tuple[str, str]]:
    """The adviser's open cases, by spouse name, for recommending a programme."""
    rows = db.session.execute(
        select(Case.id, User.name)
        .join(User, User.id == Case.spouse_id)
        .where(Case.adviser_id == adviser_id, Case.stage != "closed")
        .order_by(User.name, Case.id)
        .limit(PARTICIPANT_LIMIT)
    )
    return [(str(case_id), name) for case_id, name in rows]


def waiting_for(adviser_id: int, *, limit: int = 10) -> list[tuple[Enrolment, str]]:
    """Applications in the adviser's cases waiting for their confirmation, the oldest first."""
    rows = db.session.execute(
        select(Enrolment, User.name)
        .join(Case, Case.id == Enrolment.case_id)
        .join(User, User.id == Case.spouse_id)
        .where(Case.adviser_id == adviser_id, Enrolment.status == "applied")
        .options(joinedload(Enrolment.programme))
        .order_by(Enrolment.applied_at, Enrolment.id)
        .limit(limit)
    )
    return [(enrolment, name) for enrolment, name in rows]
