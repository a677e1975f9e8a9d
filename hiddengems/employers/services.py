"""The directory's and the openings' writes and rules. Flush, never commit: the route commits."""

from __future__ import annotations

import re

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from hiddengems.audit.services import record
from hiddengems.auth.models import User
from hiddengems.employers.models import (
    MAX_SKILLS,
    OPENING_KINDS,
    OPENING_STATUSES,
    WORKING_LANGUAGES,
    Employer,
    EmployerContact,
    Opening,
    OpeningSkill,
)
from hiddengems.extensions import db
from hiddengems.skills.models import Occupation, Skill
from hiddengems.timeutil import utcnow

EMPLOYER_FIELDS = ("name", "business_id", "sector", "size", "city", "website", "working_language", "notes")
CONTACT_FIELDS = ("name", "role", "email", "phone")
OPENING_FIELDS = (
    "kind",
    "title",
    "occupation_id",
    "description",
    "place",
    "remote",
    "deadline",
    "status",
    "min_finnish",
    "min_english",
)

# Text columns: a value left out is empty text, not NULL.
_TEXT = {"name", "sector", "city", "website", "notes", "title", "description", "place", "role", "email", "phone"}
_BUSINESS_ID = re.compile(r"[0-9]{7}-[0-9]")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def _values(data: dict, fields: tuple[str, ...]) -> dict:
    values = {name: data.get(name) for name in fields}
    for name in _TEXT.intersection(fields):
        values[name] = (values[name] or "").strip()
    if "remote" in values:
        values["remote"] = bool(values["remote"])
    return values


class EmployerError(Exception):
    """A change the rules refuse; ``code`` names it for the message beside ``field``."""

    def __init__(self, code: str, field: str = ""):
        super().__init__(code)
        self.code = code
        self.field = field


def normalise_business_id(text: str) -> str:
    """A Y-tunnus as typed, without spaces; the old six-digit form gets its leading zero."""
    text = "".join(text.split())
    if re.fullmatch(r"[0-9]{6}-[0-9]", text):
        text = "0" + text
    return text


def business_id_problem(text: str) -> str | None:
    """None for a valid Finnish business ID (1234567-8, its check digit right), or the
    problem's code: ``business_id_format`` or ``business_id_check``."""
    if not _BUSINESS_ID.fullmatch(text):
        return "business_id_format"
    remainder = sum(int(digit) * weight for digit, weight in zip(text[:7], _WEIGHTS, strict=True)) % 11
    if remainder == 1:
        return "business_id_check"  # no ID is given this remainder
    expected = 0 if remainder == 0 else 11 - remainder
    return None if int(text[8]) == expected else "business_id_check"


def _check_employer(data: dict, *, employer_id: int | None = None) -> None:
    if not (data.get("name") or "").strip():
        raise EmployerError("name", "name")
    if data.get("working_language") not in WORKING_LANGUAGES:
        raise EmployerError("working_language", "working_language")
    if data.get("business_id"):
        problem = business_id_problem(data["business_id"])
        if problem:
            raise EmployerError(problem, "business_id")
        taken = select(Employer.id).where(Employer.business_id == data["business_id"])
        if employer_id is not None:
            taken = taken.where(Employer.id != employer_id)
        if db.session.scalar(taken.limit(1)) is not None:
            raise EmployerError("business_id_taken", "business_id")


def _flush_unique() -> None:
    # Two advisers adding the same business ID at once: the unique index decides.
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:
        raise EmployerError("business_id_taken", "business_id") from error


def create_employer(data: dict, *, actor: User) -> Employer:
    _check_employer(data)
    employer = Employer(**_values(data, EMPLOYER_FIELDS), created_by_id=actor.id)
    db.session.add(employer)
    _flush_unique()
    record("employers.employer_added", actor=actor, object_type="employer", object_id=employer.id)
    return employer


def update_employer(employer: Employer, data: dict, *, actor: User) -> Employer:
    if employer.merged_into_id is not None:
        raise EmployerError("merged")
    _check_employer(data, employer_id=employer.id)
    for name, value in _values(data, EMPLOYER_FIELDS).items():
        setattr(employer, name, value)
    employer.updated_at = utcnow()
    _flush_unique()
    record("employers.employer_changed", actor=actor, object_type="employer", object_id=employer.id)
    return employer


def add_contact(employer: Employer, data: dict, *, actor: User) -> EmployerContact:
    if employer.merged_into_id is not None:
        raise EmployerError("merged")
    if not (data.get("name") or "").strip():
        raise EmployerError("name", "name")
    contact = EmployerContact(employer_id=employer.id, **_values(data, CONTACT_FIELDS))
    db.session.add(contact)
    db.session.flush()
    record("employers.contact_added", actor=actor, object_type="employer", object_id=employer.id)
    return contact


def remove_contact(contact: EmployerContact, *, actor: User) -> bool:
    """Take a contact off the employer's list (the row stays, for the history). False
    when it was removed already."""
    if contact.removed_at is not None:
        return False
    contact.removed_at = utcnow()
    db.session.flush()
    record("employers.contact_removed", actor=actor, object_type="employer", object_id=contact.employer_id)
    return True


def _check_opening(data: dict) -> None:
    if not (data.get("title") or "").strip():
        raise EmployerError("title", "title")
    if data.get("kind") not in OPENING_KINDS:
        raise EmployerError("kind", "kind")
    if data.get("status") not in OPENING_STATUSES:
        raise EmployerError("status", "status")
    occupation_id = data.get("occupation_id")
    if occupation_id is not None and db.session.get(Occupation, occupation_id) is None:
        raise EmployerError("unknown_occupation", "occupation")


def _set_skills(opening: Opening, essential: list[int], nice: list[int]) -> None:
    essential_ids = set(essential)
    nice_ids = set(nice) - essential_ids  # asked for as essential: that is what counts
    every = essential_ids | nice_ids
    if len(every) > MAX_SKILLS:
        raise EmployerError("too_many_skills", "essential_skills")
    known = set(db.session.scalars(select(Skill.id).where(Skill.id.in_(every)))) if every else set()
    if known != every:
        raise EmployerError("unknown_skill", "essential_skills")
    db.session.execute(delete(OpeningSkill).where(OpeningSkill.opening_id == opening.id))
    rows = [{"opening_id": opening.id, "skill_id": i, "essential": True} for i in sorted(essential_ids)]
    rows += [{"opening_id": opening.id, "skill_id": i, "essential": False} for i in sorted(nice_ids)]
    if rows:
        db.session.execute(insert(OpeningSkill), rows)


def create_opening(employer: Employer, data: dict, *, essential: list[int], nice: list[int], actor: User) -> Opening:
    if employer.merged_into_id is not None:
        raise EmployerError("merged")
    _check_opening(data)
    opening = Opening(employer_id=employer.id, **_values(data, OPENING_FIELDS), created_by_id=actor.id)
    db.session.add(opening)
    db.session.flush()
    _set_skills(opening, essential, nice)
    record("employers.opening_added", actor=actor, object_type="opening", object_id=opening.id)
    return opening


def update_opening(opening: Opening, data: dict, *, essential: list[int], nice: list[int], actor: User) -> Opening:
    _check_opening(data)
    for name, value in _values(data, OPENING_FIELDS).items():
        setattr(opening, name, value)
    opening.updated_at = utcnow()
    db.session.flush()
    _set_skills(opening, essential, nice)
    record("employers.opening_changed", actor=actor, object_type="opening", object_id=opening.id)
    return opening


def merge_employers(duplicate: Employer, keeper: Employer, *, actor: User) -> Employer:
    """Move the duplicate's contacts and openings to the employer that stays; the
    duplicate keeps its row (and its history in the audit log), marked as merged, and so
    do the employers merged into it before, now marked as merged into the keeper."""
    if duplicate.id == keeper.id:
        raise EmployerError("merge_self", "into")
    if duplicate.merged_into_id is not None or keeper.merged_into_id is not None:
        raise EmployerError("merged", "into")
    for model in (EmployerContact, Opening):
        db.session.execute(
            update(model).where(model.employer_id == duplicate.id).values(employer_id=keeper.id),
            execution_options={"synchronize_session": False},
        )
    # Those merged into the duplicate before now point at the keeper too: a merge is
    # always one level deep, so "this employer and the ones merged into it" is complete.
    db.session.execute(
        update(Employer).where(Employer.merged_into_id == duplicate.id).values(merged_into_id=keeper.id),
        execution_options={"synchronize_session": False},
    )
    duplicate.merged_into_id = keeper.id
    if keeper.business_id is None and duplicate.business_id:
        business_id, duplicate.business_id = duplicate.business_id, None
        db.session.flush()  # the duplicate gives up the ID before the keeper takes it
        keeper.business_id = business_id
    duplicate.updated_at = keeper.updated_at = utcnow()
    db.session.flush()
    record(
        "employers.employer_merged",
        actor=actor,
        object_type="employer",
        object_id=keeper.id,
        detail={"merged": duplicate.id},
    )
    return keeper
