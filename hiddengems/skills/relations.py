"""Write a release's relations: skill to skill (and broader links), occupation to skill.

Relations are facts of a release, not things others point at: a complete release
replaces them, adding, changing and removing rows; a partial one only adds and changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import bindparam, delete, select, update

from hiddengems.skills.bulk import execute_many, insert_many, plain_rows
from hiddengems.skills.esco import Release
from hiddengems.skills.models import OccupationSkill, SkillRelation

if TYPE_CHECKING:
    from hiddengems.skills.importer import Tally

OCCUPATION_SKILL = OccupationSkill.__table__
SKILL_RELATION = SkillRelation.__table__


def write_skill_relations(release: Release, skills: dict[str, int], tally: Tally, *, complete: bool) -> None:
    """ESCO's skill-to-skill relations and the collections' broader links, between known skills."""
    if not ({"skill_relations", "collections"} & release.kinds):
        return
    wanted: set[tuple[int, int, str]] = set()
    # The reasons are translated once: a release skips thousands of lines for each.
    unknown = _("a skill that is not in the taxonomy")
    not_a_skill = _("the broader concept is not a skill of the taxonomy (a skill group or a field of education)")
    itself, twice = _("relates a skill to itself"), _("listed twice")
    for source_uri, kind, target_uri in [*release.skill_relations, *release.broader]:
        source, target = skills.get(source_uri), skills.get(target_uri)
        if source is None or (target is None and kind != "broader"):
            tally.skipped[unknown] += 1
        elif target is None:
            tally.skipped[not_a_skill] += 1
        elif source == target:
            tally.skipped[itself] += 1
        elif (source, target, kind) in wanted:
            tally.skipped[twice] += 1
        else:
            wanted.add((source, target, kind))
    columns = (SKILL_RELATION.c.skill_id, SKILL_RELATION.c.related_skill_id, SKILL_RELATION.c.relation)
    stored = set(plain_rows(select(*columns)))
    new = sorted(wanted - stored)
    tally.created, tally.unchanged = len(new), len(wanted & stored)
    insert_many(SKILL_RELATION, [{"skill_id": s, "related_skill_id": r, "relation": kind} for s, r, kind in new])
    if complete:
        # A relations file lists every essential/optional link; a collection lists every
        # broader link of the skills in it. What they no longer list is gone from ESCO.
        broader_of = {skills[uri] for uri in release.broader_known if uri in skills}
        gone = [
            (s, r, kind)
            for s, r, kind in stored - wanted
            if (kind == "broader" and s in broader_of) or (kind != "broader" and "skill_relations" in release.kinds)
        ]
        statement = delete(SKILL_RELATION).where(
            SKILL_RELATION.c.skill_id == bindparam("s"),
            SKILL_RELATION.c.related_skill_id == bindparam("r"),
            SKILL_RELATION.c.relation == bindparam("k"),
        )
        execute_many(statement, [{"s": s, "r": r, "k": kind} for s, r, kind in gone])
        tally.removed = len(gone)


def write_occupation_skills(
    release: Release, occupations: dict[str, int], skills: dict[str, int], tally: Tally, *, complete: bool
) -> None:
    """Which skills each occupation needs, essential or optional."""
    if "occupation_skills" not in release.kinds:
        return
    wanted: dict[tuple[int, int], str] = {}
    no_occupation, no_skill = (
        _("an occupation that is not in the taxonomy"),
        _("a skill that is not in the taxonomy"),
    )
    twice = _("listed twice (the first kept)")
    for occupation_uri, kind, skill_uri in release.occupation_skills:
        occupation, skill = occupations.get(occupation_uri), skills.get(skill_uri)
        if occupation is None:
            tally.skipped[no_occupation] += 1
        elif skill is None:
            tally.skipped[no_skill] += 1
        elif (occupation, skill) in wanted:
            tally.skipped[twice] += 1
        else:
            wanted[(occupation, skill)] = kind
    stored = {
        (o, s): kind
        for o, s, kind in plain_rows(
            select(OCCUPATION_SKILL.c.occupation_id, OCCUPATION_SKILL.c.skill_id, OCCUPATION_SKILL.c.relation)
        )
    }
    new = [
        {"occupation_id": o, "skill_id": s, "relation": kind} for (o, s), kind in wanted.items() if (o, s) not in stored
    ]
    changed = [
        {"o": o, "s": s, "k": kind} for (o, s), kind in wanted.items() if (o, s) in stored and stored[(o, s)] != kind
    ]
    tally.created, tally.updated = len(new), len(changed)
    tally.unchanged = len(wanted) - len(new) - len(changed)
    insert_many(OCCUPATION_SKILL, new)
    where = (OCCUPATION_SKILL.c.occupation_id == bindparam("o"), OCCUPATION_SKILL.c.skill_id == bindparam("s"))
    execute_many(update(OCCUPATION_SKILL).where(*where).values(relation=bindparam("k")), changed)
    if complete:
        gone = [{"o": o, "s": s} for (o, s) in stored if (o, s) not in wanted]
        execute_many(delete(OCCUPATION_SKILL).where(*where), gone)
        tally.removed = len(gone)
