"""The search's full-text index on SQLite, kept in step with taxonomy_label by the importer.

Migration 0009 makes taxonomy_label_fts, an FTS5 table with the trigram tokenizer that reads
its text from taxonomy_label (an "external content" table): it holds only the index, and
must be told of every label added or removed. Only the importer writes labels, so it tells
it here; with row triggers instead, a first import of ESCO's 100,000 labels took several
times longer than one rebuild at the end. PostgreSQL keeps its trigram index itself:
there the functions here do nothing, except refresh_statistics.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import text

from hiddengems.extensions import db

# The trigram indexes of migration 0009 on PostgreSQL.
TRIGRAM_INDEXES = ("ix_taxonomy_label_trgm_occupation", "ix_taxonomy_label_trgm_skill")
# Above this many labels changed at once, indexing every label again is the quicker way.
REBUILD_ABOVE = 5000


def _sqlite() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"


def forget(rows: Sequence[tuple[int, str]]) -> None:
    """Before (id, normalised) labels are deleted: take them out of the index."""
    if rows and _sqlite():
        db.session.execute(
            text(
                "INSERT INTO taxonomy_label_fts(taxonomy_label_fts, rowid, normalised) "
                "VALUES ('delete', :id, :normalised)"
            ),
            [{"id": label_id, "normalised": normalised} for label_id, normalised in rows],
        )


def add(rows: Sequence[tuple[int, str]]) -> None:
    """After (id, normalised) labels were inserted: index them."""
    if rows and _sqlite():
        db.session.execute(
            text("INSERT INTO taxonomy_label_fts(rowid, normalised) VALUES (:id, :normalised)"),
            [{"id": label_id, "normalised": normalised} for label_id, normalised in sorted(rows)],
        )


def rebuild() -> None:
    """Index every label again from taxonomy_label."""
    if _sqlite():
        db.session.execute(text("INSERT INTO taxonomy_label_fts(taxonomy_label_fts) VALUES ('delete-all')"))
        # Not FTS5's own 'rebuild': it reads the labels through the index on normalised, in
        # text order, and an FTS5 index fed rowids out of order is built several times slower.
        db.session.execute(
            text(
                "INSERT INTO taxonomy_label_fts(rowid, normalised) "
                "SELECT id, normalised FROM taxonomy_label ORDER BY id"
            )
        )


def check() -> None:
    """Raise if the index and the labels disagree (SQLite's own integrity check); for tests."""
    if _sqlite():
        db.session.execute(
            text("INSERT INTO taxonomy_label_fts(taxonomy_label_fts, rank) VALUES ('integrity-check', 1)")
        )


def refresh_statistics() -> None:
    """After a large import: the planner's statistics of the taxonomy tables, so that the
    search and the gap use their indexes at once rather than after the next autovacuum."""
    if _sqlite():
        for table in ("occupation", "skill", "occupation_skill", "skill_relation", "taxonomy_label"):
            db.session.execute(text(f"ANALYZE {table}"))
        return
    # A GIN index takes bulk inserts into an unsorted pending list, merged later by
    # autovacuum; until then every search reads the whole list (28 ms instead of 0.6 ms
    # for "office" after a first import) and the planner prefers a sequential scan.
    for index in TRIGRAM_INDEXES:
        db.session.execute(text("SELECT gin_clean_pending_list(CAST(:index AS regclass))"), {"index": index})
    db.session.execute(text("ANALYZE occupation, skill, occupation_skill, skill_relation, taxonomy_label"))
