"""The intake profile: load, save a step, submit. Flush, never commit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from hiddengems.audit.services import record
from hiddengems.auth.models import User
from hiddengems.cases.models import Case
from hiddengems.cases.services import change_stage
from hiddengems.extensions import db
from hiddengems.intake.labels import EDIT_STEPS, REQUIRED_STEPS
from hiddengems.intake.models import IntakeProfile, LanguageSkill, WorkExperience
from hiddengems.timeutil import utcnow
from hiddengems.vocab import ALWAYS_ASKED

# Plain columns each step writes; "host", "work" and "languages" have their own handling.
STEP_FIELDS: dict[str, tuple[str, ...]] = {
    "contact": ("phone", "city", "contact_language"),
    "host": ("partner_unit",),
    "arrival": ("arrival_date", "stay_length"),
    "permit": ("right_to_work", "permit_type", "permit_expires"),
    "education": ("education_level", "education_field", "degree_recognition"),
    "work": (),
    "languages": (),
    "goals": ("career_goals", "target_occupations"),
    "availability": ("availability", "available_from"),
    "monitoring": ("gender", "age_group", "labour_status"),
}


# A profile holds at most this many jobs, and this many languages besides those always
# asked: the step's form shows every stored row, so more must never be stored.
MAX_ROWS = 30


class StaleProfile(Exception):
    """Someone else saved the profile since this form was loaded."""


class TooManyRows(ValueError):
    """More jobs or other languages than MAX_ROWS (the form refuses them first)."""


@dataclass
class IncompleteIntake(Exception):
    missing: list[str]


def load_profile(case_id: int) -> IntakeProfile | None:
    """The profile of a case with its rows, in three queries whatever their number."""
    stmt = (
        select(IntakeProfile)
        .where(IntakeProfile.case_id == case_id)
        .options(selectinload(IntakeProfile.work), selectinload(IntakeProfile.languages))
    )
    return db.session.scalar(stmt)


@dataclass(frozen=True)
class IntakeProgress:
    """How far a spouse has got with the intake, without loading its answers."""

    saved_steps: int
    submitted: bool

    @property
    def started(self) -> bool:
        return self.saved_steps > 0


def intake_progress(case_id: int) -> IntakeProgress:
    """One small query: the saved step names and the submission time, no rows."""
    row = db.session.execute(
        select(IntakeProfile.completed_steps, IntakeProfile.submitted_at).where(IntakeProfile.case_id == case_id)
    ).first()
    if row is None:
        return IntakeProgress(saved_steps=0, submitted=False)
    return IntakeProgress(saved_steps=len(row.completed_steps or ()), submitted=row.submitted_at is not None)


def missing_steps(profile: IntakeProfile | None) -> list[str]:
    if profile is None:
        return list(REQUIRED_STEPS)
    return [step for step in REQUIRED_STEPS if not profile.is_done(step)]


def save_step(
    case: Case,
    step: str,
    data: dict[str, Any],
    *,
    actor: User,
    expected_version: int,
) -> IntakeProfile:
    """Write one step's answers.

    ``expected_version`` is the profile version the form was loaded with (0: no profile
    yet). A save made on a stale copy is refused with StaleProfile, and nothing is written.
    """
    if step not in EDIT_STEPS:
        raise ValueError(f"unknown step {step}")
    _check_rows(step, data)
    profile = load_profile(case.id)
    if expected_version != (profile.version if profile else 0):
        raise StaleProfile()
    if profile is None:
        profile = IntakeProfile(case_id=case.id, completed_steps=[], work=[], languages=[])
        db.session.add(profile)
        try:
            db.session.flush()
        except IntegrityError as error:  # the other first save won the unique case_id
            raise StaleProfile() from error
    for name in STEP_FIELDS[step]:
        setattr(profile, name, data.get(name))
    if step == "host":
        organisation_id = data.get("organisation_id")
        if organisation_id and organisation_id != case.organisation_id:
            case.organisation_id = organisation_id
            case.spouse.organisation_id = organisation_id
    elif step == "work":
        _replace_work(profile, data.get("rows", []))
    elif step == "languages":
        _replace_languages(profile, data.get("levels", {}))
    if step not in profile.completed_steps:
        profile.completed_steps = [*profile.completed_steps, step]
    # Always touched, so that every save bumps the version, also one that changes only rows.
    profile.updated_at = utcnow()
    profile.updated_by_id = actor.id
    try:
        db.session.flush()
    except StaleDataError as error:
        raise StaleProfile() from error
    record("intake.step_saved", actor=actor, object_type="case", object_id=case.id, detail={"step": step})
    return profile


def _check_rows(step: str, data: dict[str, Any]) -> None:
    if step == "work":
        rows = len(data.get("rows", []))
    elif step == "languages":
        rows = sum(1 for code, level in data.get("levels", {}).items() if level and code not in ALWAYS_ASKED)
    else:
        return
    if rows > MAX_ROWS:
        raise TooManyRows(f"{rows} rows in step {step}, at most {MAX_ROWS}")


def _replace_work(profile: IntakeProfile, rows: list[dict[str, Any]]) -> None:
    profile.work.clear()
    db.session.flush()  # the old rows go before the new ones arrive
    for position, row in enumerate(rows):
        profile.work.append(
            WorkExperience(
                position=position,
                job_title=row["job_title"],
                employer=row.get("employer") or None,
                country=row.get("country") or None,
                years=row.get("years"),
            )
        )


def _replace_languages(profile: IntakeProfile, levels: dict[str, str | None]) -> None:
    """``levels``: language code -> CEFR level, or None for "no knowledge" (no row)."""
    profile.languages.clear()
    db.session.flush()  # the unique (profile, language) key must be free again
    position = 0
    for code, level in levels.items():
        if level:
            profile.languages.append(LanguageSkill(position=position, language=code, level=level))
            position += 1


def submit(profile: IntakeProfile, case: Case, *, actor: User) -> None:
    """Send the intake to the team: the case moves to the intake queue."""
    missing = missing_steps(profile)
    if missing:
        raise IncompleteIntake(missing)
    if profile.submitted_at is None:
        profile.submitted_at = utcnow()
    if case.stage == "registered":
        change_stage(case, "intake", actor=actor)
    try:
        db.session.flush()
    except StaleDataError as error:
        raise StaleProfile() from error
    record("intake.submitted", actor=actor, object_type="case", object_id=case.id)
