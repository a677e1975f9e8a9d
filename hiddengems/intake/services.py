"""The intake profile: load, save a step, submit. Flush, never commit."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager
from sqlalchemy.orm.exc import StaleDataError

from hiddengems.audit.services import record
from hiddengems.auth.models import User
from hiddengems.cases.models import Case
from hiddengems.cases.services import change_stage
from hiddengems.extensions import db
from hiddengems.intake import steps
from hiddengems.intake.models import IntakeProfile, profile_with_rows
from hiddengems.timeutil import utcnow

MAX_ROWS = steps.MAX_ROWS  # the service refuses what the form would refuse


class StaleProfile(Exception):
    """Someone else saved the profile since this form was loaded."""


class TooManyRows(ValueError):
    """More jobs or other languages than MAX_ROWS (the form refuses them first)."""


@dataclass
class IncompleteIntake(Exception):
    missing: list[str]


def load_profile(case_id: int) -> IntakeProfile | None:
    """The profile of a case with its rows, in one query whatever their number: the
    profile's row once per work history row, then once per language row (a plain second
    join would multiply the two lists' rows)."""
    return db.session.scalars(_load_profile_statement(), {"case_id": case_id}).unique().first()


@cache
def _load_profile_statement() -> Select:
    """Built once (the case file shows the profile on every view). The ORM fills both lists
    from the rows (contains_eager), in their order."""
    return profile_with_rows(select(IntakeProfile)).options(
        contains_eager(IntakeProfile.work), contains_eager(IntakeProfile.languages)
    )


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
        return list(steps.REQUIRED_STEPS)
    return [step for step in steps.REQUIRED_STEPS if not profile.is_done(step)]


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
    if step not in steps.EDIT_STEPS:
        raise ValueError(f"unknown step {step}")
    declared = steps.STEPS[step]
    rows = declared.count_rows(data) if declared.count_rows else 0
    if rows > MAX_ROWS:
        raise TooManyRows(f"{rows} rows in step {step}, at most {MAX_ROWS}")
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
    for name in declared.columns:
        setattr(profile, name, data.get(name))
    if declared.save is not None:
        declared.save(profile, case, data)
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
