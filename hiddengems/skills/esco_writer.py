"""Files in the ESCO download's format, for the starter taxonomy's build script, the tests and the benchmark.

The app itself only reads such files (hiddengems.skills.esco).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from hiddengems.skills.esco import split_labels

# The headers of the official files, for writing files in the same format.
ISCO_COLUMNS = ("conceptType", "conceptUri", "code", "preferredLabel", "status", "altLabels", "inScheme", "description")
OCCUPATION_COLUMNS = (
    "conceptType",
    "conceptUri",
    "iscoGroup",
    "preferredLabel",
    "altLabels",
    "hiddenLabels",
    "status",
    "modifiedDate",
    "regulatedProfessionNote",
    "scopeNote",
    "definition",
    "inScheme",
    "description",
    "code",
)
SKILL_COLUMNS = (
    "conceptType",
    "conceptUri",
    "skillType",
    "reuseLevel",
    "preferredLabel",
    "altLabels",
    "hiddenLabels",
    "status",
    "modifiedDate",
    "scopeNote",
    "definition",
    "inScheme",
    "description",
)
SKILL_RELATION_COLUMNS = (
    "originalSkillUri",
    "originalSkillType",
    "relationType",
    "relatedSkillType",
    "relatedSkillUri",
)
OCCUPATION_SKILL_COLUMNS = ("occupationUri", "relationType", "skillType", "skillUri")


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Mapping[str, str]]) -> None:
    """Write rows in the download's format: every column, CRLF between lines, UTF-8."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\r\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in columns})


def join_labels(labels: Iterable[str]) -> str:
    """Several labels in one field of a main file (occupations_*.csv, skills_*.csv)."""
    return "\n".join(labels)


def split_collection_labels(value: str) -> list[str]:
    """The labels of a collection file's field ("a | b")."""
    return list(split_labels(value, " | "))


def skills_from_collections(paths: Iterable[Path]) -> list[dict[str, str]]:
    """The skills of collection files as rows of skills_*.csv (labels one per line), each skill once.

    The collections carry the columns of skills_*.csv but for the hidden labels, with " | "
    between labels; the tests, the benchmark and the starter taxonomy build a skills file from them.
    """
    rows: dict[str, dict[str, str]] = {}
    for path in paths:
        with path.open(encoding="utf-8-sig", newline="") as source:
            for row in csv.DictReader(source, strict=True):
                if row["conceptUri"] in rows:
                    continue
                rows[row["conceptUri"]] = {
                    **{column: row.get(column, "") for column in SKILL_COLUMNS},
                    "altLabels": join_labels(split_collection_labels(row["altLabels"])),
                }
    return list(rows.values())
