from __future__ import annotations

from datetime import UTC, datetime

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from hiddengems.cases import lists
from hiddengems.cases.services import employment_start_problem
from hiddengems.cases.timeline import activity_time_problem
from hiddengems.timeutil import HELSINKI, helsinki_today, utcnow
from hiddengems.ui.inputs import db_int, parse_id
from hiddengems.ui.widgets import CachedOptionsSelect
from hiddengems.ui.words import lazy_gettext as _l
from hiddengems.vocab import (
    ACTIVITY_KINDS,
    ACTIVITY_LABELS,
    EMPLOYED_OUTCOMES,
    OPEN_STAGES,
    OUTCOME_LABELS,
    OUTCOMES,
    STAGE_LABELS,
    STAGES,
)

TEXT_MAX = 10_000
REASON_MAX = 1_000
# Dates typed outside these years are typos.
FIRST_YEAR, LAST_YEAR = 1900, 2100


# The case lists' arguments in their URLs (the search text never is: ui/search.py).
LIST_ARGS = ("q", "stage", "organisation_id", "overdue", "adviser", "needs_reassignment", "quiet", "sort", "desc")


# Choices given as they are, not by a function: WTForms inspects a function's signature
# each time it calls it.
# The labels are lazy: each is translated when shown.
_OPEN_STAGE_CHOICES = tuple((stage, STAGE_LABELS[stage]) for stage in OPEN_STAGES)


class CaseListForm(FlaskForm):
    """Filters of the case lists, read from the query string."""

    class Meta:
        csrf = False

    q = SearchField(_l("Name or e-mail"), validators=[Optional(), Length(max=100)])
    # Rendered on every page of the lists: the options come from a cached string.
    stage = SelectField(_l("Stage"), validate_choice=False, widget=CachedOptionsSelect())
    organisation_id = SelectField(_l("Organisation"), validate_choice=False, widget=CachedOptionsSelect())
    overdue = BooleanField(_l("Only with overdue follow-ups"))
    adviser = SelectField(_l("Adviser"), validate_choice=False)
    needs_reassignment = BooleanField(_l("Only cases needing reassignment"))
    quiet = BooleanField(_l("Only without contact for 30 days"))
    # Hidden fields are never labelled on the page, but a field without a label has one
    # made up and looked up in WTForms' catalogue, which is then read from disk on every
    # request: these labels spare that (tests/test_form_catalogue.py).
    sort = HiddenField("sort")
    desc = HiddenField("desc")

    # The lists read these from the query string: anything but an id of the list is refused
    # beside its filter (and the list shows without it), never sent to the database.
    def validate_organisation_id(self, field) -> None:
        if field.data and parse_id(field.data) is None:
            raise ValidationError(_l("Choose an organisation from the list."))

    def validate_adviser(self, field) -> None:
        if field.data and field.data != "none" and parse_id(field.data) is None:
            raise ValidationError(_l("Choose an adviser from the list."))

    def to_filters(self, default_sort: str) -> lists.CaseFilters:
        """The filters as the list applies them: a value refused beside its field is left out."""
        self.validate()
        return lists.CaseFilters(
            q="" if self.q.errors else (self.q.data or "").strip(),
            stage=self.stage.data or "",
            organisation_id=None if self.organisation_id.errors else parse_id(self.organisation_id.data),
            overdue=bool(self.overdue.data),
            adviser="" if self.adviser.errors else self.adviser.data or "",
            needs_reassignment=bool(self.needs_reassignment.data),
            quiet=bool(self.quiet.data),
            sort=self.sort.data if lists.is_sort(self.sort.data or "") else default_sort,
            desc=self.desc.data == "1",
        )

    def set_choices(self, organisations, advisers=()) -> None:
        self.stage.choices = [("", _l("All open stages"))] + [(s, STAGE_LABELS[s]) for s in STAGES]
        self.organisation_id.choices = [("", _l("All organisations"))] + [(str(i), n) for i, n in organisations]
        self.adviser.choices = [("", _l("Any adviser")), ("none", _l("Unassigned"))] + [
            (str(a.id), a.name if a.active else _l("%(name)s (deactivated)", name=a.name)) for a in advisers
        ]


def _one_of_the_choices(form, field) -> None:
    if field.data and field.data not in {value for value, _label in field.choices}:
        raise ValidationError(_l("Choose from the list."))


class QueueForm(FlaskForm):
    """Filters of the intake queue, read from the query string: the organisation, and one
    drop-down per filter other domains register (lists/triage.py: the languages)."""

    class Meta:
        csrf = False

    organisation_id = SelectField(_l("Organisation"), validate_choice=False)

    def validate_organisation_id(self, field) -> None:
        if field.data and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Choose an organisation from the list."))

    @classmethod
    def with_filters(cls, filters, formdata, organisations) -> QueueForm:
        """The form with a drop-down for each registered filter, its choices read now;
        a value that is not one of them is refused beside its drop-down (by our own
        message: WTForms' would read its catalogue from disk on every page)."""
        fields = {
            f.name: SelectField(f.label, choices=[("", _l("Any"))] + list(f.choices()), validate_choice=False)
            for f in filters
        }
        form = type("QueueFilters", (cls,), fields)(formdata)
        form.organisation_id.choices = [("", _l("All organisations"))] + [(str(i), n) for i, n in organisations]
        form.validate(extra_validators={f.name: [_one_of_the_choices] for f in filters})
        return form

    def value(self, name: str) -> str:
        """The field's value when valid, else "" (the queue shows without that filter)."""
        field = self[name]
        return "" if field.errors else (field.data or "")


class CaseVersionMixin:
    # The version of the case the form was opened on: a stale save is refused.
    version = IntegerField("version", widget=HiddenField.widget, validators=[InputRequired()])

    def renew_version(self, version: int) -> None:
        """After a conflict: the form shown again carries the current version, so that saving
        again goes through. An IntegerField renders what was posted (raw_data), not .data."""
        self.version.data = version
        self.version.raw_data = [str(version)]


# The case file's selects write their options from a cached string (ui/widgets.py): the
# case file is the page advisers open most.
class StageForm(CaseVersionMixin, FlaskForm):
    stage = SelectField(_l("Move to stage"), choices=_OPEN_STAGE_CHOICES, widget=CachedOptionsSelect())
    reason = TextAreaField(
        _l("Why"), validators=[Optional(), Length(max=REASON_MAX)], description=_l("Seen by advisers only.")
    )
    submit = SubmitField(_l("Change stage"))


NEEDED = _l("Needed when the outcome is employment.")
START_MESSAGES = {
    "too_far_ahead": _l("The start date is more than a year ahead."),
    "before_registration": _l("The start date is before the spouse registered."),
}


class CloseForm(CaseVersionMixin, FlaskForm):
    outcome = SelectField(
        _l("Outcome"),
        choices=[("", _l("— choose —"))] + [(o, OUTCOME_LABELS[o]) for o in OUTCOMES],
        validators=[DataRequired(message=_l("Choose the outcome."))],
    )
    employer = StringField(_l("Employer"), validators=[Optional(), Length(max=200)])
    occupation = StringField(_l("Occupation"), validators=[Optional(), Length(max=200)])
    start_date = DateField(_l("Start date"), validators=[Optional()])
    reason = TextAreaField(_l("Note"), validators=[Optional(), Length(max=REASON_MAX)])
    submit = SubmitField(_l("Close case"))

    def __init__(self, *args, opened_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.opened_on = opened_on

    def outcome_data(self) -> dict:
        """What close_case takes from this form, besides the version."""
        return {
            "outcome": self.outcome.data,
            "reason": self.reason.data,
            "employer": self.employer.data,
            "occupation": self.occupation.data,
            "start_date": self.start_date.data,
        }

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.outcome.data in EMPLOYED_OUTCOMES:
            needed = NEEDED
            for field in (self.employer, self.occupation, self.start_date):
                if not field.errors and not (field.data.strip() if isinstance(field.data, str) else field.data):
                    field.errors.append(needed)
                    ok = False
            start = self.start_date.data
            if start and not self.start_date.errors and self.opened_on:
                problem = employment_start_problem(start, opened_on=self.opened_on, today=helsinki_today())
                if problem:
                    self.start_date.errors.append(START_MESSAGES[problem])
                    ok = False
        return ok


class ReopenForm(CaseVersionMixin, FlaskForm):
    stage = SelectField(
        _l("Reopen at stage"), choices=_OPEN_STAGE_CHOICES, default="skills", widget=CachedOptionsSelect()
    )
    reason = TextAreaField(_l("Why"), validators=[Optional(), Length(max=REASON_MAX)])
    submit = SubmitField(_l("Reopen case"))


def default_occurred_at() -> datetime:
    """What an empty timeline form proposes: now, to the minute, in Helsinki time."""
    return utcnow().astimezone(HELSINKI).replace(second=0, microsecond=0, tzinfo=None)


class ActivityForm(FlaskForm):
    kind = SelectField(
        _l("Kind"), choices=[(k, ACTIVITY_LABELS[k]) for k in ACTIVITY_KINDS], widget=CachedOptionsSelect()
    )
    occurred_at = DateTimeLocalField(
        _l("Date and time"),
        format="%Y-%m-%dT%H:%M",
        validators=[DataRequired(message=_l("Give a date and time, e.g. 2026-03-01 14:30."))],
        description=_l("Helsinki time. Only a meeting may lie ahead."),
    )
    duration_minutes = IntegerField(
        _l("Duration (minutes)"),
        validators=[Optional(), NumberRange(min=0, max=24 * 60, message=_l("Between 0 and 1440 minutes."))],
    )
    text = TextAreaField(
        _l("Text"),
        validators=[DataRequired(message=_l("Write what happened.")), Length(max=TEXT_MAX)],
    )
    shared_with_spouse = BooleanField(
        _l("Share with the spouse"), description=_l("Shared entries appear on the spouse's own page.")
    )
    submit = SubmitField(_l("Add to timeline"))

    def __init__(self, *args, opened_at=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.opened_at = opened_at
        if self.occurred_at.data is None and not self.is_submitted():
            self.occurred_at.data = default_occurred_at()

    @property
    def occurred_at_utc(self):
        return self.occurred_at.data.replace(tzinfo=HELSINKI).astimezone(UTC)

    def validate_occurred_at(self, field) -> None:
        if field.data is None:
            return
        if not FIRST_YEAR <= field.data.year <= LAST_YEAR:
            # Checked first: 0001-01-01 00:00 in Helsinki cannot even be turned into UTC.
            raise ValidationError(_l("Give a date between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR))
        if self.opened_at is None:
            return
        problem = activity_time_problem(self.kind.data, self.occurred_at_utc, opened_at=self.opened_at, now=utcnow())
        messages = {
            "before_registration": _l("This is before the spouse registered."),
            "too_far_ahead": _l("A meeting can be planned at most a year ahead."),
            "in_future": _l("Only a meeting can lie ahead; notes, calls and e-mails are recorded when they happen."),
        }
        if problem:
            raise ValidationError(messages[problem])


class CorrectionForm(FlaskForm):
    """The author corrects the text of their own timeline entry (the earlier text is kept)."""

    text = TextAreaField(
        _l("Text"),
        validators=[DataRequired(message=_l("Write what happened.")), Length(max=TEXT_MAX)],
        description=_l("The text before your correction is kept in the case's history."),
    )
    submit = SubmitField(_l("Save the correction"))


class ConfirmForm(FlaskForm):
    """A button that changes something: take a case, mark a follow-up done."""

    submit = SubmitField(_l("Confirm"))


class ReassignForm(FlaskForm):
    case_id = SelectMultipleField(_l("Cases"), coerce=db_int, validate_choice=False)
    adviser_id = SelectField(
        _l("Give to adviser"), coerce=db_int, validators=[DataRequired(message=_l("Choose the adviser."))]
    )
    back = HiddenField("back")
    submit = SubmitField(_l("Reassign selected"))

    def set_choices(self, advisers) -> None:
        self.adviser_id.choices = [(0, _l("— choose —"))] + [(a.id, a.name) for a in advisers if a.active]

    def validate_case_id(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Tick the cases to reassign."))
        if len(field.data) > MAX_TICKED:
            raise ValidationError(
                _l("At most %(n)d cases at once: use “all matching the filter” instead.", n=MAX_TICKED)
            )


# More than a few pages' worth of ticked boxes is not a page someone ticked.
MAX_TICKED = 500


class ReassignMatchingForm(FlaskForm):
    """Every case the lead's list matches, given to one adviser: first shown with the count
    (``digest`` empty), then confirmed with the digest of the ids that were counted."""

    adviser_id = SelectField(
        _l("Give to adviser"), coerce=db_int, validators=[DataRequired(message=_l("Choose the adviser."))]
    )
    back = HiddenField("back")
    digest = HiddenField("digest")
    confirm = SubmitField(_l("Yes, reassign them"))

    set_choices = ReassignForm.set_choices
