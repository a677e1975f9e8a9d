"""The directory's and the openings' forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    SearchField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, DataRequired, Email, Length, Optional, ValidationError

from hiddengems.employers.labels import KIND_LABELS, SIZE_LABELS, STATUS_LABELS, WORKING_LANGUAGE_LABELS
from hiddengems.employers.models import MAX_SKILLS, OPENING_KINDS, OPENING_STATUSES, SIZES, WORKING_LANGUAGES
from hiddengems.employers.queries import DirectoryFilters
from hiddengems.employers.services import business_id_problem, normalise_business_id
from hiddengems.ui.inputs import parse_id
from hiddengems.ui.words import lazy_gettext as _l
from hiddengems.vocab import CEFR, CEFR_LEVELS, OPEN_STAGES, STAGE_LABELS

FIRST_YEAR, LAST_YEAR = 2000, 2100
PROBLEMS = {
    "name": _l("Give the name."),
    "title": _l("Give the title."),
    "kind": _l("Choose a kind of opening."),
    "status": _l("Choose a status."),
    "working_language": _l("Choose the working language."),
    "business_id_format": _l("A business ID is seven digits, a hyphen and a check digit, like 1234567-8."),
    "business_id_check": _l("This business ID's check digit is wrong: check the number."),
    "business_id_taken": _l("Another employer in the directory has this business ID."),
    "unknown_skill": _l("Choose skills from the taxonomy."),
    "unknown_occupation": _l("Not an occupation in the taxonomy."),
    "too_many_skills": _l("At most 30 skills in all."),
    "merged": _l("This employer was merged into another: change that one instead."),
    "merge_self": _l("Choose another employer."),
}


def _choices(codes, labels, empty):
    return lambda: [("", empty)] + [(code, labels[code]) for code in codes]


def _level_choices():
    return [("", _l("Not needed"))] + [(code, CEFR[code]) for code in CEFR_LEVELS if code != "native"]


def _year_ok(form, field) -> None:
    if field.data and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValidationError(_l("Give a date between %(first)s and %(last)s.", first=FIRST_YEAR, last=LAST_YEAR))


def _business_id(form, field) -> None:
    if field.data and field.data.strip():
        problem = business_id_problem(normalise_business_id(field.data))
        if problem:
            raise ValidationError(PROBLEMS[problem])


class RefusalMixin:
    def show_error(self, field: str, code: str) -> None:
        """A refusal from the service, beside its field."""
        target = self[field] if field in self else self[self.FIRST]  # noqa: SIM401 - a Form has no get()
        target.errors = [*target.errors, PROBLEMS.get(code, code)]


class EmployerForm(RefusalMixin, FlaskForm):
    FIRST = "name"
    name = StringField(_l("Name"), validators=[DataRequired(message=PROBLEMS["name"]), Length(max=200)])
    business_id = StringField(
        _l("Business ID (Y-tunnus)"),
        validators=[Length(max=20), _business_id],
        description=_l("Like 1234567-8. Leave empty for a foreign or public body without one."),
    )
    sector = StringField(_l("Sector"), validators=[Length(max=100)])
    size = SelectField(_l("Size"), choices=_choices(SIZES, SIZE_LABELS, _l("Not known")), validators=[Optional()])
    city = StringField(_l("City"), validators=[Length(max=100)])
    website = URLField(
        _l("Website"),
        validators=[Optional(), Length(max=300), URL(message=_l("Give the whole address, https://…"))],
    )
    working_language = SelectField(
        _l("Working language"),
        choices=_choices(WORKING_LANGUAGES, WORKING_LANGUAGE_LABELS, _l("— choose —")),
        validators=[DataRequired(message=PROBLEMS["working_language"])],
    )
    notes = TextAreaField(_l("Notes"), validators=[Length(max=10_000)])
    submit = SubmitField(_l("Save employer"))

    def values(self) -> dict:
        data = {name: (self[name].data or "").strip() for name in ("name", "sector", "city", "website", "notes")}
        business_id = normalise_business_id(self.business_id.data or "")
        data.update(
            business_id=business_id or None,
            size=self.size.data or None,
            working_language=self.working_language.data,
        )
        return data


class ContactForm(RefusalMixin, FlaskForm):
    FIRST = "name"
    name = StringField(_l("Name"), validators=[DataRequired(message=PROBLEMS["name"]), Length(max=200)])
    role = StringField(_l("Role"), validators=[Length(max=200)])
    email = EmailField(
        _l("E-mail"),
        validators=[Optional(), Length(max=254), Email(message=_l("Not an e-mail address: check it."))],
    )
    phone = StringField(_l("Phone"), validators=[Length(max=50)])
    submit = SubmitField(_l("Add contact"))

    def values(self) -> dict:
        return {name: (self[name].data or "").strip() for name in ("name", "role", "email", "phone")}


class DirectoryForm(FlaskForm):
    """The directory's search, read from the query string."""

    class Meta:
        csrf = False

    q = SearchField(_l("Name, business ID or notes"), validators=[Optional(), Length(max=100)])
    city = StringField(_l("City"), validators=[Optional(), Length(max=100)])
    sector = StringField(_l("Sector"), validators=[Optional(), Length(max=100)])
    working_language = SelectField(
        _l("Working language"),
        choices=_choices(WORKING_LANGUAGES, WORKING_LANGUAGE_LABELS, _l("Any")),
        validators=[Optional()],
    )

    def filters(self) -> DirectoryFilters:
        """What the directory lists: a filter with a bad value is left out, its message beside it."""
        self.validate()

        def good(name: str) -> str:
            return "" if self[name].errors else (self[name].data or "").strip()

        return DirectoryFilters(
            q=good("q"), city=good("city"), sector=good("sector"), working_language=good("working_language")
        )


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class OpeningForm(RefusalMixin, FlaskForm):
    FIRST = "title"
    title = StringField(_l("Title"), validators=[DataRequired(message=PROBLEMS["title"]), Length(max=200)])
    kind = SelectField(
        _l("Kind"),
        choices=_choices(OPENING_KINDS, KIND_LABELS, _l("— choose —")),
        validators=[DataRequired(message=PROBLEMS["kind"])],
    )
    status = SelectField(
        _l("Status"),
        choices=lambda: [(code, STATUS_LABELS[code]) for code in OPENING_STATUSES],
        default="open",
        validators=[DataRequired(message=PROBLEMS["status"])],
    )
    occupation = StringField(
        _l("ESCO occupation"),
        validators=[Length(max=300)],
        description=_l("Its name or URI, for example “software developer”. Optional."),
    )
    description = TextAreaField(_l("Description"), validators=[Length(max=10_000)])
    place = StringField(_l("Place"), validators=[Length(max=200)])
    remote = BooleanField(_l("Remote work possible"))
    deadline = DateField(_l("Deadline"), validators=[Optional(), _year_ok])
    min_finnish = SelectField(_l("Finnish needed at least"), choices=_level_choices, validators=[Optional()])
    min_english = SelectField(_l("English needed at least"), choices=_level_choices, validators=[Optional()])
    essential_skills = TextAreaField(
        _l("Required skills"),
        validators=[Length(max=20_000)],
        description=_l("One ESCO skill a line, by its name or URI."),
    )
    nice_skills = TextAreaField(_l("Nice-to-have skills"), validators=[Length(max=20_000)])
    submit = SubmitField(_l("Save opening"))

    def values(self) -> dict:
        data = {name: (self[name].data or "").strip() for name in ("title", "description", "place")}
        data.update(
            kind=self.kind.data,
            status=self.status.data,
            remote=bool(self.remote.data),
            deadline=self.deadline.data,
            min_finnish=self.min_finnish.data or None,
            min_english=self.min_english.data or None,
        )
        return data

    def essential_lines(self) -> list[str]:
        return _lines(self.essential_skills.data)

    def nice_lines(self) -> list[str]:
        return _lines(self.nice_skills.data)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if len(self.essential_lines()) + len(self.nice_lines()) > MAX_SKILLS:
            self.essential_skills.errors = [*self.essential_skills.errors, PROBLEMS["too_many_skills"]]
            return False
        return ok


class MergeForm(FlaskForm):
    into = StringField(
        _l("Merge into the employer with business ID or number"),
        validators=[
            DataRequired(message=_l("Give the business ID or number of the employer that stays.")),
            Length(max=20),
        ],
    )
    submit = SubmitField(_l("Merge"))


class ButtonForm(FlaskForm):
    """A button that posts: its CSRF token, nothing else."""

    submit = SubmitField(_l("Send"))


class MatchFilterForm(FlaskForm):
    """The ranked spouses' filters, read from the query string."""

    class Meta:
        csrf = False

    organisation = SelectField(_l("Organisation"), coerce=str, validate_choice=False, validators=[Optional()])
    stage = SelectField(
        _l("Stage"),
        choices=lambda: [("", _l("Any open stage"))] + [(s, STAGE_LABELS[s]) for s in OPEN_STAGES],
        validators=[Optional()],
    )

    def __init__(self, *args, organisations: list[tuple[int, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation.choices = [("", _l("Any organisation")), *[(str(i), name) for i, name in organisations]]

    def filters(self) -> tuple[int | None, str | None]:
        """(organisation id, stage): a value that is not on the list is left out, with its message."""
        self.validate()
        organisation_id = parse_id(self.organisation.data)
        known = {parse_id(code) for code, _name in self.organisation.choices if code}
        if self.organisation.data and organisation_id not in known:
            self.organisation.errors = [_l("Choose an organisation from the list.")]
            organisation_id = None
        return organisation_id, (None if self.stage.errors else self.stage.data or None)


class ConsideredForm(FlaskForm):
    considered = BooleanField(_l("Advisers may consider me for employers' openings"))
    submit = SubmitField(_l("Save"))
