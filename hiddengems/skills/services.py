"""The taxonomy for the other domains: concepts by URI, what an occupation needs, related skills, the gap.

Plain functions with a fixed number of queries, so that a page (the skills profile, the
gap view), training recommendations and employer matching can call them per case or per
opening. They read only; the spouse's profile is written in hiddengems.skills.profile.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import cache

from sqlalchemy import and_, bindparam, or_, select
from sqlalchemy.orm import joinedload

from hiddengems.extensions import db
from hiddengems.skills.models import Occupation, OccupationSkill, Skill, SkillRelation

# How a skill the spouse holds relates to one they lack, in ESCO's words:
# "broader": the held skill is the broader concept (knows programming, lacks JavaScript);
# "narrower": the held skill is a kind of the missing one (knows JavaScript, lacks programming);
# "related": ESCO lists one as essential or optional for the other (skillSkillRelations).
RELATED_KINDS = ("broader", "narrower", "related")


def occupation_by_uri(uri: str) -> Occupation | None:
    return db.session.scalar(select(Occupation).where(Occupation.uri == uri))


def skill_by_uri(uri: str) -> Skill | None:
    return db.session.scalar(select(Skill).where(Skill.uri == uri))


def occupations_by_id(ids: Iterable[int]) -> dict[int, Occupation]:
    """Occupations with their ISCO group, in one query."""
    ids = set(ids)
    if not ids:
        return {}
    query = select(Occupation).where(Occupation.id.in_(ids)).options(joinedload(Occupation.isco_group))
    return {occupation.id: occupation for occupation in db.session.scalars(query)}


def skills_by_id(ids: Iterable[int]) -> dict[int, Skill]:
    ids = set(ids)
    if not ids:
        return {}
    return {skill.id: skill for skill in db.session.scalars(select(Skill).where(Skill.id.in_(ids)))}


@dataclass(frozen=True)
class SkillNeeds:
    """What an occupation asks for, each list in label order."""

    essential: list[Skill]
    optional: list[Skill]


def occupation_skills(occupation_id: int) -> SkillNeeds:
    """The essential and optional skills of an occupation, in one query."""
    return occupations_skills([occupation_id])[occupation_id]


def occupations_skills(occupation_ids: Iterable[int]) -> dict[int, SkillNeeds]:
    """The same for several occupations at once, still one query; every id gets an entry."""
    ids = set(occupation_ids)
    needs = {occupation_id: SkillNeeds([], []) for occupation_id in ids}
    if not ids:
        return needs
    rows = db.session.execute(
        select(OccupationSkill.occupation_id, OccupationSkill.relation, Skill)
        .join(Skill, Skill.id == OccupationSkill.skill_id)
        .where(OccupationSkill.occupation_id.in_(ids))
        .order_by(Skill.preferred_label, Skill.id)
    )
    for occupation_id, relation, skill in rows:
        (needs[occupation_id].essential if relation == "essential" else needs[occupation_id].optional).append(skill)
    return needs


def broader_skills(skill_id: int) -> list[Skill]:
    """The skills ESCO lists as broader than this one (JavaScript → computer programming)."""
    return list(
        db.session.scalars(
            select(Skill)
            .join(SkillRelation, SkillRelation.related_skill_id == Skill.id)
            .where(SkillRelation.skill_id == skill_id, SkillRelation.relation == "broader")
            .order_by(Skill.preferred_label)
        )
    )


def narrower_skills(skill_id: int) -> list[Skill]:
    """The skills ESCO lists as kinds of this one (computer programming → JavaScript, …)."""
    return list(
        db.session.scalars(
            select(Skill)
            .join(SkillRelation, SkillRelation.skill_id == Skill.id)
            .where(SkillRelation.related_skill_id == skill_id, SkillRelation.relation == "broader")
            .order_by(Skill.preferred_label)
        )
    )


def related_skills(skill_id: int) -> list[tuple[str, Skill]]:
    """ESCO's skill-to-skill relations of this skill: (essential | optional, skill), either way round."""
    rows = db.session.execute(
        select(SkillRelation.relation, Skill)
        .join(
            Skill,
            or_(
                and_(SkillRelation.skill_id == skill_id, Skill.id == SkillRelation.related_skill_id),
                and_(SkillRelation.related_skill_id == skill_id, Skill.id == SkillRelation.skill_id),
            ),
        )
        .where(SkillRelation.relation != "broader")
        .order_by(Skill.preferred_label)
    )
    return [(relation, skill) for relation, skill in rows]


@dataclass(frozen=True)
class RelatedHeld:
    skill: Skill
    kind: str  # one of RELATED_KINDS


@dataclass(frozen=True)
class Gap:
    """A spouse's skills against an occupation's (or an opening's) essential and optional ones."""

    occupation_id: int | None
    essential_held: list[Skill]
    essential_missing: list[Skill]
    optional_held: list[Skill]
    optional_missing: list[Skill]
    # For each missing essential skill (by id), the held skills ESCO relates to it.
    related: dict[int, list[RelatedHeld]] = field(default_factory=dict)

    @property
    def essential_count(self) -> int:
        return len(self.essential_held) + len(self.essential_missing)

    @property
    def coverage(self) -> float:
        """The share of essential skills held, 0 to 1 (0 when the occupation lists none)."""
        return len(self.essential_held) / self.essential_count if self.essential_count else 0.0


def gap(held_skill_ids: Collection[int], occupation_id: int) -> Gap:
    """What the spouse holds and lacks for one occupation; three queries."""
    return gaps(held_skill_ids, [occupation_id])[0]


def gaps(held_skill_ids: Collection[int], occupation_ids: Iterable[int]) -> list[Gap]:
    """The gap to each occupation, in the order given, in three queries whatever their number."""
    occupation_ids = list(dict.fromkeys(occupation_ids))
    needs = occupations_skills(occupation_ids)
    held = set(held_skill_ids)
    missing = {
        skill.id for occupation_id in occupation_ids for skill in needs[occupation_id].essential if skill.id not in held
    }
    related = _related_held(held, missing)
    return [
        _compare(occupation_id, held, needs[occupation_id].essential, needs[occupation_id].optional, related)
        for occupation_id in occupation_ids
    ]


def skill_gap(held_skill_ids: Collection[int], essential_ids: Iterable[int], optional_ids: Iterable[int] = ()) -> Gap:
    """The gap to any set of skills (an opening's, a course's), not an occupation's; three queries."""
    essential_ids, optional_ids = set(essential_ids), set(optional_ids) - set(essential_ids)
    skills = skills_by_id(essential_ids | optional_ids)
    held = set(held_skill_ids)

    def ordered(ids: set[int]) -> list[Skill]:
        return sorted((skills[i] for i in ids if i in skills), key=lambda skill: (skill.preferred_label, skill.id))

    essential, optional = ordered(essential_ids), ordered(optional_ids)
    related = _related_held(held, {skill.id for skill in essential if skill.id not in held})
    return _compare(None, held, essential, optional, related)


def _compare(
    occupation_id: int | None,
    held: set[int],
    essential: list[Skill],
    optional: list[Skill],
    related: dict[int, list[RelatedHeld]],
) -> Gap:
    missing = [skill for skill in essential if skill.id not in held]
    return Gap(
        occupation_id=occupation_id,
        essential_held=[skill for skill in essential if skill.id in held],
        essential_missing=missing,
        optional_held=[skill for skill in optional if skill.id in held],
        optional_missing=[skill for skill in optional if skill.id not in held],
        related={skill.id: related[skill.id] for skill in missing if skill.id in related},
    )


def _related_held(held: set[int], missing: set[int]) -> dict[int, list[RelatedHeld]]:
    """Missing skill id -> the held skills related to it (two queries: the links, the held skills)."""
    if not held or not missing:
        return {}
    links = db.session.execute(
        select(SkillRelation.skill_id, SkillRelation.related_skill_id, SkillRelation.relation).where(
            or_(
                and_(SkillRelation.skill_id.in_(missing), SkillRelation.related_skill_id.in_(held)),
                and_(SkillRelation.skill_id.in_(held), SkillRelation.related_skill_id.in_(missing)),
            )
        )
    ).all()
    found: dict[int, dict[int, str]] = {}
    for source, target, relation in links:
        if source in missing and target in held:
            # The held skill is the related one: broader than the missing skill, or ESCO-related.
            missing_id, held_id, kind = source, target, "broader" if relation == "broader" else "related"
        else:
            missing_id, held_id, kind = target, source, "narrower" if relation == "broader" else "related"
        kinds = found.setdefault(missing_id, {})
        # One entry per held skill; a broader/narrower link says more than a plain relation.
        if kinds.get(held_id) in (None, "related"):
            kinds[held_id] = kind
    skills = skills_by_id({held_id for kinds in found.values() for held_id in kinds})
    return {
        missing_id: sorted(
            (RelatedHeld(skills[held_id], kind) for held_id, kind in kinds.items()),
            key=lambda item: (RELATED_KINDS.index(item.kind), item.skill.preferred_label),
        )
        for missing_id, kinds in found.items()
    }


@dataclass(frozen=True)
class TargetFit:
    occupation: Occupation
    essential_held: int
    essential_total: int
    optional_held: int
    optional_total: int

    @property
    def coverage(self) -> float:
        return self.essential_held / self.essential_total if self.essential_total else 0.0

    @property
    def essential_missing(self) -> int:
        return self.essential_total - self.essential_held


@cache
def _needed_skill_ids():
    """(occupation, relation, skill id) of some occupations: ids only, as a fit only counts."""
    return select(OccupationSkill.occupation_id, OccupationSkill.relation, OccupationSkill.skill_id).where(
        OccupationSkill.occupation_id.in_(bindparam("occupation_ids", expanding=True))
    )


def closest_target(held_skill_ids: Collection[int], occupation_ids: Iterable[int]) -> list[TargetFit]:
    """The occupations ranked by how close the spouse is: most of the essential skills held,
    then most optional ones, then fewest essential ones to learn. Two queries."""
    ids = list(dict.fromkeys(occupation_ids))
    occupations = occupations_by_id(ids)
    held = set(held_skill_ids)
    # occupation id -> [essential total, essential held, optional total, optional held]
    counts = {occupation_id: [0, 0, 0, 0] for occupation_id in occupations}
    if occupations:
        rows = db.session.execute(_needed_skill_ids(), {"occupation_ids": list(occupations)})
        for occupation_id, relation, skill_id in rows:
            tally = counts[occupation_id]
            at = 0 if relation == "essential" else 2
            tally[at] += 1
            tally[at + 1] += skill_id in held
    fits = [
        TargetFit(
            occupation=occupations[occupation_id],
            essential_held=counts[occupation_id][1],
            essential_total=counts[occupation_id][0],
            optional_held=counts[occupation_id][3],
            optional_total=counts[occupation_id][2],
        )
        for occupation_id in ids
        if occupation_id in occupations
    ]
    return rank_fits(fits)


def rank_fits(fits: Iterable[TargetFit]) -> list[TargetFit]:
    return sorted(
        fits,
        key=lambda fit: (-fit.coverage, -fit.optional_held, fit.essential_missing, fit.occupation.preferred_label),
    )
