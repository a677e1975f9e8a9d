"""Programmes for a spouse, ranked by how many of their gap skills each teaches, the
language fit and the dates, each with its reason in words; and the ones an adviser
recommended by hand, with the note.

A fixed number of queries whatever the size of the catalogue: the profile (held skills,
targets), what the targets need, the programmes teaching any missing skill, the case's
enrolments, the spouse's languages, and the chosen programmes.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import or_, select

from hiddengems.extensions import db
from hiddengems.skills.profile import held_skill_ids, target_occupation_ids
from hiddengems.skills.services import occupations_by_id, occupations_skills
from hiddengems.training.models import Enrolment, Programme, ProgrammeSkill
from hiddengems.training.queries import language_shortfalls, meets, spouse_levels
from hiddengems.vocab import language_name

LIMIT = 10
# Teaching at B1 or above is a language the spouse can follow.
FOLLOWS = "B1"


@dataclass
class Recommendation:
    programme: Programme
    taught: int = 0  # missing skills of the best-served target it teaches
    missing: int = 0  # the missing skills of that target
    occupation: str | None = None
    taught_labels: list[str] = field(default_factory=list)
    language_fit: bool = False
    shortfalls: list = field(default_factory=list)
    by_hand: Enrolment | None = None
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Recommendations:
    items: list[Recommendation]
    has_targets: bool


def _gap_by_target(case_id: int) -> tuple[dict[int, set[int]], dict[int, str], dict[int, str]]:
    """Target occupation id -> the essential skills the spouse lacks; occupation and skill labels."""
    held = held_skill_ids(case_id)
    targets = target_occupation_ids(case_id)
    occupations = occupations_by_id(targets)
    needs = occupations_skills(targets)
    missing = {t: {s.id for s in needs[t].essential if s.id not in held} for t in targets if t in occupations}
    labels = {s.id: s.preferred_label for t in targets for s in needs[t].essential}
    return missing, {t: occupations[t].preferred_label for t in missing}, labels


def for_case(case_id: int, *, today: date, limit: int = LIMIT) -> Recommendations:
    missing, occupation_labels, skill_labels = _gap_by_target(case_id)
    all_missing = set().union(*missing.values()) if missing else set()
    teaches: dict[int, set[int]] = {}
    if all_missing:
        rows = db.session.execute(
            select(ProgrammeSkill.programme_id, ProgrammeSkill.skill_id)
            .join(Programme, Programme.id == ProgrammeSkill.programme_id)
            .where(
                ProgrammeSkill.skill_id.in_(all_missing),
                Programme.open_for_signup.is_(True),
                or_(Programme.ends_on.is_(None), Programme.ends_on >= today),
            )
        )
        for programme_id, skill_id in rows:
            teaches.setdefault(programme_id, set()).add(skill_id)
    enrolments = db.session.scalars(select(Enrolment).where(Enrolment.case_id == case_id)).all()
    by_hand = {e.programme_id: e for e in enrolments if e.status == "recommended"}
    taken = {e.programme_id for e in enrolments if e.status != "recommended"}
    levels = spouse_levels(case_id)

    # Programme -> (missing skills it teaches for its best-served target, that target).
    best_of: dict[int, tuple[int, int]] = {}
    for programme_id, skills in teaches.items():
        if programme_id not in taken:
            best = max(missing, key=lambda t: (len(skills & missing[t]), -t))
            best_of[programme_id] = (len(skills & missing[best]), best)
    # The best by skills taught; language and dates are judged on those loaded below.
    chosen = heapq.nsmallest(limit * 3, best_of, key=lambda p: (-best_of[p][0], p))
    ids = set(chosen) | set(by_hand)
    programmes = db.session.scalars(select(Programme).where(Programme.id.in_(ids))).all() if ids else []
    items = []
    for programme in programmes:
        item = Recommendation(programme=programme, by_hand=by_hand.get(programme.id))
        if programme.id in best_of:
            item.taught, target = best_of[programme.id]
            item.missing, item.occupation = len(missing[target]), occupation_labels[target]
            item.taught_labels = sorted(skill_labels[s] for s in teaches[programme.id] & missing[target])
        item.shortfalls = language_shortfalls(programme, levels)
        item.language_fit = not item.shortfalls and meets(levels.get(programme.language), FOLLOWS)
        items.append(item)
    items.sort(key=lambda item: _rank(item, today))
    shown = [item for item in items if item.by_hand] + [item for item in items if not item.by_hand][:limit]
    for item in shown:
        item.reasons = _reasons(item)
    return Recommendations(items=shown, has_targets=bool(missing))


def _rank(item: Recommendation, today: date) -> tuple:
    starts = item.programme.starts_on
    started = starts is not None and starts < today
    return (-item.taught, not item.language_fit, started, starts or date.max, item.programme.id)


def _reasons(item: Recommendation) -> list[str]:
    reasons = []
    if item.taught:
        reasons.append(
            ngettext(
                "teaches %(num)d of the %(missing)d skills missing for %(occupation)s",
                "teaches %(num)d of the %(missing)d skills missing for %(occupation)s",
                item.taught,
                missing=item.missing,
                occupation=item.occupation,
            )
        )
    language = language_name(item.programme.language)
    if item.language_fit:
        reasons.append(_("taught in %(language)s", language=language))
    elif item.shortfalls:
        needed = ", ".join(f"{language_name(code)} {level}" for code, level, _theirs in item.shortfalls)
        reasons.append(_("needs %(levels)s", levels=needed))
    else:
        reasons.append(_("taught in %(language)s, which is not in your profile at B1 or above", language=language))
    return reasons
