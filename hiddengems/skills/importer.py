"""Write an ESCO release into the database: update by URI, never duplicate, never delete a concept.

The whole release is read and checked first (hiddengems.skills.esco), then checked
against the database, and only then written, in the caller's transaction: a broken
file imports nothing. Rows are written in bulk (hiddengems.skills.bulk: executemany,
COPY on PostgreSQL) and compared with what is stored first (a fingerprint per concept),
so that importing the same files again reads and compares, and writes nothing.

Flushes, never commits: the command (or the demo data) commits.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Table, delete, func, insert, select, update

from hiddengems.extensions import db
from hiddengems.skills import search_index
from hiddengems.skills.bulk import ID_CHUNK, chunks, execute_many, insert_many, plain_rows, update_by_id
from hiddengems.skills.esco import (
    PATTERNS,
    ImportFailed,
    Problem,
    Progress,
    Release,
    no_progress,
    read_release,
)
from hiddengems.skills.models import (
    IscoGroup,
    Occupation,
    Skill,
    TaxonomyLabel,
)
from hiddengems.skills.relations import write_occupation_skills, write_skill_relations
from hiddengems.skills.text import label_rows

ISCO = IscoGroup.__table__
OCCUPATION = Occupation.__table__
SKILL = Skill.__table__
LABEL = TaxonomyLabel.__table__

# What the importer compares to decide whether a stored concept changed.
CONCEPT_COLUMNS = {
    table.name: {name: table.c[name] for name in ("preferred_label", "alt_labels", "hidden_labels", *extra)}
    for table, extra in (
        (OCCUPATION, ("code", "isco_group_id", "description", "status", "obsolete")),
        (SKILL, ("skill_type", "reuse_level", "description", "status", "obsolete")),
    )
}


@dataclass
class Tally:
    """What happened to one kind of row. ``skipped`` counts lines by the reason they were left out."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    obsoleted: int = 0
    removed: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.obsoleted or self.removed)


@dataclass
class ImportSummary:
    files: list[str]
    ignored: list[str]
    # isco_groups, occupations, skills, skill_relations, occupation_skills
    tallies: dict[str, Tally]
    # Why nothing was written at all, when that was the decision (the starter next to ESCO).
    note: str | None = None

    @property
    def changed(self) -> bool:
        return any(tally.changed for tally in self.tallies.values())


def import_esco(directory: Path, *, complete: bool = True, progress: Progress = no_progress) -> ImportSummary:
    """Import the ESCO CSV files in ``directory``.

    ``complete``: the folder is a whole release, so a concept missing from one of its main
    files (ISCOGroups, occupations, skills) has left ESCO and is marked obsolete, and a
    relation missing from its relations file is removed. Otherwise (a few files of one's
    own) what is given is created or updated and nothing else is touched.
    Raises ImportFailed, having written nothing, when a file is broken.
    """
    return import_release(read_release(directory, progress), complete=complete, progress=progress)


def new_tallies() -> dict[str, Tally]:
    return {name: Tally() for name in ("isco_groups", "occupations", "skills", "skill_relations", "occupation_skills")}


def import_release(release: Release, *, complete: bool, progress: Progress = no_progress) -> ImportSummary:
    """Write a release already read and checked (read_release); see import_esco."""
    tallies = new_tallies()
    writer = _Writer(release, complete, progress, tallies)
    writer.check()
    writer.write()
    return ImportSummary(files=release.files, ignored=release.ignored, tallies=tallies)


class _Writer:
    def __init__(self, release: Release, complete: bool, progress: Progress, tallies: dict[str, Tally]) -> None:
        self.release = release
        self.complete = complete
        self.progress = progress
        self.tallies = tallies
        self.session = db.session
        self.isco_codes: dict[str, int] = {}
        # Labels the search index must forget (id, normalised) and concepts whose labels it must learn.
        self.unindexed: list[tuple[int, str]] = []
        self.to_index: dict[str, list[int]] = {}
        self.labels_written = 0
        self.refingerprinted: list[tuple[Table, dict[str, Any]]] = []

    # -- checks against the database, before anything is written

    def check(self) -> None:
        release = self.release
        problems: list[Problem] = []
        stored = dict(self.session.execute(select(ISCO.c.code, ISCO.c.id)).all())
        codes = set(stored) | {record.code for record in release.isco_groups.values()}
        for record in release.isco_groups.values():
            if len(record.code) > 1 and record.code[:-1] not in codes:
                problems.append(
                    Problem(
                        _file(release, "isco"),
                        None,
                        _(
                            "ISCO group %(code)s has no parent group %(parent)s",
                            code=record.code,
                            parent=record.code[:-1],
                        ),
                    )
                )
        for record in release.occupations.values():
            if record.isco_code not in codes:
                problems.append(
                    Problem(
                        _file(release, "occupations"),
                        record.line,
                        _(
                            "ISCO group %(code)s is neither in an ISCOGroups file nor in the database",
                            code=record.isco_code,
                        ),
                    )
                )
            if len(problems) >= 100:
                break
        for kind, needs, table in (
            ("occupation_skills", "occupations", OCCUPATION),
            ("occupation_skills", "skills", SKILL),
            ("skill_relations", "skills", SKILL),
        ):
            in_release = release.occupations if needs == "occupations" else release.skills
            relations = getattr(release, kind)
            if relations and not in_release and not self.session.scalar(select(func.count()).select_from(table)):
                problems.append(
                    Problem(
                        _file(release, kind),
                        None,
                        _("needs %(needs)s: add their file to the folder, or import them first", needs=needs),
                    )
                )
        if problems:
            raise ImportFailed(problems)

    # -- writing

    def write(self) -> None:
        release = self.release
        total = (
            len(release.isco_groups)
            + len(release.occupations)
            + len(release.skills)
            + len(release.broader)
            + len(release.skill_relations)
            + len(release.occupation_skills)
        )
        with self.progress(_("Writing"), total) as bar:
            self.bar = bar
            self._isco_groups()
            occupations = self._occupations()
            skills = self._skills()
            write_skill_relations(release, skills, self.tallies["skill_relations"], complete=self.complete)
            self.bar.update(len(release.skill_relations) + len(release.broader))
            write_occupation_skills(
                release, occupations, skills, self.tallies["occupation_skills"], complete=self.complete
            )
            self.bar.update(len(release.occupation_skills))
        for table in (OCCUPATION, SKILL):
            update_by_id(table, [values for of, values in self.refingerprinted if of is table])
        self._index_labels()

    def _index_labels(self) -> None:
        if self.labels_written + len(self.unindexed) > search_index.REBUILD_ABOVE:
            search_index.rebuild()
            return
        search_index.forget(self.unindexed)
        for name, concept_ids in self.to_index.items():
            for chunk in chunks(concept_ids, ID_CHUNK):
                query = select(LABEL.c.id, LABEL.c.normalised).where(LABEL.c[name].in_(chunk))
                search_index.add([tuple(row) for row in self.session.execute(query)])

    def _isco_groups(self) -> None:
        release, tally = self.release, self.tallies["isco_groups"]
        columns = ("code", "preferred_label", "description", "obsolete", "parent_id")
        stored = {
            row.uri: row for row in self.session.execute(select(ISCO.c.id, ISCO.c.uri, *map(ISCO.c.get, columns)))
        }
        new = [
            {"uri": r.uri, "code": r.code, "preferred_label": r.label, "description": r.description, "obsolete": False}
            for r in release.isco_groups.values()
            if r.uri not in stored
        ]
        # Parents are set once every group has an id: a file need not list parents first.
        execute_many(insert(ISCO), new)
        tally.created = len(new)
        ids = dict(self.session.execute(select(ISCO.c.uri, ISCO.c.id)).all())
        self.isco_codes = dict(self.session.execute(select(ISCO.c.code, ISCO.c.id)).all())
        changes = []
        for record in release.isco_groups.values():
            values = {
                "code": record.code,
                "preferred_label": record.label,
                "description": record.description,
                "obsolete": False,
                "parent_id": self.isco_codes.get(record.code[:-1]) if len(record.code) > 1 else None,
            }
            row = stored.get(record.uri)
            before = {name: getattr(row, name) for name in columns} if row else {**values, "parent_id": None}
            if before != values:
                changes.append({"id": ids[record.uri], **values})
                tally.updated += row is not None
            elif row is not None:
                tally.unchanged += 1
        update_by_id(ISCO, changes)
        if self.complete and "isco" in release.kinds:
            tally.obsoleted = self._obsolete(ISCO, stored, release.isco_groups)
        self.bar.update(len(release.isco_groups))

    def _obsolete(self, table: Table, stored: dict[str, Any], current: dict[str, Any]) -> int:
        gone = [row.id for uri, row in stored.items() if uri not in current and not row.obsolete]
        # Concepts carry a fingerprint of what the release said, obsolete=False included: it
        # goes with the flag, so that the concept's return in a later release is an update.
        values = {"obsolete": True, "fingerprint": None} if "fingerprint" in table.c else {"obsolete": True}
        for chunk in chunks(gone, ID_CHUNK):
            self.session.execute(update(table).where(table.c.id.in_(chunk)).values(**values))
        return len(gone)

    def _concepts(
        self,
        table: Table,
        records: dict[str, Any],
        values_of: Callable[[Any], dict[str, Any]],
        tally: Tally,
        complete_kind: str,
        label_column: str,
    ) -> dict[str, int]:
        """Create, update or leave each concept; mark the missing obsolete; rebuild changed labels."""
        stored = {}
        if records:
            stored = {
                uri: (concept_id, fingerprint)
                for concept_id, uri, fingerprint in plain_rows(select(table.c.id, table.c.uri, table.c.fingerprint))
            }
        new, suspects = [], []
        for record in records.values():
            values = {
                "preferred_label": record.label,
                "alt_labels": list(record.alt),
                "hidden_labels": None if record.hidden is None else list(record.hidden),
                **values_of(record),
            }
            values["fingerprint"] = _fingerprint(values)
            row = stored.get(record.uri)
            if row is None:
                if values["hidden_labels"] is None:
                    values["hidden_labels"] = []
                new.append({"uri": record.uri, **values})
            elif row[1] != values["fingerprint"]:
                suspects.append((row[0], values))
            else:
                tally.unchanged += 1
        changes, relabel = [], []
        columns = CONCEPT_COLUMNS[table.name]
        for chunk in chunks(suspects, ID_CHUNK):
            query = select(table.c.id, *columns.values()).where(table.c.id.in_([concept_id for concept_id, _ in chunk]))
            before_by_id = {row.id: row for row in self.session.execute(query)}
            for concept_id, values in chunk:
                before = before_by_id[concept_id]
                if values["hidden_labels"] is None:  # this file has no hidden labels: keep those stored
                    values["hidden_labels"] = before.hidden_labels
                change = {"id": concept_id, **values}
                if all(getattr(before, name) == values[name] for name in columns):
                    tally.unchanged += 1  # the same, read from other files: only the hash is new
                    self.refingerprinted.append((table, {"id": concept_id, "fingerprint": values["fingerprint"]}))
                    continue
                changes.append(change)
                if any(
                    getattr(before, name) != values[name] for name in ("preferred_label", "alt_labels", "hidden_labels")
                ):
                    relabel.append(change)
        execute_many(insert(table), new)
        update_by_id(table, changes)
        tally.created, tally.updated = len(new), len(changes)
        if self.complete and complete_kind in self.release.kinds:
            everything = {
                row.uri: row for row in self.session.execute(select(table.c.id, table.c.uri, table.c.obsolete)).all()
            }
            tally.obsoleted = self._obsolete(table, everything, records)
        ids = dict(self.session.execute(select(table.c.uri, table.c.id)).all())
        column = LABEL.c[label_column]
        for chunk in chunks([values["id"] for values in relabel], ID_CHUNK):
            query = select(LABEL.c.id, LABEL.c.normalised).where(column.in_(chunk))
            self.unindexed += [tuple(row) for row in self.session.execute(query)]
            self.session.execute(delete(LABEL).where(column.in_(chunk)))
        labels = [row for values in relabel for row in label_rows(label_column, values["id"], values)]
        labels += [row for values in new for row in label_rows(label_column, ids[values["uri"]], values)]
        insert_many(LABEL, labels)
        self.to_index[label_column] = [values["id"] for values in relabel] + [ids[values["uri"]] for values in new]
        self.labels_written += len(labels)
        self.bar.update(len(records))
        return ids

    def _occupations(self) -> dict[str, int]:
        isco_codes = self.isco_codes

        def values_of(record: Any) -> dict[str, Any]:
            return {
                "code": record.code,
                "isco_group_id": isco_codes[record.isco_code],
                "description": record.description,
                "status": record.status,
                "obsolete": False,
            }

        return self._concepts(
            OCCUPATION,
            self.release.occupations,
            values_of,
            self.tallies["occupations"],
            "occupations",
            "occupation_id",
        )

    def _skills(self) -> dict[str, int]:
        def values_of(record: Any) -> dict[str, Any]:
            return {
                "skill_type": record.skill_type,
                "reuse_level": record.reuse_level,
                "description": record.description,
                "status": record.status,
                "obsolete": False,
            }

        return self._concepts(SKILL, self.release.skills, values_of, self.tallies["skills"], "skills", "skill_id")


def _fingerprint(values: dict[str, Any]) -> str:
    """A hash of a concept's values as the release gives them (hidden labels None when its
    file has none): equal hashes, equal values."""
    data = json.dumps([values[name] for name in sorted(values) if name != "fingerprint"], ensure_ascii=False)
    return hashlib.blake2b(data.encode(), digest_size=16).hexdigest()


def _file(release: Release, kind: str) -> str:
    return next((name for name in release.files if Path(name).match(PATTERNS[kind])), PATTERNS[kind])
