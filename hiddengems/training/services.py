"""The catalogue and the enrolment rules. Flush, never commit: the route commits.

Capacity is a promise: every change to who holds a place happens under the
programme's row lock (``lock_programme``: SELECT … FOR UPDATE on PostgreSQL; on SQLite
the transaction holds the database's write lock, hiddengems.dbsetup), and the database
refuses ``enrolled`` past ``capacity`` whatever happens here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from hiddengems.audit.services import record
from hiddengems.auth.models import User
from hiddengems.cases.models import Case
from hiddengems.cases.timeline import add_activity
from hiddengems.dbsetup import begin_writing
from hiddengems.extensions import db
from hiddengems.mail.services import public_url, queue
from hiddengems.skills.models import CaseSkill, Skill
from hiddengems.timeutil import helsinki_today, utcnow
from hiddengems.training.models import FINISHED, KINDS, MAX_CAPACITY, Enrolment, Programme, ProgrammeSkill

FIELDS = (
    "title",
    "kind",
    "provider",
    "description",
    "starts_on",
    "ends_on",
    "schedule",
    "place",
    "online",
    "language",
    "min_finnish",
    "min_english",
    "capacity",
    "cost_cents",
    "open_for_signup",
    "auto_confirm",
)
MAX_SKILLS = 30


class TrainingError(Exception):
    """A change the rules refuse; ``code`` names it for the message beside the field or button."""

    field = ""

    def __init__(self, code: str, field: str = ""):
        super().__init__(code)
        self.code = code
        self.field = field


def programme_problems(data: dict, *, enrolled: int = 0) -> dict[str, str]:
    """Field -> problem code of a programme's values: end before start, capacity below
    the number already enrolled (or out of range), an unknown kind."""
    problems = {}
    starts, ends = data.get("starts_on"), data.get("ends_on")
    if starts and ends and ends < starts:
        problems["ends_on"] = "end_before_start"
    capacity = data.get("capacity")
    if capacity is None or not 0 <= capacity <= MAX_CAPACITY:
        problems["capacity"] = "capacity_range"
    elif capacity < enrolled:
        problems["capacity"] = "below_enrolled"
    if data.get("kind") not in KINDS:
        problems["kind"] = "kind"
    return problems


def _check(data: dict, enrolled: int = 0) -> None:
    problems = programme_problems(data, enrolled=enrolled)
    if problems:
        field, code = next(iter(problems.items()))
        raise TrainingError(code, field)


def _set_skills(programme: Programme, skill_ids: list[int]) -> None:
    ids = set(skill_ids)
    if len(ids) > MAX_SKILLS:
        raise TrainingError("too_many_skills", "skills")
    known = set(db.session.scalars(select(Skill.id).where(Skill.id.in_(ids)))) if ids else set()
    if known != ids:
        raise TrainingError("unknown_skill", "skills")
    db.session.execute(delete(ProgrammeSkill).where(ProgrammeSkill.programme_id == programme.id))
    if ids:
        db.session.execute(insert(ProgrammeSkill), [{"programme_id": programme.id, "skill_id": i} for i in sorted(ids)])


def create_programme(data: dict, *, skill_ids: list[int], actor: User) -> Programme:
    _check(data)
    programme = Programme(**{name: data[name] for name in FIELDS}, created_by_id=actor.id)
    db.session.add(programme)
    db.session.flush()
    _set_skills(programme, skill_ids)
    record("training.programme_added", actor=actor, object_type="programme", object_id=programme.id)
    return programme


def update_programme(programme: Programme, data: dict, *, skill_ids: list[int], actor: User) -> Programme:
    """Change a programme. Capacity never drops below those enrolled; places it adds go
    to the waitlist, first come first served."""
    programme = lock_programme(programme.id)
    _check(data, enrolled=programme.enrolled)
    for name in FIELDS:
        setattr(programme, name, data[name])
    programme.updated_at = utcnow()
    db.session.flush()
    _set_skills(programme, skill_ids)
    fill_places(programme, actor=actor)
    record("training.programme_changed", actor=actor, object_type="programme", object_id=programme.id)
    return programme


def copy_programme(programme: Programme, *, actor: User) -> Programme:
    """The next round of a programme: the same content and skills, no dates, no
    participants, closed for sign-up until an adviser sets the dates and opens it."""
    values = {name: getattr(programme, name) for name in FIELDS}
    values.update(starts_on=None, ends_on=None, open_for_signup=False)
    copy = Programme(**values, copied_from_id=programme.id, created_by_id=actor.id)
    db.session.add(copy)
    db.session.flush()
    skill_ids = db.session.scalars(select(ProgrammeSkill.skill_id).where(ProgrammeSkill.programme_id == programme.id))
    _set_skills(copy, list(skill_ids))
    record("training.programme_copied", actor=actor, object_type="programme", object_id=copy.id)
    return copy


def lock_programme(programme_id: int) -> Programme:
    """The programme, read afresh under its row lock until the transaction ends."""
    begin_writing(db.session)
    stmt = (
        select(Programme)
        .where(Programme.id == programme_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return db.session.scalars(stmt).one()


# --- enrolment ------------------------------------------------------------------------------


def _enrolment_of(case: Case, programme: Programme) -> Enrolment | None:
    stmt = select(Enrolment).where(Enrolment.case_id == case.id, Enrolment.programme_id == programme.id)
    return db.session.scalar(stmt.execution_options(populate_existing=True))


def _new_enrolment(case: Case, programme: Programme, **values) -> Enrolment:
    """A first enrolment of this case in this programme; a second one made at the same
    moment elsewhere fails on the unique constraint, and says so."""
    now = utcnow()
    enrolment = Enrolment(case_id=case.id, programme_id=programme.id, created_at=now, updated_at=now, **values)
    try:
        with db.session.begin_nested():
            db.session.add(enrolment)
    except IntegrityError as error:
        raise TrainingError("already") from error
    return enrolment


def recommend(case: Case, programme: Programme, *, note: str, actor: User) -> Enrolment:
    """An adviser recommends a programme to a spouse by hand, with a note."""
    enrolment = _enrolment_of(case, programme)
    if enrolment is None:
        enrolment = _new_enrolment(case, programme, status="recommended", note=note.strip(), recommended_by_id=actor.id)
    elif enrolment.status == "recommended":
        enrolment.note, enrolment.recommended_by_id, enrolment.updated_at = note.strip(), actor.id, utcnow()
    else:
        raise TrainingError("already")
    db.session.flush()
    record("training.recommended", actor=actor, object_type="case", object_id=case.id, detail=_ids(enrolment))
    return enrolment


def apply(case: Case, programme: Programme, *, actor: User, today: date | None = None) -> Enrolment:
    """The spouse applies. A programme that confirms by itself gives a place or the
    waitlist at once; otherwise an adviser confirms."""
    today = today or helsinki_today()
    # The lock first: the new enrolment's foreign key takes a share lock on the programme
    # row, and upgrading it to confirm's lock while others hold theirs would deadlock.
    programme = lock_programme(programme.id)
    if not case.is_open:
        raise TrainingError("case_closed")
    if not programme.open_for_signup or programme.is_over(today):
        raise TrainingError("closed")
    enrolment = _enrolment_of(case, programme)
    now = utcnow()
    if enrolment is None:
        enrolment = _new_enrolment(case, programme, status="applied", applied_at=now)
    elif enrolment.status in ("recommended", "dropped", "cancelled"):
        enrolment.status, enrolment.applied_at, enrolment.updated_at = "applied", now, now
        enrolment.ended_at = enrolment.waitlisted_at = enrolment.enrolled_at = None
    else:
        raise TrainingError("already")
    db.session.flush()
    record("training.applied", actor=actor, object_type="case", object_id=case.id, detail=_ids(enrolment))
    if programme.auto_confirm:
        confirm(enrolment, actor=actor)
    return enrolment


def confirm(enrolment: Enrolment, *, actor: User) -> str:
    """An application becomes a place, or a place on the waitlist when none is free."""
    programme = lock_programme(enrolment.programme_id)
    db.session.refresh(enrolment)
    if enrolment.status != "applied":
        raise TrainingError("not_applied")
    now = utcnow()
    if programme.free_places:
        programme.enrolled += 1
        enrolment.status, enrolment.enrolled_at = "enrolled", now
    else:
        enrolment.status, enrolment.waitlisted_at = "waitlisted", now
    enrolment.updated_at = now
    db.session.flush()
    record(
        f"training.{enrolment.status}",
        actor=actor,
        object_type="case",
        object_id=enrolment.case_id,
        detail=_ids(enrolment),
    )
    return enrolment.status


def end(enrolment: Enrolment, status: str, *, actor: User) -> Enrolment:
    """Dropped (by the spouse or recorded by the adviser) or cancelled by the programme.
    A place it held goes to the first on the waitlist."""
    if status not in ("dropped", "cancelled"):
        raise ValueError(status)
    programme = lock_programme(enrolment.programme_id)
    db.session.refresh(enrolment)
    if enrolment.status in FINISHED:
        raise TrainingError("finished")
    held_place = enrolment.status == "enrolled"
    enrolment.status, enrolment.ended_at, enrolment.updated_at = status, utcnow(), utcnow()
    if held_place:
        programme.enrolled -= 1
    db.session.flush()
    record(f"training.{status}", actor=actor, object_type="case", object_id=enrolment.case_id, detail=_ids(enrolment))
    fill_places(programme, actor=actor)
    return enrolment


def fill_places(programme: Programme, *, actor: User) -> list[Enrolment]:
    """Free places go to the waitlist in the order people joined it; each is told by
    e-mail. Call it holding the programme's lock (lock_programme)."""
    free = programme.free_places
    if free <= 0:
        return []
    waiting = db.session.scalars(
        select(Enrolment)
        .where(Enrolment.programme_id == programme.id, Enrolment.status == "waitlisted")
        .order_by(Enrolment.waitlisted_at, Enrolment.id)
        .limit(free)
    ).all()
    now = utcnow()
    for enrolment in waiting:
        enrolment.status, enrolment.enrolled_at, enrolment.updated_at = "enrolled", now, now
        programme.enrolled += 1
    db.session.flush()
    for enrolment in waiting:
        _tell_moved_up(enrolment, programme)
        record(
            "training.moved_up", actor=actor, object_type="case", object_id=enrolment.case_id, detail=_ids(enrolment)
        )
    return list(waiting)


def _tell_moved_up(enrolment: Enrolment, programme: Programme) -> None:
    spouse = db.session.scalar(select(User).join(Case, Case.spouse_id == User.id).where(Case.id == enrolment.case_id))
    queue(
        spouse.email,
        _("A place for you: %(title)s", title=programme.title),
        "training_moved_up",
        kind="training_moved_up",
        user_id=spouse.id,
        user=spouse,
        programme=programme,
        programme_url=public_url("training.programme", programme_id=programme.id),
    )


@dataclass(frozen=True)
class Completion:
    enrolment: Enrolment
    skills_added: list[int]


def complete(enrolment: Enrolment, *, certificate: str, grade: str, actor: User) -> Completion:
    """The adviser records completion. The programme's skills the spouse did not have go
    to their profile as evidence from training, waiting for an adviser's validation; the
    case timeline says it."""
    programme = lock_programme(enrolment.programme_id)
    db.session.refresh(enrolment)
    if enrolment.status != "enrolled":
        raise TrainingError("not_enrolled")
    now = utcnow()
    enrolment.status, enrolment.ended_at, enrolment.updated_at = "completed", now, now
    enrolment.certificate, enrolment.grade = certificate.strip(), grade.strip()
    # The place is not freed: the programme ran with it.
    added = _add_skills_as_evidence(enrolment.case_id, programme.id, actor=actor)
    case = db.session.get(Case, enrolment.case_id)
    text = _("Completed %(title)s (%(provider)s).", title=programme.title, provider=programme.provider)
    if enrolment.grade or enrolment.certificate:
        text += " " + " · ".join(part for part in (enrolment.certificate, enrolment.grade) if part)
    add_activity(case, actor=actor, kind="note", occurred_at=now, text=text, shared_with_spouse=True)
    record(
        "training.completed",
        actor=actor,
        object_type="case",
        object_id=enrolment.case_id,
        detail={**_ids(enrolment), "skills_added": added},
    )
    return Completion(enrolment, added)


def _add_skills_as_evidence(case_id: int, programme_id: int, *, actor: User) -> list[int]:
    """Skills the profile lacks, added as from training and not validated: a course's
    syllabus is evidence, the adviser still confirms the level."""
    taught = db.session.scalars(
        select(ProgrammeSkill.skill_id)
        .join(Skill, Skill.id == ProgrammeSkill.skill_id)
        .where(ProgrammeSkill.programme_id == programme_id, Skill.obsolete.is_(False))
    ).all()
    held = set(db.session.scalars(select(CaseSkill.skill_id).where(CaseSkill.case_id == case_id)))
    added, now = [], utcnow()
    for skill_id in sorted(set(taught) - held):
        row = CaseSkill(
            case_id=case_id,
            skill_id=skill_id,
            level="basic",
            source="training",
            added_by_id=actor.id,
            created_at=now,
            updated_at=now,
        )
        try:
            with db.session.begin_nested():
                db.session.add(row)
        except IntegrityError:
            continue  # added elsewhere at the same moment: the profile has it
        added.append(skill_id)
    return added


def record_attendance(enrolment: Enrolment, attended: bool, *, actor: User, today: date | None = None) -> Enrolment:
    """After an event: whether the spouse came. Only for a place that was held."""
    programme = db.session.get(Programme, enrolment.programme_id)
    if enrolment.status not in ("enrolled", "completed"):
        raise TrainingError("not_enrolled")
    if programme.starts_on and programme.starts_on > (today or helsinki_today()):
        raise TrainingError("not_yet")
    enrolment.attended, enrolment.updated_at = attended, utcnow()
    db.session.flush()
    record("training.attendance", actor=actor, object_type="case", object_id=enrolment.case_id, detail=_ids(enrolment))
    return enrolment


def _ids(enrolment: Enrolment) -> dict:
    return {"enrolment": enrolment.id, "programme": enrolment.programme_id}
