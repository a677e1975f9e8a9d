"""The step registry is the one description of the intake: it must fit the forms and the table."""

from __future__ import annotations

from sqlalchemy import inspect

from hiddengems.intake import steps
from hiddengems.intake.models import IntakeProfile

# Columns of the profile that no step writes: bookkeeping, not answers.
NOT_ANSWERS = {
    "id",
    "case_id",
    "completed_steps",
    "submitted_at",
    "created_at",
    "updated_at",
    "updated_by_id",
    "version",
}


def test_every_answer_column_is_written_by_exactly_one_step():
    written = [column for step in steps.STEPS.values() for column in step.columns]
    assert len(written) == len(set(written)), "a column written by two steps"
    answers = {c.key for c in inspect(IntakeProfile).columns} - NOT_ANSWERS
    assert set(written) == answers


def test_each_step_writes_what_its_form_asks():
    for step in steps.STEPS.values():
        if step.form is None:
            assert step.name == "review" and not step.columns
            continue
        assert set(step.columns) <= set(step.form.answer_fields), step.name
        if step.rows:
            assert hasattr(step.form, step.rows) and hasattr(step.form, "add_row"), step.name


def test_the_review_is_last_and_only_monitoring_is_optional():
    assert list(steps.STEPS)[-1] == "review"
    assert set(steps.EDIT_STEPS) - set(steps.REQUIRED_STEPS) == {"monitoring"}
    assert steps.next_step("monitoring") == "review" and steps.next_step("review") == "review"
