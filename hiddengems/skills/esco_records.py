"""What is read from an ESCO release: its records, still by URI, checked line by line but not
yet against the database (hiddengems/skills/esco.py reads them, importer.py writes them)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class IscoRecord:
    uri: str
    code: str
    label: str
    description: str | None


@dataclass(frozen=True, slots=True)
class OccupationRecord:
    uri: str
    isco_code: str
    code: str | None
    label: str
    alt: tuple[str, ...]
    hidden: tuple[str, ...] | None  # None: the file has no such column
    description: str | None
    status: str | None
    line: int


@dataclass(frozen=True, slots=True)
class SkillRecord:
    uri: str
    skill_type: str | None
    reuse_level: str | None
    label: str
    alt: tuple[str, ...]
    hidden: tuple[str, ...] | None
    description: str | None
    status: str | None


# A line of a relations file (or a broader link of a collection), still by URI:
# (source URI, relation type, target URI).
Relation = tuple[str, str, str]


@dataclass
class Release:
    """Everything read from one folder, checked line by line, not yet against the database."""

    files: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    isco_groups: dict[str, IscoRecord] = field(default_factory=dict)
    occupations: dict[str, OccupationRecord] = field(default_factory=dict)
    skills: dict[str, SkillRecord] = field(default_factory=dict)
    # Which kinds of file were read: a complete file decides what became obsolete.
    kinds: set[str] = field(default_factory=set)
    # Skills whose broader links a collection listed (all of them, for each such skill).
    broader_known: set[str] = field(default_factory=set)
    broader: list[Relation] = field(default_factory=list)
    skill_relations: list[Relation] = field(default_factory=list)
    occupation_skills: list[Relation] = field(default_factory=list)
