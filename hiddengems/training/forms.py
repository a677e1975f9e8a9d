from __future__ import annotations

from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SearchField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)

from hiddengems.training.labels import KIND_LABELS
from hiddengems.training.models import KINDS, MAX_CAPACITY, MAX_COST_CENTS
from hiddengems.training.queries import CatalogueFilters
from hiddengems.training.services import MAX_SKILLS, programme_problems
from hiddengems.ui.widgets import CachedOptionsSelect
from hiddengems.ui.words import lazy_gettext as _l
from hiddengems.vocab import CEFR, CEFR_LEVELS, language_choices

# Dates typed outside these years are typos.
FIRST_YEAR, LAST_YEAR = 2000, 2100
PROBLEMS = {
    "end_before_start": _l("The end date is before the start date."),
    "capacity_range": _l("Capacity: a whole number from 0 to 10,000."),
    "below_enrolled": _l("Capacity cannot go below the %(n)s people already enrolled."),
    "kind": _l("Choose a kind of programme."),
    "unknown_skill": _l("Choose skills from the taxonomy."),
    "too_many_skills": _l("At most 30 skills."),
}


def _kind_choices():
    return [("", _l("— choose —"))] + [(kind, KIND_LABELS[kind]) for kind in KINDS]


def _level_choices():
    return [("", _l("No minimum"))] + [(code, CEFR[code]) for code in CEFR_LEVELS if code != "native"]


def _finite(form, field) -> None:
    # Decimal takes "NaN" and "Infinity", which no range check catches.
    if field.data is not None and not field.data.is_finite():
        raise StopValidation(_l("Cost: from 0 to 100,000 euros."))


def _year_ok(form, field) -> None:
    if field.data and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValidationError(_l("Give a date between %(first)s and %(last)s.", first=FIRST_YEAR, last=LAST_YEAR))


class ProgrammeForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Give the title.")), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=_kind_choices, validators=[DataRequired(message=_l("Choose a kind."))])
    provider = StringField(_l("Provider"), validators=[Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Length(max=10_000)])
    starts_on = DateField(_l("Starts on"), validators=[Optional(), _year_ok])
    ends_on = DateField(
        _l("Ends on"), validators=[Optional(), _year_ok], description=_l("Leave empty for an ongoing programme.")
    )
    schedule = StringField(
        _l("Schedule"), validators=[Length(max=500)], description=_l("For example “Tue and Thu 17–19, 8 weeks”.")
    )
    place = StringField(_l("Place"), validators=[Length(max=200)])
    online = BooleanField(_l("Online"))
    language = SelectField(
        _l("Language of instruction"),
        validate_choice=False,
        widget=CachedOptionsSelect(),
        validators=[DataRequired(message=_l("Choose the language of instruction."))],
    )
    min_finnish = SelectField(_l("Finnish needed at least"), choices=_level_choices, validators=[Optional()])
    min_english = SelectField(_l("English needed at least"), choices=_level_choices, validators=[Optional()])
    capacity = IntegerField(
        _l("Places"),
        validators=[
            InputRequired(message=_l("Give the number of places.")),
            NumberRange(min=0, max=MAX_CAPACITY, message=PROBLEMS["capacity_range"]),
        ],
    )
    cost = DecimalField(
        _l("Cost to the spouse (€)"),
        places=2,
        default=Decimal(0),
        validators=[
            InputRequired(message=_l("Give the cost, 0 when it is free.")),
            _finite,
            NumberRange(min=0, max=MAX_COST_CENTS / 100, message=_l("Cost: from 0 to 100,000 euros.")),
        ],
    )
    skills = TextAreaField(
        _l("Skills it teaches"),
        validators=[Length(max=20_000)],
        description=_l("One ESCO skill a line, by its name or URI, for example “use spreadsheets software”."),
    )
    open_for_signup = BooleanField(_l("Open for sign-up"))
    auto_confirm = BooleanField(
        _l("Confirm applications automatically"),
        description=_l("A place while there is one, then the waitlist, without an adviser confirming."),
    )
    submit = SubmitField(_l("Save programme"))

    def __init__(self, *args, enrolled: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrolled = enrolled
        self.language.choices = [("", _l("— choose —")), *language_choices()]

    def validate_language(self, field) -> None:
        if field.data and field.data not in dict(language_choices()):
            raise ValidationError(_l("Choose a language from the list."))

    def values(self) -> dict:
        data = {name: getattr(self, name).data for name in ("title", "kind", "starts_on", "ends_on", "online")}
        for name in ("provider", "description", "schedule", "place"):
            data[name] = (getattr(self, name).data or "").strip()
        data.update(
            title=data["title"].strip(),
            language=self.language.data,
            min_finnish=self.min_finnish.data or None,
            min_english=self.min_english.data or None,
            capacity=self.capacity.data,
            cost_cents=int((self.cost.data or 0) * 100),
            open_for_signup=self.open_for_signup.data,
            auto_confirm=self.auto_confirm.data,
        )
        return data

    def skill_lines(self) -> list[str]:
        return [line.strip() for line in (self.skills.data or "").splitlines() if line.strip()]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.capacity.errors or self.cost.errors or self.ends_on.errors or self.starts_on.errors:
            return False
        problems = programme_problems(self.values(), enrolled=self.enrolled)
        problems.pop("kind", None)  # the drop-down said it
        for name, code in problems.items():
            self[name].errors = [*self[name].errors, PROBLEMS[code] % {"n": self.enrolled}]
        if len(self.skill_lines()) > MAX_SKILLS:
            self.skills.errors = [*self.skills.errors, PROBLEMS["too_many_skills"]]
        return ok and not problems and not self.skills.errors

    def show_error(self, field: str, code: str) -> None:
        """A refusal from the service, beside its field."""
        target = self[field] if field in self else self.title  # noqa: SIM401 - a Form has no get()
        target.errors = [*target.errors, PROBLEMS.get(code, code) % {"n": self.enrolled}]


class CatalogueForm(FlaskForm):
    """The catalogue's filters, read from the query string."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search"), validators=[Optional(), Length(max=100)])
    kind = SelectField(
        _l("Kind"), choices=lambda: [("", _l("Any kind"))] + _kind_choices()[1:], validators=[Optional()]
    )
    language = SelectField(
        _l("Language"),
        choices=lambda: [("", _l("Any language")), *[(c, n) for c, n in language_choices() if c in ("fi", "sv", "en")]],
        validators=[Optional()],
    )
    starts_after = DateField(_l("Starting from"), validators=[Optional(), _year_ok])
    starts_before = DateField(_l("Starting by"), validators=[Optional(), _year_ok])
    include_past = BooleanField(_l("Also past and closed rounds"))

    def filters(self, *, may_see_past: bool) -> CatalogueFilters:
        """What the page lists: a filter with a bad value (a mistyped date) is left out,
        and its message shows beside it."""
        self.validate()

        def good(name: str):
            return None if self[name].errors else self[name].data or None

        return CatalogueFilters(
            q=(good("q") or "").strip(),
            kind=good("kind") or "",
            language=good("language") or "",
            starts_after=good("starts_after"),
            starts_before=good("starts_before"),
            include_past=bool(self.include_past.data) and may_see_past,
        )


class RecommendForm(FlaskForm):
    # An adviser's whole caseload (hundreds): the options come from a cached string.
    case_id = SelectField(
        _l("Spouse"),
        coerce=str,
        validate_choice=False,
        widget=CachedOptionsSelect(),
        validators=[DataRequired(message=_l("Choose a spouse."))],
    )
    note = TextAreaField(_l("Note for the spouse"), validators=[Length(max=2_000)])
    submit = SubmitField(_l("Recommend"))


class CompleteForm(FlaskForm):
    certificate = StringField(_l("Certificate"), validators=[Length(max=200)])
    grade = StringField(_l("Grade"), validators=[Length(max=50)])
    submit = SubmitField(_l("Record completion"))


class EndForm(FlaskForm):
    status = SelectField(
        _l("How it ended"),
        choices=[("dropped", _l("Dropped")), ("cancelled", _l("Cancelled by the programme"))],
        default="dropped",
    )
    submit = SubmitField(_l("Record"))


class AttendanceForm(FlaskForm):
    attended = SelectField(_l("Attended"), choices=[("yes", _l("Came")), ("no", _l("Did not come"))], default="yes")
    submit = SubmitField(_l("Save attendance"))


class ButtonForm(FlaskForm):
    """A button that posts: its CSRF token, nothing else."""

    submit = SubmitField(_l("Send"))
