"""Reads of the directory and the openings for pages: the directory with its search, an
employer with its contacts and openings, an opening with its skills."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from hiddengems.employers.models import Employer, Opening, OpeningSkill
from hiddengems.extensions import db
from hiddengems.skills.models import Occupation
from hiddengems.ui.paging import Page, paginate

OPENINGS_LIMIT = 200


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    city: str = ""
    sector: str = ""
    working_language: str = ""


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def directory_statement(filters: DirectoryFilters) -> Select:
    """Employers that are not merged into another, by name."""
    stmt = select(Employer).where(Employer.merged_into_id.is_(None))
    if filters.q:
        like = _like(filters.q)
        stmt = stmt.where(
            or_(
                Employer.name.ilike(like, escape="\\"),
                Employer.business_id.ilike(like, escape="\\"),
                Employer.notes.ilike(like, escape="\\"),
            )
        )
    if filters.city:
        stmt = stmt.where(Employer.city.ilike(_like(filters.city), escape="\\"))
    if filters.sector:
        stmt = stmt.where(Employer.sector.ilike(_like(filters.sector), escape="\\"))
    if filters.working_language:
        stmt = stmt.where(Employer.working_language == filters.working_language)
    return stmt.order_by(Employer.name, Employer.id)


def directory(filters: DirectoryFilters, *, page: int, per_page: int) -> Page:
    """One page of the directory: the rows and the total, two queries."""
    return paginate(directory_statement(filters), page=page, per_page=per_page)


def load_employer(employer_id: int) -> Employer | None:
    """An employer with its contacts (two queries)."""
    stmt = select(Employer).where(Employer.id == employer_id).options(selectinload(Employer.contacts))
    return db.session.scalar(stmt)


def openings_of(employer_id: int) -> list[Opening]:
    """An employer's openings, open ones first, newest first within (one query)."""
    stmt = (
        select(Opening)
        .where(Opening.employer_id == employer_id)
        .order_by((Opening.status == "open").desc(), Opening.created_at.desc(), Opening.id.desc())
        .limit(OPENINGS_LIMIT)
    )
    return list(db.session.scalars(stmt))


def load_opening(opening_id: int) -> Opening | None:
    """An opening with its employer, occupation and skills (two queries)."""
    stmt = (
        select(Opening)
        .where(Opening.id == opening_id)
        .options(
            joinedload(Opening.employer),
            joinedload(Opening.occupation),
            selectinload(Opening.skills).joinedload(OpeningSkill.skill),
        )
        .execution_options(populate_existing=True)  # the skills too when the opening is in the session
    )
    return db.session.scalar(stmt)


def occupation_by_name(text: str) -> int | None:
    """The occupation named by its preferred label (any case) or its URI."""
    stmt = select(Occupation.id).where(
        or_(Occupation.uri == text, func.lower(Occupation.preferred_label) == text.casefold())
    )
    return db.session.scalar(stmt.order_by(Occupation.id).limit(1))


def find_employer(text: str) -> int | None:
    """The id of the unmerged employer with this business ID, or with this number."""
    from hiddengems.employers.services import normalise_business_id
    from hiddengems.ui.inputs import parse_id

    text = text.strip()
    if "-" in text:
        where = Employer.business_id == normalise_business_id(text)
    elif (number := parse_id(text)) is not None:
        where = Employer.id == number
    else:
        return None
    return db.session.scalar(select(Employer.id).where(where, Employer.merged_into_id.is_(None)))
