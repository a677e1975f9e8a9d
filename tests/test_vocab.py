"""Every code the database may hold has a label people read, and nothing else is stored."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import CheckConstraint, inspect
from sqlalchemy.exc import IntegrityError

from hiddengems import (
    models,  # noqa: F401  (every domain's models registered)
    vocab,
)
from hiddengems.extensions import db

LABELLED = {
    ("case_file", "stage"): vocab.STAGE_LABELS,
    ("case_file", "outcome"): vocab.OUTCOME_LABELS,
    ("stage_change", "to_stage"): vocab.STAGE_LABELS,
    ("stage_change", "from_stage"): vocab.STAGE_LABELS,
    ("case_outcome", "outcome"): vocab.OUTCOME_LABELS,
    ("activity", "kind"): vocab.ACTIVITY_LABELS,
    ("language_skill", "level"): vocab.CEFR,
}


def _codes(sqltext: str) -> set[str]:
    return set(re.findall(r"'([^']*)'", sqltext))


@pytest.mark.parametrize(("table", "column"), sorted(LABELLED))
def test_the_database_holds_exactly_the_labelled_codes(app, table, column):
    """The CHECK constraint the migrations made names the codes vocab labels, no more, no fewer."""
    checks = inspect(db.engine).get_check_constraints(table)
    texts = [c["sqltext"] for c in checks if re.search(rf"\b{column}\b", c["sqltext"])]
    assert texts, f"no CHECK on {table}.{column}"
    assert _codes(texts[0]) == set(LABELLED[(table, column)])


def test_the_models_declare_the_same_checks():
    for (table, column), labels in LABELLED.items():
        constraints = [
            c
            for c in db.metadata.tables[table].constraints
            if isinstance(c, CheckConstraint) and re.search(rf"\b{column}\b", str(c.sqltext))
        ]
        assert constraints and _codes(str(constraints[0].sqltext)) == set(labels), (table, column)


def test_every_label_reads_as_words(app):
    with app.test_request_context():
        for labels in (vocab.STAGE_LABELS, vocab.OUTCOME_LABELS, vocab.ACTIVITY_LABELS, vocab.CEFR):
            for code, label in labels.items():
                assert str(label).strip() and str(label) != code


def test_an_unknown_stage_is_refused_by_the_database(app, f):
    case = f.case_of(f.user("spouse"))
    case.stage = "limbo"
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_one_of_writes_its_codes_into_the_sql_once_and_selects_by_them(app, f):
    from sqlalchemy import func, select

    from hiddengems.cases.models import Case

    org = f.org()
    for stage in ("intake", "skills", "closed"):
        f.assign(f.user("spouse", organisation=org), None, stage)
    db.session.commit()
    working = vocab.one_of(Case.stage, ("intake", "skills"))
    compiled = select(Case.id).where(working).compile(dialect=db.engine.dialect)
    assert "IN ('intake', 'skills')" in str(compiled) and not compiled.params  # no value left to bind
    count = select(func.count()).select_from(Case)
    assert db.session.scalar(count.where(working)) == 2
    assert db.session.scalar(count.where(~working)) == 1
    for unsafe in ((), ("it's",), ("a') OR ('1",), ("Intake",)):
        with pytest.raises(ValueError):
            vocab.one_of(Case.stage, unsafe)
