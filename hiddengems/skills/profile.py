"""The spouse's skills profile: skills with a level and a source, target and past occupations.

The spouse and the adviser both edit it; only an adviser validates a skill. The rules
that must hold whatever the timing (one row per case and skill, at most three targets)
are the database's (migration 0009); these functions check them first so that a person
gets a message they can act on, and turn a lost race into the same message. Flush,
never commit: the route commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload

from hiddengems.audit.services import record
from hiddengems.auth.models import User
from hiddengems.cases.models import Case
from hiddengems.extensions import db
from hiddengems.skills.models import (
    LEVELS,
    MAX_TARGETS,
    SOURCES,
    CasePastOccupation,
    CaseSkill,
    CaseTargetOccupation,
    Occupation,
    Skill,
)
from hiddengems.timeutil import utcnow
from hiddengems.ui.words import lazy_gettext as _l

MAX_YEARS = 60
JOB_TITLE_LENGTH = 200


class ProfileError(Exception):
    """A change the profile refuses, with the message to show beside the field."""

    field: str = ""
    message = _l("This change cannot be saved.")

    def __str__(self) -> str:
        return str(self.message)


class UnknownSkill(ProfileError):
    field = "skill"
    message = _l("Choose a skill from the list.")


class UnknownOccupation(ProfileError):
    field = "occupation"
    message = _l("Choose an occupation from the list.")


class DuplicateSkill(ProfileError):
    field = "skill"
    message = _l("This skill is already in the profile: change its level there.")


class NotHeld(ProfileError):
    field = "skill"
    message = _l("This skill is not in the profile.")


class BadLevel(ProfileError):
    field = "level"
    message = _l("Choose basic, intermediate, advanced or expert.")


class BadSource(ProfileError):
    field = "source"
    message = _l("Choose work, study, training or other.")


class TooManyTargets(ProfileError):
    field = "occupation"
    message = _l("At most three target occupations: remove one first.")


class DuplicateTarget(ProfileError):
    field = "occupation"
    message = _l("This occupation is already a target.")


class BadYears(ProfileError):
    field = "years"
    message = _l("Years: a whole number from 0 to 60.")


class BadJobTitle(ProfileError):
    field = "job_title"
    message = _l("The job title can have at most 200 characters.")


class NotAllowed(ProfileError):
    message = _l("Only an adviser can validate skills.")


@dataclass(frozen=True)
class SkillsProfile:
    skills: list[CaseSkill]
    targets: list[CaseTargetOccupation]
    past: list[CasePastOccupation]

    @property
    def held_skill_ids(self) -> set[int]:
        return {row.skill_id for row in self.skills}


def load_profile(case_id: int) -> SkillsProfile:
    """The whole profile with its skills and occupations (and their ISCO groups), in three
    queries whatever its size: each row comes joined to its concept."""
    skills = db.session.scalars(
        select(CaseSkill)
        .join(Skill, Skill.id == CaseSkill.skill_id)
        .where(CaseSkill.case_id == case_id)
        .options(contains_eager(CaseSkill.skill))
        .order_by(Skill.preferred_label, CaseSkill.id)
    ).all()
    targets = db.session.scalars(
        select(CaseTargetOccupation)
        .where(CaseTargetOccupation.case_id == case_id)
        .options(joinedload(CaseTargetOccupation.occupation).joinedload(Occupation.isco_group))
        .order_by(CaseTargetOccupation.position)
    ).all()
    past = db.session.scalars(
        select(CasePastOccupation)
        .where(CasePastOccupation.case_id == case_id)
        .options(joinedload(CasePastOccupation.occupation))
        .order_by(CasePastOccupation.id)
    ).all()
    return SkillsProfile(skills=list(skills), targets=list(targets), past=list(past))


def held_skill_ids(case_id: int, *, validated_only: bool = False) -> set[int]:
    query = select(CaseSkill.skill_id).where(CaseSkill.case_id == case_id)
    if validated_only:
        query = query.where(CaseSkill.validated_at.is_not(None))
    return set(db.session.scalars(query))


def target_occupation_ids(case_id: int) -> list[int]:
    query = (
        select(CaseTargetOccupation.occupation_id)
        .where(CaseTargetOccupation.case_id == case_id)
        .order_by(CaseTargetOccupation.position)
    )
    return list(db.session.scalars(query))


def _is_adviser(actor: User) -> bool:
    return actor.role == "adviser"


def _valid_id(value: object) -> bool:
    # An id typed or posted by hand: anything else would reach the database as an error.
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31


def _current_skill(skill_id: int) -> Skill:
    skill = db.session.get(Skill, skill_id) if _valid_id(skill_id) else None
    if skill is None or skill.obsolete:
        raise UnknownSkill()
    return skill


def _current_occupation(occupation_id: int) -> Occupation:
    occupation = db.session.get(Occupation, occupation_id) if _valid_id(occupation_id) else None
    if occupation is None or occupation.obsolete:
        raise UnknownOccupation()
    return occupation


def _check_level_and_source(level: str, source: str) -> None:
    if level not in LEVELS:
        raise BadLevel()
    if source not in SOURCES:
        raise BadSource()


def _held(case: Case, skill_id: int) -> CaseSkill:
    if not _valid_id(skill_id):
        raise NotHeld()
    row = db.session.scalar(select(CaseSkill).where(CaseSkill.case_id == case.id, CaseSkill.skill_id == skill_id))
    if row is None:
        raise NotHeld()
    return row


def add_skill(case: Case, skill_id: int, *, level: str, source: str, actor: User) -> CaseSkill:
    """Add a skill to the profile. An adviser's addition counts as validated by them."""
    _check_level_and_source(level, source)
    _current_skill(skill_id)
    if db.session.scalar(select(CaseSkill.id).where(CaseSkill.case_id == case.id, CaseSkill.skill_id == skill_id)):
        raise DuplicateSkill()
    now = utcnow()
    row = CaseSkill(
        case_id=case.id,
        skill_id=skill_id,
        level=level,
        source=source,
        added_by_id=actor.id,
        created_at=now,
        updated_at=now,
        validated_by_id=actor.id if _is_adviser(actor) else None,
        validated_at=now if _is_adviser(actor) else None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError as error:  # the same skill added at the same moment elsewhere
        raise DuplicateSkill() from error
    record("skills.skill_added", actor=actor, object_type="case", object_id=case.id, detail={"skill_id": skill_id})
    return row


def update_skill(case: Case, skill_id: int, *, level: str, source: str, actor: User) -> CaseSkill:
    """Change a held skill's level or source.

    A validation vouches for what the adviser saw: the spouse's change undoes it, an
    adviser's correction is validated by that adviser."""
    _check_level_and_source(level, source)
    row = _held(case, skill_id)
    if (row.level, row.source) == (level, source):
        return row
    row.level, row.source, row.updated_at = level, source, utcnow()
    if _is_adviser(actor):
        row.validated_by_id, row.validated_at = actor.id, row.updated_at
    else:
        row.validated_by_id, row.validated_at = None, None
    db.session.flush()
    record("skills.skill_changed", actor=actor, object_type="case", object_id=case.id, detail={"skill_id": skill_id})
    return row


def remove_skill(case: Case, skill_id: int, *, actor: User) -> None:
    row = _held(case, skill_id)
    db.session.delete(row)
    db.session.flush()
    record("skills.skill_removed", actor=actor, object_type="case", object_id=case.id, detail={"skill_id": skill_id})


def validate_skill(case: Case, skill_id: int, *, actor: User) -> CaseSkill:
    """An adviser confirms a held skill, as it stands (level and source)."""
    if not _is_adviser(actor):
        raise NotAllowed()
    row = _held(case, skill_id)
    row.validated_by_id, row.validated_at = actor.id, utcnow()
    db.session.flush()
    record("skills.skill_validated", actor=actor, object_type="case", object_id=case.id, detail={"skill_id": skill_id})
    return row


def add_target(case: Case, occupation_id: int, *, actor: User) -> CaseTargetOccupation:
    """Add a target occupation in the first free place of three."""
    _current_occupation(occupation_id)
    taken = dict(
        db.session.execute(
            select(CaseTargetOccupation.occupation_id, CaseTargetOccupation.position).where(
                CaseTargetOccupation.case_id == case.id
            )
        ).all()
    )
    if occupation_id in taken:
        raise DuplicateTarget()
    free = [position for position in range(1, MAX_TARGETS + 1) if position not in taken.values()]
    if not free:
        raise TooManyTargets()
    row = CaseTargetOccupation(case_id=case.id, occupation_id=occupation_id, position=free[0], added_by_id=actor.id)
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError as error:
        # Another save took the place (or the occupation) meanwhile: say which.
        already = db.session.scalar(
            select(CaseTargetOccupation.id).where(
                CaseTargetOccupation.case_id == case.id, CaseTargetOccupation.occupation_id == occupation_id
            )
        )
        raise (DuplicateTarget() if already else TooManyTargets()) from error
    record(
        "skills.target_added",
        actor=actor,
        object_type="case",
        object_id=case.id,
        detail={"occupation_id": occupation_id},
    )
    return row


def remove_target(case: Case, occupation_id: int, *, actor: User) -> None:
    if not _valid_id(occupation_id):
        raise UnknownOccupation()
    row = db.session.scalar(
        select(CaseTargetOccupation).where(
            CaseTargetOccupation.case_id == case.id, CaseTargetOccupation.occupation_id == occupation_id
        )
    )
    if row is None:
        raise UnknownOccupation()
    db.session.delete(row)
    db.session.flush()
    record(
        "skills.target_removed",
        actor=actor,
        object_type="case",
        object_id=case.id,
        detail={"occupation_id": occupation_id},
    )


def set_past_occupation(
    case: Case, occupation_id: int, *, years: int | None, job_title: str | None, actor: User
) -> CasePastOccupation:
    """Record (or correct) an occupation the spouse has worked in: one row per occupation."""
    _current_occupation(occupation_id)
    if years is not None and (not isinstance(years, int) or isinstance(years, bool) or not 0 <= years <= MAX_YEARS):
        raise BadYears()
    job_title = (job_title or "").strip() or None
    if job_title is not None and len(job_title) > JOB_TITLE_LENGTH:
        raise BadJobTitle()
    row = db.session.scalar(
        select(CasePastOccupation).where(
            CasePastOccupation.case_id == case.id, CasePastOccupation.occupation_id == occupation_id
        )
    )
    if row is None:
        row = CasePastOccupation(case_id=case.id, occupation_id=occupation_id, added_by_id=actor.id)
        db.session.add(row)
    row.years, row.job_title = years, job_title
    db.session.flush()
    record(
        "skills.past_occupation_saved",
        actor=actor,
        object_type="case",
        object_id=case.id,
        detail={"occupation_id": occupation_id},
    )
    return row


def remove_past_occupation(case: Case, occupation_id: int, *, actor: User) -> None:
    if not _valid_id(occupation_id):
        raise UnknownOccupation()
    row = db.session.scalar(
        select(CasePastOccupation).where(
            CasePastOccupation.case_id == case.id, CasePastOccupation.occupation_id == occupation_id
        )
    )
    if row is None:
        raise UnknownOccupation()
    db.session.delete(row)
    db.session.flush()
    record(
        "skills.past_occupation_removed",
        actor=actor,
        object_type="case",
        object_id=case.id,
        detail={"occupation_id": occupation_id},
    )
