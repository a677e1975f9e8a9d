from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from hiddengems.reminders.services import due_date_problem, snooze_problem
from hiddengems.timeutil import helsinki_today, utcnow
from hiddengems.ui.inputs import db_int

DUE_MESSAGES = {
    "passed": _l("The due date has passed."),
    "too_far_ahead": _l("The due date is more than two years ahead."),
}


class FollowUpForm(FlaskForm):
    title = StringField(
        _l("Follow-up"), validators=[DataRequired(message=_l("Say what to follow up.")), Length(max=200)]
    )
    due_on = DateField(_l("Due on"), validators=[DataRequired(message=_l("Give the due date."))])
    due_time = TimeField(
        _l("At (optional)"),
        validators=[Optional()],
        description=_l("A time of day, when it matters: “Call at 14:00”."),
    )
    shared_with_spouse = BooleanField(
        _l("Show on the spouse's page"),
        description=_l("For things the spouse should do or know, like “Send your CV by Friday”."),
    )
    submit = SubmitField(_l("Add follow-up"))

    def validate_due_on(self, field) -> None:
        problem = due_date_problem(field.data, today=helsinki_today())
        if problem:
            raise ValidationError(DUE_MESSAGES[problem])


# Where a follow-up's buttons go back to: the page they were pressed on.
BACK_TO = ("case", "today", "team", "follow_up")


class BackMixin:
    back = HiddenField()

    @property
    def back_to(self) -> str:
        return self.back.data if self.back.data in BACK_TO else "case"


class DoneForm(BackMixin, FlaskForm):
    """A follow-up done: the button alone, or with a note for the case's timeline."""

    note = TextAreaField(
        _l("Note for the timeline (optional)"),
        validators=[Optional(), Length(max=5000, message=_l("Keep the note under 5,000 characters."))],
        description=_l("What came of it. It goes on the case's timeline as a note."),
    )
    submit = SubmitField(_l("Done"))


SNOOZE_MESSAGES = {
    "passed": _l("That time has passed: snooze to a later day or time."),
    "not_later": _l("Snooze to later than it is due now."),
    "too_far_ahead": _l("That is more than two years ahead."),
    "closed": _l("This follow-up is no longer open."),
}


class SnoozeForm(BackMixin, FlaskForm):
    # InputRequired, not DataRequired: a day that is no date gets DateField's own message.
    until_on = DateField(_l("Snooze until"), validators=[InputRequired(message=_l("Give the day to snooze to."))])
    until_time = TimeField(_l("At (optional)"), validators=[Optional()])
    submit = SubmitField(_l("Snooze"))

    def __init__(self, *args, follow_up=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.follow_up = follow_up

    def validate(self, extra_validators=None) -> bool:
        # The day and the time together: after both fields have passed their own checks.
        if not super().validate(extra_validators):
            return False
        problem = snooze_problem(self.follow_up, self.until_on.data, self.until_time.data, now=utcnow())
        if problem:
            self.until_on.errors.append(SNOOZE_MESSAGES[problem])
            return False
        return True


class ReassignFollowUpForm(BackMixin, FlaskForm):
    adviser_id = SelectField(
        _l("Give to adviser"), coerce=db_int, validators=[DataRequired(message=_l("Choose the adviser."))]
    )
    submit = SubmitField(_l("Give"))

    def set_choices(self, advisers) -> None:
        self.adviser_id.choices = [(0, _l("— choose —"))] + [(a.id, a.name) for a in advisers if a.active]
