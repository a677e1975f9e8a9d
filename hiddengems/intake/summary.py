"""The answers of the intake's read-only summary (templates/intake/_profile_summary.html).

A Jinja call per answer cost more than the rest of the summary (the case file shows two
dozen answers on every view): each step's answers are written here, in one call, as the
template wrote them, every part escaped as the template escapes it
(tests/intake/test_summary.py compares the two). And the profile as the case file reads
it for the summary, in plain values (profile_view)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, NamedTuple

from flask_babel.speaklater import LazyString
from markupsafe import Markup
from sqlalchemy import Select, select

from hiddengems.dbsetup import plain_rows
from hiddengems.extensions import db
from hiddengems.intake.models import ANSWER_COLUMNS, IntakeProfile, LanguageSkill, WorkExperience, profile_with_rows
from hiddengems.ui.formatting import escape_text, local_date
from hiddengems.ui.words import lazy_gettext as _l
from hiddengems.vocab import ALWAYS_ASKED, language_name

_NONE = Markup('<span class="text-muted">—</span>')
_WIDE = '<div class="mb-1"><dt class="d-inline fw-normal text-muted">{}:</dt> <dd class="d-inline mb-0">{}</dd></div>'
_COLUMNS = '<dt class="col-sm-4">{}</dt><dd class="col-sm-8">{}</dd>'


def _row(pattern: str, label, value) -> str:
    # A translated answer is translated once: asking first whether it is empty translated it too.
    text = escape_text(value) if type(value) is LazyString or value else ""
    return pattern.format(escape_text(label), text or _NONE)


def summary_rows(wide: bool) -> Callable[[object, object], Markup]:
    """The summary's ``row(label, value)``: a <dt>/<dd> pair, on one line after each other
    when ``wide`` (the case file's two columns), in the row's two columns otherwise; a
    dash for no answer."""
    pattern = _WIDE if wide else _COLUMNS
    return lambda label, value: Markup(_row(pattern, label, value))  # noqa: S704 - escaped


# The answers of each step as the summary shows them, (label, value) in order; the work
# history is a list of its own (the template's). ``labels`` is intake.labels.LABELS.
_STEP_ANSWERS: dict[str, Callable[[Any, Any, dict], list[tuple[object, object]]]] = {
    "contact": lambda p, case, labels: [
        (_l("Phone"), p.phone),
        (_l("City"), p.city),
        (_l("Preferred language"), language_name(p.contact_language)),
    ],
    "host": lambda p, case, labels: [
        (_l("Host organisation"), case.organisation.name if case.organisation else ""),
        (_l("Partner's unit"), p.partner_unit),
    ],
    "arrival": lambda p, case, labels: [
        (_l("Arrival in Finland"), local_date(p.arrival_date)),
        (_l("Expected length of stay"), labels["stay_lengths"].get(p.stay_length)),
    ],
    "permit": lambda p, case, labels: [
        (_l("Right to work"), labels["right_to_work"].get(p.right_to_work)),
        (_l("Residence permit"), labels["permit_types"].get(p.permit_type)),
        (_l("Permit valid until"), local_date(p.permit_expires)),
    ],
    "education": lambda p, case, labels: [
        (_l("Highest education"), labels["isced_levels"].get(p.education_level)),
        (_l("Field of study"), labels["isced_fields"].get(p.education_field)),
        (_l("Degree recognised in Finland"), labels["recognition"].get(p.degree_recognition)),
    ],
    "languages": lambda p, case, labels: _languages(p, labels["cefr"]),
    "goals": lambda p, case, labels: [
        (_l("Career goals"), p.career_goals),
        (_l("Target occupations"), p.target_occupations),
    ],
    "availability": lambda p, case, labels: [
        (_l("Available for"), labels["availability"].get(p.availability)),
        (_l("Available from"), local_date(p.available_from)),
    ],
    "monitoring": lambda p, case, labels: [
        (_l("Gender"), labels["genders"].get(p.gender)),
        (_l("Age group"), labels["age_groups"].get(p.age_group)),
        (_l("Labour-market status on entry"), labels["labour_status"].get(p.labour_status)),
    ],
}


def _languages(profile, cefr: dict) -> list[tuple[object, object]]:
    """Finnish, Swedish and English always ("no knowledge" once the step is answered),
    then the other languages the spouse gave, in their order."""
    levels = {skill.language: skill.level for skill in profile.languages}
    none = _l("No knowledge") if profile.is_done("languages") else ""
    return [(language_name(code), cefr.get(levels.get(code)) or none) for code in ALWAYS_ASKED] + [
        (language_name(skill.language), cefr.get(skill.level))
        for skill in profile.languages
        if skill.language not in ALWAYS_ASKED
    ]


def step_answers(step: str, profile, case, labels: dict, wide: bool) -> Markup:
    """The <dt>/<dd> pairs of one step's answers (as summary_rows writes them), in one call from the
    template instead of one a row: the case file shows two dozen on every view."""
    answers = _STEP_ANSWERS.get(step)
    if answers is None:
        return Markup()
    pattern = _WIDE if wide else _COLUMNS
    rows = "\n".join(_row(pattern, label, value) for label, value in answers(profile, case, labels))
    return Markup(rows)  # noqa: S704 - every row escaped (_row)


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
