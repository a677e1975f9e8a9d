"""The answers of the intake's read-only summary (templates/intake/_profile_summary.html).

A Jinja macro per answer cost more than the rest of the summary (the case file shows two
dozen answers on every view): the same HTML is written here, every part escaped as the
template escapes it (tests/intake/test_summary.py compares the two). And the profile as
the case file reads it for the summary, in plain values (profile_view)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, NamedTuple

from markupsafe import Markup, escape
from sqlalchemy import Select, select

from hiddengems.dbsetup import plain_rows
from hiddengems.extensions import db
from hiddengems.intake.models import ANSWER_COLUMNS, IntakeProfile, LanguageSkill, WorkExperience, profile_with_rows

_NONE = Markup('<span class="text-muted">—</span>')
_WIDE = '<div class="mb-1"><dt class="d-inline fw-normal text-muted">{}:</dt> <dd class="d-inline mb-0">{}</dd></div>'
_COLUMNS = '<dt class="col-sm-4">{}</dt><dd class="col-sm-8">{}</dd>'


def summary_rows(wide: bool) -> Callable[[object, object], Markup]:
    """The summary's ``row(label, value)``: a <dt>/<dd> pair, on one line after each other
    when ``wide`` (the case file's two columns), in the row's two columns otherwise; a
    dash for no answer."""
    pattern = _WIDE if wide else _COLUMNS

    def row(label, value) -> Markup:
        return Markup(pattern.format(escape(label), escape(value) if value else _NONE))  # noqa: S704 - escaped

    return row


# --- the profile as the case file's summary reads it ----------------------------------------

# What the summary and the case file's header show of a profile.
ANSWERS = (*ANSWER_COLUMNS, "completed_steps", "submitted_at", "updated_at")


class Job(NamedTuple):
    job_title: str
    employer: str | None
    country: str | None
    years: int | None


class Spoken(NamedTuple):
    language: str
    level: str


class ProfileView:
    """A profile as the summary reads it, in plain values: its answers (ANSWERS), its work
    history and its languages, in the intake's order. The summary template reads it as it
    reads an IntakeProfile; nothing can change it."""

    def __init__(self, answers: dict[str, Any], work: list[Job], languages: list[Spoken]) -> None:
        self.__dict__.update(answers)
        self.work = work
        self.languages = languages

    def is_done(self, step: str) -> bool:
        return step in (self.completed_steps or ())


def profile_view(case_id: int) -> ProfileView | None:
    """The profile of a case for the case file (its header and its summary), in one query
    whatever its rows, read as plain rows (dbsetup.plain_rows): the case file reads it on
    every view, and the ORM's objects for the profile and its rows cost as much as the
    summary's whole HTML. Editing reads services.load_profile."""
    rows = plain_rows(db.session, _profile_view_statement(), {"case_id": case_id})
    if not rows:
        return None
    first = rows[0]._mapping
    work = [Job(r.job_title, r.job_employer, r.job_country, r.job_years) for r in rows if r.job_id is not None]
    languages = [Spoken(r.spoken_language, r.spoken_level) for r in rows if r.spoken_id is not None]
    return ProfileView({name: first[name] for name in ANSWERS}, work, languages)


@cache
def _profile_view_statement() -> Select:
    """Built once, as services.load_profile's, reading the columns the summary shows."""
    return profile_with_rows(
        select(
            *(getattr(IntakeProfile, name) for name in ANSWERS),
            WorkExperience.id.label("job_id"),
            WorkExperience.job_title.label("job_title"),
            WorkExperience.employer.label("job_employer"),
            WorkExperience.country.label("job_country"),
            WorkExperience.years.label("job_years"),
            LanguageSkill.id.label("spoken_id"),
            LanguageSkill.language.label("spoken_language"),
            LanguageSkill.level.label("spoken_level"),
        ).select_from(IntakeProfile)
    )
