"""Small ESCO releases for the tests, written from the starter taxonomy's rows (real ESCO rows).

A test names the occupations and skills it wants by preferred label, may change a row,
and gets a folder in the download's format: skills_en.csv with one label per line, the
relations between the chosen concepts, every ISCO group of the starter.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

from hiddengems.skills.esco_writer import (
    ISCO_COLUMNS,
    OCCUPATION_COLUMNS,
    OCCUPATION_SKILL_COLUMNS,
    SKILL_COLUMNS,
    SKILL_RELATION_COLUMNS,
    join_labels,
    split_collection_labels,
    write_csv,
)
from hiddengems.skills.starter import starter_directory

STARTER_SKILLS = "starterSkillsCollection_en.csv"


@cache
def starter_rows(name: str) -> tuple[dict[str, str], ...]:
    with (starter_directory() / name).open(encoding="utf-8", newline="") as source:
        return tuple(csv.DictReader(source))


def occupation(label: str) -> dict[str, str]:
    return next(dict(row) for row in starter_rows("occupations_en.csv") if row["preferredLabel"] == label)


def skill(label: str) -> dict[str, str]:
    """A starter skill as a row of skills_en.csv (labels one per line)."""
    row = next(row for row in starter_rows(STARTER_SKILLS) if " ".join(row["preferredLabel"].split()) == label)
    return {
        **{column: row.get(column, "") for column in SKILL_COLUMNS},
        "altLabels": join_labels(split_collection_labels(row["altLabels"])),
    }


def write_release(
    folder: Path,
    *,
    occupations: Iterable[str] = (),
    skills: Iterable[str] = (),
    changes: Mapping[str, Mapping[str, str]] | None = None,
    isco: bool = True,
    relations: bool = True,
) -> Path:
    """Write a release of the named concepts; ``changes`` maps a preferred label to new column values."""
    folder.mkdir(parents=True, exist_ok=True)
    changes = changes or {}
    occupation_rows = [{**occupation(label), **changes.get(label, {})} for label in occupations]
    skill_rows = [{**skill(label), **changes.get(label, {})} for label in skills]
    if isco:
        write_csv(folder / "ISCOGroups_en.csv", ISCO_COLUMNS, starter_rows("ISCOGroups_en.csv"))
    if occupation_rows:
        write_csv(folder / "occupations_en.csv", OCCUPATION_COLUMNS, occupation_rows)
    if skill_rows:
        write_csv(folder / "skills_en.csv", SKILL_COLUMNS, skill_rows)
    if relations:
        occupation_uris = {row["conceptUri"] for row in occupation_rows}
        skill_uris = {row["conceptUri"] for row in skill_rows}
        needs = [
            row
            for row in starter_rows("occupationSkillRelations_en.csv")
            if row["occupationUri"] in occupation_uris and row["skillUri"] in skill_uris
        ]
        if needs:
            write_csv(folder / "occupationSkillRelations_en.csv", OCCUPATION_SKILL_COLUMNS, needs)
        links = [
            row
            for row in starter_rows("skillSkillRelations_en.csv")
            if row["originalSkillUri"] in skill_uris and row["relatedSkillUri"] in skill_uris
        ]
        if links:
            write_csv(folder / "skillSkillRelations_en.csv", SKILL_RELATION_COLUMNS, links)
    return folder
