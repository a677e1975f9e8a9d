"""The intake's steps, one declaration each: its title, its form, whether it must be
answered, which profile columns it writes and what else it loads and saves. The
forms, the pages (routes.py) and the saving (services.py) all read this list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hiddengems import vocab
from hiddengems.auth.models import User
from hiddengems.extensions import db
from hiddengems.intake import forms
from hiddengems.intake.labels import STEP_TITLES as TITLES
from hiddengems.intake.models import IntakeProfile, LanguageSkill, WorkExperience

MAX_ROWS = forms.MAX_ROWS

Loader = Callable[[IntakeProfile | None, Any], dict[str, Any]]
Saver = Callable[[IntakeProfile, Any, dict[str, Any]], None]


@dataclass(frozen=True)
class Step:
    name: str
    title: Any  # a lazy string
    form: type[forms.StepForm] | None = None  # None: the review, which only submits
    columns: tuple[str, ...] = ()  # profile columns written as they come from the form
    required: bool = True
    rows: str | None = None  # the form's list of rows, for "add another"
    blanks: int = 0  # empty rows offered to type into on first load
    load: Loader | None = None  # what the form shows besides the columns
    save: Saver | None = None  # what is written besides the columns
    count_rows: Callable[[dict[str, Any]], int] | None = None

    def initial(self, profile: IntakeProfile | None, case) -> dict[str, Any]:
        """What the step's form shows on first load: the saved answers."""
        data: dict[str, Any] = {"version": profile.version if profile else 0}
        if profile is not None:
            for name in self.columns:
                value = getattr(profile, name)
                data[name] = "" if value is None else (str(value) if name == "education_level" else value)
        if self.load is not None:
            data.update(self.load(profile, case))
        return data

    def make_form(self, case, *, profile: IntakeProfile | None = None, posted: bool) -> forms.StepForm:
        form = self.form() if posted else self.form(data=self.initial(profile, case))
        if self.name == "host":
            form.keep_organisation(case.organisation_id)
        if not posted and self.rows:
            getattr(form, self.rows).offer_blanks(self.blanks)
        return form


# --- what some steps load and save besides their columns ---------------------------------


def _load_host(profile, case) -> dict[str, Any]:
    return {"organisation_id": case.organisation_id or 0}


def _save_host(profile, case, data) -> None:
    # The organisation is the case's (HR counts it there) and the account's.
    organisation_id = data.get("organisation_id")
    if organisation_id and organisation_id != case.organisation_id:
        case.organisation_id = organisation_id
        # The spouse's account (the signed-in spouse, or loaded with the case for the adviser).
        db.session.get(User, case.spouse_id).organisation_id = organisation_id


def _load_work(profile, case) -> dict[str, Any]:
    if profile is None:
        return {}
    rows = [
        {"job_title": w.job_title, "employer": w.employer, "country": w.country or "", "years": w.years}
        for w in profile.work
    ]
    return {"rows": rows}


def _save_work(profile, case, data) -> None:
    profile.work.clear()
    db.session.flush()  # the old rows go before the new ones arrive
    for position, row in enumerate(data.get("rows", [])):
        profile.work.append(
            WorkExperience(
                position=position,
                job_title=row["job_title"],
                employer=row.get("employer") or None,
                country=row.get("country") or None,
                years=row.get("years"),
            )
        )


def _load_languages(profile, case) -> dict[str, Any]:
    if profile is None:
        return {}
    levels = {skill.language: skill.level for skill in profile.languages}
    done = profile.is_done("languages")
    data: dict[str, Any] = {code: levels.get(code) or ("none" if done else "") for code in vocab.ALWAYS_ASKED}
    others = [skill for skill in profile.languages if skill.language not in vocab.ALWAYS_ASKED]
    data["others"] = [{"language": skill.language, "level": skill.level} for skill in others]
    return data


def _save_languages(profile, case, data) -> None:
    """``data["levels"]``: language code -> CEFR level, or None for "no knowledge" (no row)."""
    profile.languages.clear()
    db.session.flush()  # the unique (profile, language) key must be free again
    position = 0
    for code, level in data.get("levels", {}).items():
        if level:
            profile.languages.append(LanguageSkill(position=position, language=code, level=level))
            position += 1


def _count_jobs(data) -> int:
    return len(data.get("rows", []))


def _count_other_languages(data) -> int:
    return sum(1 for code, level in data.get("levels", {}).items() if level and code not in vocab.ALWAYS_ASKED)


# --- the steps, in order ---------------------------------------------------------------

STEPS: dict[str, Step] = {
    step.name: step
    for step in (
        Step("contact", TITLES["contact"], forms.ContactForm, ("phone", "city", "contact_language")),
        Step(
            "host",
            TITLES["host"],
            forms.HostForm,
            ("partner_unit",),
            load=_load_host,
            save=_save_host,
        ),
        Step("arrival", TITLES["arrival"], forms.ArrivalForm, ("arrival_date", "stay_length")),
        Step("permit", TITLES["permit"], forms.PermitForm, ("right_to_work", "permit_type", "permit_expires")),
        Step(
            "education",
            TITLES["education"],
            forms.EducationForm,
            ("education_level", "education_field", "degree_recognition"),
        ),
        Step(
            "work",
            TITLES["work"],
            forms.WorkForm,
            rows="rows",
            blanks=1,
            load=_load_work,
            save=_save_work,
            count_rows=_count_jobs,
        ),
        Step(
            "languages",
            TITLES["languages"],
            forms.LanguagesForm,
            rows="others",
            blanks=forms.EXTRA_OTHER_LANGUAGES,
            load=_load_languages,
            save=_save_languages,
            count_rows=_count_other_languages,
        ),
        Step("goals", TITLES["goals"], forms.GoalsForm, ("career_goals", "target_occupations")),
        Step("availability", TITLES["availability"], forms.AvailabilityForm, ("availability", "available_from")),
        Step(
            "monitoring",
            TITLES["monitoring"],
            forms.MonitoringForm,
            ("gender", "age_group", "labour_status"),
            required=False,
        ),
        # The last step holds the Submit button.
        Step("review", TITLES["review"], required=False),
    )
}
EDIT_STEPS = tuple(name for name, step in STEPS.items() if step.form is not None)
REQUIRED_STEPS = tuple(name for name, step in STEPS.items() if step.required)


def next_step(name: str) -> str:
    names = list(STEPS)
    return names[min(names.index(name) + 1, len(names) - 1)]
