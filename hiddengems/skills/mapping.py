"""The adviser's mapping session: the language levels a target asks for, and the session
itself recorded on the case's timeline with what was validated, added and set in it.

Moving the case to the "skills" stage and beyond stays the adviser's own call: nothing
here changes the stage. Flush, never commit.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from hiddengems.audit.models import AuditEvent
from hiddengems.audit.services import record
from hiddengems.auth.models import User
from hiddengems.cases.models import Activity, Case
from hiddengems.cases.timeline import add_activity
from hiddengems.extensions import db
from hiddengems.skills.models import CaseSkill, CaseTargetLanguage, CaseTargetOccupation, Occupation
from hiddengems.skills.profile import ProfileError, UnknownOccupation
from hiddengems.timeutil import utcnow
from hiddengems.ui.words import lazy_gettext as _l
from hiddengems.vocab import CEFR_LEVELS, language_choices

SESSION_KINDS = ("meeting", "note")
# A session covers what the adviser did on the profile since the previous session was
# recorded, and at most this far back: yesterday's work was yesterday's session.
SESSION_WINDOW = timedelta(hours=12)
MAX_DURATION = 24 * 60
NOTE_MAX = 10_000
SESSION_ACTION = "skills.mapping_session"


class BadLanguage(ProfileError):
    field = "language"
    message = _l("Choose a language from the list.")


class BadCefrLevel(ProfileError):
    field = "level"
    message = _l("Choose a level from A1 to C2, or native.")


class NotAdviser(ProfileError):
    message = _l("Only the case's adviser notes language requirements and records sessions.")


def _target(case: Case, occupation_id: int) -> CaseTargetOccupation:
    row = db.session.scalar(
        select(CaseTargetOccupation).where(
            CaseTargetOccupation.case_id == case.id, CaseTargetOccupation.occupation_id == occupation_id
        )
    )
    if row is None:
        raise UnknownOccupation()
    return row


def _check_adviser(case: Case, actor: User) -> None:
    if not case.can_edit(actor):
        raise NotAdviser()


def set_language_requirement(
    case: Case, occupation_id: int, *, language: str, level: str, actor: User
) -> CaseTargetLanguage:
    """Note (or change) the level of a language a target occupation asks for."""
    _check_adviser(case, actor)
    if language not in dict(language_choices()):
        raise BadLanguage()
    if level not in CEFR_LEVELS:
        raise BadCefrLevel()
    target = _target(case, occupation_id)
    row = db.session.scalar(
        select(CaseTargetLanguage).where(
            CaseTargetLanguage.target_id == target.id, CaseTargetLanguage.language == language
        )
    )
    if row is None:
        row = CaseTargetLanguage(target_id=target.id, language=language, level=level, added_by_id=actor.id)
        try:
            with db.session.begin_nested():
                db.session.add(row)
        except IntegrityError:  # noted at the same moment elsewhere: change that one
            row = db.session.scalar(
                select(CaseTargetLanguage).where(
                    CaseTargetLanguage.target_id == target.id, CaseTargetLanguage.language == language
                )
            )
    row.level = level
    db.session.flush()
    record(
        "skills.language_noted",
        actor=actor,
        object_type="case",
        object_id=case.id,
        detail={"occupation_id": occupation_id, "language": language},
    )
    return row


def remove_language_requirement(case: Case, occupation_id: int, *, language: str, actor: User) -> None:
    _check_adviser(case, actor)
    if language not in dict(language_choices()):  # from the URL: checked before it reaches the database
        raise BadLanguage()
    target = _target(case, occupation_id)
    row = db.session.scalar(
        select(CaseTargetLanguage).where(
            CaseTargetLanguage.target_id == target.id, CaseTargetLanguage.language == language
        )
    )
    if row is None:
        raise BadLanguage()
    db.session.delete(row)
    db.session.flush()
    record(
        "skills.language_removed",
        actor=actor,
        object_type="case",
        object_id=case.id,
        detail={"occupation_id": occupation_id, "language": language},
    )


def validate_all(case: Case, *, actor: User) -> int:
    """The adviser confirms every skill not validated yet, as it stands; how many. Each is
    audited as its own validation, as validate_skill does, so the session counts them."""
    _check_adviser(case, actor)
    rows = db.session.scalars(
        select(CaseSkill).where(CaseSkill.case_id == case.id, CaseSkill.validated_at.is_(None)).order_by(CaseSkill.id)
    ).all()
    now = utcnow()
    for row in rows:
        row.validated_by_id, row.validated_at = actor.id, now
        record(
            "skills.skill_validated",
            actor=actor,
            object_type="case",
            object_id=case.id,
            detail={"skill_id": row.skill_id},
        )
    db.session.flush()
    return len(rows)


def session_since(case: Case, *, now: datetime) -> datetime:
    """Where the current session starts: the previous session's record, within the window."""
    previous = db.session.scalar(
        select(func.max(AuditEvent.at)).where(
            AuditEvent.object_type == "case", AuditEvent.object_id == case.id, AuditEvent.action == SESSION_ACTION
        )
    )
    start = now - SESSION_WINDOW
    return max(previous, start) if previous is not None else start


def session_counts(case: Case, actor: User, *, since: datetime) -> dict[str, int]:
    """What this adviser did on the profile since ``since``: skills validated, added,
    corrected, removed, targets added, from the audit log (which records each change)."""
    rows = db.session.execute(
        select(AuditEvent.action, AuditEvent.detail).where(
            AuditEvent.object_type == "case",
            AuditEvent.object_id == case.id,
            AuditEvent.actor_id == actor.id,
            AuditEvent.at >= since,
            AuditEvent.action.like("skills.%"),
        )
    ).all()
    seen: dict[str, set] = {}
    for action, detail in rows:
        key = (detail or {}).get("skill_id") or (detail or {}).get("occupation_id")
        seen.setdefault(action.removeprefix("skills."), set()).add(key)
    added = seen.get("skill_added", set())
    return {
        "validated": len(seen.get("skill_validated", set()) - added),
        "added": len(added),
        "corrected": len(seen.get("skill_changed", set()) - added),
        "removed": len(seen.get("skill_removed", set())),
        "targets": len(seen.get("target_added", set())),
    }


def session_summary(counts: dict[str, int], targets: list[str]) -> str:
    """One line for the timeline: "Skills mapping session: 5 skills validated, 2 added; targets: data analyst"."""
    parts = [
        ngettext("%(num)d skill validated", "%(num)d skills validated", counts["validated"]),
        ngettext("%(num)d added", "%(num)d added", counts["added"]),
    ]
    if counts["corrected"]:
        parts.append(ngettext("%(num)d corrected", "%(num)d corrected", counts["corrected"]))
    if counts["removed"]:
        parts.append(ngettext("%(num)d removed", "%(num)d removed", counts["removed"]))
    line = _("Skills mapping session: %(parts)s", parts=", ".join(parts))
    if targets:
        line += "; " + ngettext("target %(names)s", "targets %(names)s", len(targets), names=", ".join(targets))
    return line


def record_session(case: Case, *, actor: User, kind: str, duration_minutes: int | None, note: str | None) -> Activity:
    """Record the mapping session on the case's timeline, saying what was done in it."""
    _check_adviser(case, actor)
    if kind not in SESSION_KINDS:
        raise ValueError(f"unknown session kind {kind}")
    now = utcnow()
    counts = session_counts(case, actor, since=session_since(case, now=now))
    targets = db.session.scalars(
        select(Occupation.preferred_label)
        .join(CaseTargetOccupation, CaseTargetOccupation.occupation_id == Occupation.id)
        .where(CaseTargetOccupation.case_id == case.id)
        .order_by(CaseTargetOccupation.position)
    ).all()
    text = session_summary(counts, list(targets))
    if note and note.strip():
        text += "\n\n" + note.strip()
    activity = add_activity(case, actor=actor, kind=kind, occurred_at=now, text=text, duration_minutes=duration_minutes)
    record(
        SESSION_ACTION, actor=actor, object_type="case", object_id=case.id, detail={"activity": activity.id, **counts}
    )
    return activity
