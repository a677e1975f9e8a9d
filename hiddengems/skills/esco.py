"""The ESCO CSV download: find its files in a folder, read and check them, and write files in its format.

Reading never touches the database: a release is read whole and every problem found
(file and line) before the importer writes anything. Columns are found by their header
name, because releases differ in which columns they have and in what order.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from flask_babel import gettext as _

from hiddengems.skills.esco_records import IscoRecord, OccupationRecord, Relation, Release, SkillRecord
from hiddengems.skills.models import (
    LABEL_LENGTH,
    OCCUPATION_SKILL_RELATIONS,
    REUSE_LEVELS,
    SKILL_RELATIONS,
    SKILL_TYPES,
    URI_LENGTH,
)

__all__ = ["IscoRecord", "OccupationRecord", "Relation", "Release", "SkillRecord"]

# File name patterns of the official download ("_en" is the language of its labels).
PATTERNS = {
    "isco": "ISCOGroups_*.csv",
    "occupations": "occupations_*.csv",
    "skills": "skills_*.csv",
    "collections": "*SkillsCollection_*.csv",
    "skill_relations": "skillSkillRelations_*.csv",
    "occupation_skills": "occupationSkillRelations_*.csv",
}
# The columns the importer reads; a file without one of them is refused.
REQUIRED = {
    "isco": ("conceptUri", "code", "preferredLabel"),
    "occupations": ("conceptUri", "iscoGroup", "preferredLabel", "altLabels", "description"),
    "skills": ("conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels", "description"),
    "skill_relations": ("originalSkillUri", "relationType", "relatedSkillUri"),
    "occupation_skills": ("occupationUri", "relationType", "skillUri"),
}
REQUIRED["collections"] = REQUIRED["skills"]

ESCO = "http://data.europa.eu/esco/"
# An absolute http(s) URI of printable ASCII: no spaces, quotes or control characters.
_URI = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?/[!-~]+")
_ISCO_CODE = re.compile(r"[0-9]{1,4}")
# Enough to fix a broken file in one go without flooding the terminal.
MAX_PROBLEMS = 100


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.file}, line {self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


class ImportFailed(Exception):
    """The files cannot be imported; nothing was written."""

    def __init__(self, problems: Sequence[Problem], more: int = 0) -> None:
        super().__init__(f"{len(problems) + more} problems")
        self.problems = list(problems)
        self.more = more


class Bar(Protocol):
    def update(self, n_steps: int) -> None: ...


# progress(label, total) opens a progress bar (click.progressbar fits); None shows nothing.
Progress = Callable[[str, int], AbstractContextManager[Bar]]


class _NoBar:
    def update(self, n_steps: int) -> None:
        pass


def no_progress(label: str, total: int) -> AbstractContextManager[Bar]:
    return nullcontext(_NoBar())


class _Problems:
    def __init__(self) -> None:
        self.found: list[Problem] = []
        self.more = 0

    def add(self, file: str, line: int | None, message: str) -> None:
        if len(self.found) < MAX_PROBLEMS:
            self.found.append(Problem(file, line, message))
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.found)


def find_files(directory: Path) -> dict[str, list[Path]]:
    """The release's files by kind, in name order."""
    return {kind: sorted(directory.glob(pattern)) for kind, pattern in PATTERNS.items()}


def read_release(directory: Path, progress: Progress = no_progress) -> Release:
    """Read and check every ESCO file in ``directory``; ImportFailed lists what is wrong."""
    problems = _Problems()
    release = Release()
    if not directory.is_dir():
        raise ImportFailed([Problem(str(directory), None, _("not a folder"))])
    found = find_files(directory)
    for kind in ("isco", "occupations", "skills", "skill_relations", "occupation_skills"):
        if len(found[kind]) > 1:
            names = ", ".join(path.name for path in found[kind])
            problems.add(
                directory.name,
                None,
                _("several files of one kind (%(names)s): import one language at a time", names=names),
            )
    known = {path for paths in found.values() for path in paths}
    release.ignored = sorted(path.name for path in directory.glob("*.csv") if path not in known)
    ordered = [(kind, path) for kind in PATTERNS for path in found[kind]]
    if not ordered:
        problems.add(directory.name, None, _("no ESCO files here (occupations_en.csv, skills_en.csv, …)"))
    if problems:
        raise ImportFailed(problems.found, problems.more)

    readers = {
        "isco": _read_isco,
        "occupations": _read_occupations,
        "skills": _read_skills,
        "collections": _read_skills,
        "skill_relations": _read_relations,
        "occupation_skills": _read_relations,
    }
    with progress(_("Reading files"), len(ordered)) as bar:
        for kind, path in ordered:
            release.files.append(path.name)
            release.kinds.add(kind)
            rows = _rows(path, REQUIRED[kind], problems)
            if rows is not None:
                readers[kind](kind, path.name, rows, release, problems)
            bar.update(1)
    if problems:
        raise ImportFailed(problems.found, problems.more)
    return release


class _Rows:
    """The lines of one CSV file as dicts by column name, each with its first line number."""

    def __init__(self, name: str, header: list[str], reader: Any, problems: _Problems) -> None:
        self.name = name
        self.header = header
        self.columns = frozenset(header)
        self._reader = reader
        self._problems = problems

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        header = self.header
        for line, values in self.values():
            yield line, dict(zip(header, values, strict=True))

    def values(self) -> Iterator[tuple[int, list[str]]]:
        """(line, fields) without a dict per line: the relations files have 100,000s of lines."""
        reader = self._reader
        width = len(self.header)
        while True:
            line = reader.line_num + 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                # The reader's place in the file is lost after this: stop reading it.
                self._problems.add(self.name, line, _("cannot be read as CSV (%(error)s)", error=str(error)))
                return
            if not values or values == [""]:
                continue
            if len(values) != width:
                self._problems.add(
                    self.name,
                    line,
                    _(
                        "%(found)d fields where the header has %(expected)d: a truncated or broken line",
                        found=len(values),
                        expected=width,
                    ),
                )
                continue
            yield line, values


def _rows(path: Path, required: Iterable[str], problems: _Problems) -> _Rows | None:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = f"0x{data[error.start]:02x}"
        problems.add(path.name, line, _("not UTF-8 text (byte %(byte)s): save the file as UTF-8", byte=byte))
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        problems.add(path.name, 1, _("the file is empty"))
        return None
    except csv.Error as error:
        problems.add(path.name, 1, _("cannot be read as CSV (%(error)s)", error=str(error)))
        return None
    missing = [column for column in required if column not in header]
    for column in missing:
        problems.add(path.name, 1, _("missing column %(column)s", column=column))
    return None if missing else _Rows(path.name, header, reader, problems)


def _uri_problem(uri: str, kind: str) -> str | None:
    if not uri:
        return _("no URI")
    if len(uri) > URI_LENGTH or not _URI.fullmatch(uri):
        return _("%(uri)s is not a URI", uri=uri[:80])
    if uri.startswith(ESCO):
        rest = uri[len(ESCO) :]
        if not (rest.startswith(kind + "/") and len(rest) > len(kind) + 1):
            return _("%(uri)s is not an ESCO %(kind)s URI", uri=uri[:80], kind=kind)
    return None


def split_labels(value: str, separator: str | None) -> tuple[str, ...]:
    """The labels of one field, trimmed, each once. ``separator`` None: one per line (the main
    files); the collections use " | "."""
    parts = value.splitlines() if separator is None else value.split(separator)
    seen: dict[str, None] = {}
    for part in parts:
        label = " ".join(part.split())
        if label:
            seen.setdefault(label, None)
    return tuple(seen)


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


class _Concepts:
    """Checks shared by the concept files: URI, labels, one line per URI."""

    def __init__(self, name: str, rows: _Rows, problems: _Problems, kind: str, separator: str | None) -> None:
        self.name = name
        self.rows = rows
        self.problems = problems
        self.kind = kind
        self.separator = separator
        self.lines: dict[str, int] = {}

    def __iter__(self) -> Iterator[tuple[int, dict[str, str], str, str, tuple[str, ...], tuple[str, ...] | None]]:
        """(line, row, uri, preferred label, alternative labels, hidden labels or None)."""
        has_hidden = "hiddenLabels" in self.rows.columns
        for line, row in self.rows:
            uri = row["conceptUri"].strip()
            problem = _uri_problem(uri, self.kind)
            if problem:
                self.problems.add(self.name, line, problem)
                continue
            if uri in self.lines:
                self.problems.add(self.name, line, _("%(uri)s is also on line %(line)d", uri=uri, line=self.lines[uri]))
                continue
            self.lines[uri] = line
            label = " ".join(row["preferredLabel"].split())
            if not label:
                self.problems.add(self.name, line, _("no preferred label"))
                continue
            alt = split_labels(row.get("altLabels", ""), self.separator)
            hidden = split_labels(row["hiddenLabels"], self.separator) if has_hidden else None
            too_long = [text for text in (label, *alt, *(hidden or ())) if len(text) > LABEL_LENGTH]
            if too_long:
                self.problems.add(
                    self.name, line, _("a label is longer than %(length)d characters", length=LABEL_LENGTH)
                )
                continue
            yield line, row, uri, label, alt, hidden


def _read_isco(kind: str, name: str, rows: _Rows, release: Release, problems: _Problems) -> None:
    codes: dict[str, int] = {}
    for line, row, uri, label, _alt, _hidden in _Concepts(name, rows, problems, "isco", None):
        code = row["code"].strip()
        if not _ISCO_CODE.fullmatch(code):
            problems.add(name, line, _("ISCO code %(code)s is not 1 to 4 digits", code=code[:20]))
            continue
        if code in codes:
            problems.add(name, line, _("ISCO code %(code)s is also on line %(line)d", code=code, line=codes[code]))
            continue
        codes[code] = line
        release.isco_groups[uri] = IscoRecord(uri, code, label, _text(row.get("description")))


def _read_occupations(kind: str, name: str, rows: _Rows, release: Release, problems: _Problems) -> None:
    for line, row, uri, label, alt, hidden in _Concepts(name, rows, problems, "occupation", None):
        isco_code = row["iscoGroup"].strip()
        if not _ISCO_CODE.fullmatch(isco_code):
            problems.add(name, line, _("ISCO group %(code)s is not 1 to 4 digits", code=isco_code[:20]))
            continue
        code = _text(row.get("code"))
        if code is not None and len(code) > 40:
            problems.add(name, line, _("the code is longer than 40 characters"))
            continue
        release.occupations[uri] = OccupationRecord(
            uri, isco_code, code, label, alt, hidden, _text(row["description"]), _status(row), line
        )


def _read_skills(kind: str, name: str, rows: _Rows, release: Release, problems: _Problems) -> None:
    collection = kind == "collections"
    has_broader = collection and "broaderConceptUri" in rows.columns
    for line, row, uri, label, alt, hidden in _Concepts(name, rows, problems, "skill", " | " if collection else None):
        skill_type = _text(row["skillType"])
        reuse_level = _text(row["reuseLevel"])
        if skill_type is not None and skill_type not in SKILL_TYPES:
            problems.add(name, line, _("unknown skill type %(value)s", value=skill_type[:40]))
            continue
        if reuse_level is not None and reuse_level not in REUSE_LEVELS:
            problems.add(name, line, _("unknown reuse level %(value)s", value=reuse_level[:40]))
            continue
        # skills_*.csv is read first and is the whole pillar: a skill it has wins over a
        # collection's copy, which lacks the hidden labels.
        release.skills.setdefault(
            uri, SkillRecord(uri, skill_type, reuse_level, label, alt, hidden, _text(row["description"]), _status(row))
        )
        if has_broader and uri not in release.broader_known:
            release.broader_known.add(uri)
            for target in split_labels(row["broaderConceptUri"], " | "):
                release.broader.append((uri, "broader", target))


def _read_relations(kind: str, name: str, rows: _Rows, release: Release, problems: _Problems) -> None:
    if kind == "skill_relations":
        source_column, target_column, source_kind, target_kind = "originalSkillUri", "relatedSkillUri", "skill", "skill"
        allowed, into = SKILL_RELATIONS, release.skill_relations
    else:
        source_column, target_column, source_kind, target_kind = "occupationUri", "skillUri", "occupation", "skill"
        allowed, into = OCCUPATION_SKILL_RELATIONS, release.occupation_skills
    source_at, target_at = rows.header.index(source_column), rows.header.index(target_column)
    relation_at = rows.header.index("relationType")
    # The same few thousand URIs recur on every line: each is checked once (per column), and
    # kept once, which saves a third of the memory of ESCO's 129,000 occupation-skill lines.
    good_sources: dict[str, str] = {}
    good_targets: dict[str, str] = {}
    for line, values in rows.values():
        source, target = values[source_at].strip(), values[target_at].strip()
        problem = (None if source in good_sources else _uri_problem(source, source_kind)) or (
            None if target in good_targets else _uri_problem(target, target_kind)
        )
        if problem:
            problems.add(name, line, problem)
            continue
        source = good_sources.setdefault(source, source)
        target = good_targets.setdefault(target, target)
        relation = values[relation_at].strip()
        if relation not in allowed:
            problems.add(name, line, _("unknown relation type %(value)s", value=relation[:40]))
            continue
        # A plain tuple: a NamedTuple per line costs a third of reading the file.
        into.append((source, relation, target))


def _status(row: Mapping[str, str]) -> str | None:
    status = _text(row.get("status"))
    return status[:20] if status else None
