from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError

from hiddengems.reminders.services import due_date_problem
from hiddengems.timeutil import helsinki_today

DUE_MESSAGES = {
    "passed": _l("The due date has passed."),
    "too_far_ahead": _l("The due date is more than two years ahead."),
}


class FollowUpForm(FlaskForm):
    title = StringField(
        _l("Follow-up"), validators=[DataRequired(message=_l("Say what to follow up.")), Length(max=200)]
    )
    due_on = DateField(_l("Due on"), validators=[DataRequired(message=_l("Give the due date."))])
    shared_with_spouse = BooleanField(
        _l("Show on the spouse's page"),
        description=_l("For things the spouse should do or know, like “Send your CV by Friday”."),
    )
    submit = SubmitField(_l("Add follow-up"))

    def validate_due_on(self, field) -> None:
        problem = due_date_problem(field.data, today=helsinki_today())
        if problem:
            raise ValidationError(DUE_MESSAGES[problem])


class DoneForm(FlaskForm):
    """The "Done" button of a follow-up: its CSRF token, nothing else."""

    submit = SubmitField(_l("Done"))


class ResetFeedForm(FlaskForm):
    """Make (or replace) the adviser's secret calendar address: its CSRF token only."""

    submit = SubmitField(_l("Make a new calendar address"))
