"""One form per intake step. Every form carries the profile's version (optimistic locking)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from hiddengems import vocab
from hiddengems.intake import labels as L
from hiddengems.orgs.queries import organisation_choices
from hiddengems.timeutil import helsinki_today
from hiddengems.ui.fields import RowList
from hiddengems.ui.inputs import db_int
from hiddengems.ui.widgets import CommonFirstSelect
from hiddengems.ui.words import lazy_gettext as _l

REQUIRED = _l("Please answer this question.")
CHOOSE = _l("Choose…")


def _languages_widget(skip: tuple[str, ...] = ()) -> CommonFirstSelect:
    common = tuple(code for code in vocab.COMMON_LANGUAGES if code not in skip)
    return CommonFirstSelect(common, vocab.COMMON_LABEL, vocab.ALL_LANGUAGES_LABEL)


TOO_LONG = _l("At most %(max)d characters.")
# A profile holds at most this many jobs, and this many languages besides those always
# asked: the step's form shows every stored row, so more must never be stored.
MAX_ROWS = 30
EXTRA_OTHER_LANGUAGES = 2


def _choices(mapping: dict, *, blank: bool = True) -> list[tuple[str, Any]]:
    options = [(str(key), label) for key, label in mapping.items()]
    return [("", CHOOSE), *options] if blank else options


def _required() -> DataRequired:
    return DataRequired(message=REQUIRED)


def _max(n: int) -> Length:
    return Length(max=n, message=TOO_LONG)


def _years_from_today(years: int) -> date:
    now = helsinki_today()
    try:
        return now.replace(year=now.year + years)
    except ValueError:  # 29 February
        return now.replace(year=now.year + years, day=28)


class StepForm(FlaskForm):
    version = HiddenField("version")  # labelled: see CaseListForm.sort (cases/forms.py)
    submit = SubmitField(_l("Save and continue"))

    def to_data(self) -> dict[str, Any]:
        """The answers as plain values for the service."""
        data = {}
        for name in self.answer_fields:
            value = self[name].data
            data[name] = (value.strip() if isinstance(value, str) else value) or None
        return data

    answer_fields: tuple[str, ...] = ()

    def expected_version(self) -> int:
        try:
            return db_int(self.version.data)
        except ValueError:
            return -1  # a missing or tampered version can never match


class ContactForm(StepForm):
    phone = StringField(
        _l("Phone number"),
        validators=[
            Optional(),
            _max(40),
            Regexp(r"^\+?[0-9 ()-]{5,}$", message=_l("Use digits, spaces and an optional + at the start.")),
        ],
        description=_l("With the country code, for example +358 40 123 4567."),
    )
    city = StringField(_l("City where you live"), validators=[_required(), _max(100)])
    contact_language = SelectField(
        _l("Preferred language for contact"),
        choices=lambda: [("", CHOOSE), *vocab.language_choices()],
        widget=_languages_widget(),
        validators=[_required()],
    )
    answer_fields = ("phone", "city", "contact_language")


class HostForm(StepForm):
    organisation_id = SelectField(
        _l("Your partner's host organisation"),
        coerce=db_int,
        choices=lambda: [(0, CHOOSE), *organisation_choices()],
        validators=[_required()],
    )
    partner_unit = StringField(
        _l("Your partner's unit or department"),
        validators=[Optional(), _max(200)],
        description=_l("For example: Faculty of Medicine and Health Technology."),
    )
    answer_fields = ("organisation_id", "partner_unit")

    def keep_organisation(self, organisation_id: int | None) -> None:
        """The spouse's current organisation stays choosable even if since deactivated."""
        self.organisation_id.choices = [(0, CHOOSE), *organisation_choices(keep_id=organisation_id)]


class ArrivalForm(StepForm):
    arrival_date = DateField(
        _l("Date you arrived in Finland (or will arrive)"),
        validators=[InputRequired(message=REQUIRED)],
    )
    stay_length = SelectField(
        _l("How long do you expect to stay?"), choices=_choices(L.STAY_LENGTHS), validators=[_required()]
    )
    answer_fields = ("arrival_date", "stay_length")

    def validate_arrival_date(self, field) -> None:
        if field.data and field.data < _years_from_today(-10):
            raise ValidationError(_l("That is more than 10 years ago. Please check the year."))
        if field.data and field.data > _years_from_today(2):
            raise ValidationError(_l("That is more than 2 years ahead. Please check the year."))


class PermitForm(StepForm):
    right_to_work = SelectField(
        _l("Do you have the right to work in Finland?"), choices=_choices(L.RIGHT_TO_WORK), validators=[_required()]
    )
    permit_type = SelectField(
        _l("Residence permit type"),
        choices=_choices(L.PERMIT_TYPES),
        validators=[_required()],
        description=_l("As you understand it; your adviser can help check this."),
    )
    permit_expires = DateField(
        _l("Permit valid until"),
        validators=[Optional()],
        description=_l("Leave empty if your permit does not expire or you do not know."),
    )
    answer_fields = ("right_to_work", "permit_type", "permit_expires")

    def validate_permit_expires(self, field) -> None:
        if field.data and field.data < helsinki_today():
            raise ValidationError(_l("This date is in the past. Please give the date on your current permit."))
        if field.data and field.data > _years_from_today(20):
            raise ValidationError(_l("That is more than 20 years ahead. Please check the year."))


class EducationForm(StepForm):
    education_level = SelectField(
        _l("Highest completed education"), choices=_choices(L.ISCED_LEVELS), validators=[_required()]
    )
    education_field = SelectField(_l("Field of study"), choices=_choices(L.ISCED_FIELDS), validators=[_required()])
    degree_recognition = SelectField(
        _l("Has your foreign degree been recognised in Finland?"),
        choices=_choices(L.RECOGNITION),
        validators=[_required()],
    )
    answer_fields = ("education_level", "education_field", "degree_recognition")

    def to_data(self) -> dict[str, Any]:
        data = super().to_data()
        data["education_level"] = int(self.education_level.data)
        return data


class WorkRowForm(Form):
    job_title = StringField(_l("Job title"), validators=[Optional(), _max(200)])
    employer = StringField(_l("Employer"), validators=[Optional(), _max(200)])
    country = SelectField(
        _l("Country"),
        choices=lambda: [("", CHOOSE), *vocab.country_choices()],
        default="",
        widget=CommonFirstSelect(vocab.COMMON_COUNTRIES, vocab.COMMON_LABEL, vocab.ALL_COUNTRIES_LABEL),
    )
    years = IntegerField(
        _l("Years"),
        validators=[Optional(), NumberRange(min=0, max=60, message=_l("Between 0 and 60 years."))],
    )
    remove = BooleanField(_l("Remove this job"))

    def is_blank(self) -> bool:
        typed = (self.job_title.data or "").strip() or (self.employer.data or "").strip() or self.country.data
        return not typed and not any(self.years.raw_data or ())

    def is_kept(self) -> bool:
        """Saved as a job (see WorkForm.to_data)."""
        return not self.remove.data and not self.is_blank()

    def validate(self, extra_validators=None) -> bool:
        if self.remove.data or self.is_blank():
            return True
        ok = super().validate(extra_validators)
        if not (self.job_title.data or "").strip():
            self.job_title.errors = [*self.job_title.errors, _l("Please give the job title.")]
            ok = False
        return ok


class WorkForm(StepForm):
    # Labels never shown, given so that WTForms does not look made-up ones up per request.
    rows = RowList(
        FormField(WorkRowForm, "job"),
        "jobs",
        min_entries=1,
        limit=MAX_ROWS,
        full_message=_l("You can list at most %(n)d jobs.", n=MAX_ROWS),
    )
    add_row = SubmitField(_l("Add another job"))

    def to_data(self) -> dict[str, Any]:
        rows = [
            {
                "job_title": entry.job_title.data.strip(),
                "employer": (entry.employer.data or "").strip() or None,
                "country": entry.country.data or None,
                "years": entry.years.data,
            }
            for entry in (row.form for row in self.rows)
            if entry.is_kept()
        ]
        return {"rows": rows}


CEFR_CHOICES = [("", CHOOSE), *vocab.CEFR.items()]
CEFR_MESSAGE = _l("Choose a level from the list.")


def _level_field(label) -> SelectField:
    return SelectField(
        label,
        choices=[("", CHOOSE), ("none", _l("No knowledge")), *vocab.CEFR.items()],
        validate_choice=False,
        validators=[_required(), AnyOf(["none", *vocab.CEFR], message=CEFR_MESSAGE)],
    )


class OtherLanguageForm(Form):
    language = SelectField(
        _l("Language"),
        choices=lambda: [("", CHOOSE), *vocab.language_choices()],
        default="",
        # Finnish, Swedish and English have their own questions above.
        widget=_languages_widget(skip=vocab.ALWAYS_ASKED),
    )
    level = SelectField(_l("Level"), choices=CEFR_CHOICES, validate_choice=False)

    def is_kept(self) -> bool:
        """Saved as a language (see LanguagesForm.to_data)."""
        return bool(self.language.data)

    def validate(self, extra_validators=None) -> bool:
        if not self.language.data and not self.level.data:
            return True
        ok = super().validate(extra_validators)
        if not self.language.data:
            self.language.errors = [*self.language.errors, _l("Choose the language.")]
            ok = False
        if self.level.data not in vocab.CEFR:
            self.level.errors = [*self.level.errors, CEFR_MESSAGE]
            ok = False
        return ok


class LanguagesForm(StepForm):
    fi = _level_field(_l("Finnish"))
    sv = _level_field(_l("Swedish"))
    en = _level_field(_l("English"))
    others = RowList(
        FormField(OtherLanguageForm, "language"),
        "other languages",
        min_entries=EXTRA_OTHER_LANGUAGES,
        limit=MAX_ROWS,
        full_message=_l("You can list at most %(n)d other languages.", n=MAX_ROWS),
    )
    add_row = SubmitField(_l("Add another language"))

    def validate_others(self, field) -> None:
        seen = set(vocab.ALWAYS_ASKED)
        for row in field:
            code = row.form.language.data
            if code and code in seen:
                row.form.language.errors = [*row.form.language.errors, _l("This language is already listed.")]
                raise ValidationError(_l("Each language only once, please."))
            if code:
                seen.add(code)

    def to_data(self) -> dict[str, Any]:
        levels: dict[str, str | None] = {
            code: None if self[code].data == "none" else self[code].data for code in vocab.ALWAYS_ASKED
        }
        for row in self.others:
            if row.form.language.data:
                levels[row.form.language.data] = row.form.level.data
        return {"levels": levels}


class GoalsForm(StepForm):
    career_goals = TextAreaField(
        _l("What kind of work are you looking for?"),
        validators=[_required(), _max(2000)],
        description=_l("In your own words: the work you did, what you would like to do here, and what matters to you."),
        render_kw={"rows": 5},
    )
    target_occupations = StringField(
        _l("Occupations you are aiming for"),
        validators=[Optional(), _max(500)],
        description=_l("For example: data analyst, laboratory technician. Separate them with commas."),
    )
    answer_fields = ("career_goals", "target_occupations")


class AvailabilityForm(StepForm):
    availability = SelectField(
        _l("Are you looking for full-time or part-time work?"),
        choices=_choices(L.AVAILABILITY),
        validators=[_required()],
    )
    available_from = DateField(_l("Available from"), validators=[InputRequired(message=REQUIRED)])
    answer_fields = ("availability", "available_from")

    def validate_available_from(self, field) -> None:
        if field.data and field.data > _years_from_today(2):
            raise ValidationError(_l("That is more than 2 years ahead. Please check the year."))
        if field.data and field.data < _years_from_today(-10):
            raise ValidationError(_l("That is more than 10 years ago. If you are available now, give today's date."))


class MonitoringForm(StepForm):
    gender = SelectField(_l("Gender"), choices=_choices(L.GENDERS), validators=[Optional()])
    age_group = SelectField(_l("Age group"), choices=_choices(L.AGE_GROUPS), validators=[Optional()])
    labour_status = SelectField(
        _l("Your situation when you joined the programme"),
        choices=_choices(L.LABOUR_STATUS),
        validators=[Optional()],
    )
    answer_fields = ("gender", "age_group", "labour_status")


class SubmitIntakeForm(FlaskForm):
    submit = SubmitField(_l("Submit my intake"))
