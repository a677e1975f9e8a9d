from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from hiddengems.auth.services import find_user_by_email
from hiddengems.ui.inputs import db_int, parse_id
from hiddengems.ui.words import lazy_gettext as _l

STAFF_ROLE_CHOICES = [
    ("adviser", _l("Adviser")),
    ("lead", _l("Lead adviser")),
    ("hr", _l("HR of a host organisation")),
    ("admin", _l("Administrator")),
]


class StaffFieldsMixin:
    # The choice "— none —" is 0; a missing or empty value is not a choice at all, so
    # nothing here may skip the check (an Optional() once let an empty value through).
    def validate_organisation_id(self, field) -> None:
        if self.role.data == "hr" and not field.data:
            raise ValidationError(_l("HR users belong to one organisation: please choose it."))


class CreateUserForm(StaffFieldsMixin, FlaskForm):
    """No password: the new colleague chooses it from the invitation e-mail."""

    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(_l("Role"), choices=STAFF_ROLE_CHOICES)
    organisation_id = SelectField(_l("Organisation"), coerce=db_int, description=_l("Required for HR users."))
    submit = SubmitField(_l("Create account and send the invitation"))

    def validate_email(self, field) -> None:
        if find_user_by_email(field.data or ""):
            raise ValidationError(_l("An account with this e-mail already exists."))


class InviteForm(FlaskForm):
    submit = SubmitField(_l("Send a new invitation"))


class EditUserForm(StaffFieldsMixin, FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), choices=STAFF_ROLE_CHOICES)
    organisation_id = SelectField(_l("Organisation"), coerce=db_int, description=_l("Required for HR users."))
    active = BooleanField(_l("Account active"))
    submit = SubmitField(_l("Save"))


class EditSpouseForm(FlaskForm):
    """An admin may only (de)activate a participant; their data belongs to their case."""

    active = BooleanField(_l("Account active"))
    submit = SubmitField(_l("Save"))


class UserSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Name or e-mail"), validators=[Optional(), Length(max=200)])
    role = SelectField(
        _l("Role"),
        choices=[("", _l("All roles")), *STAFF_ROLE_CHOICES],
        validators=[Optional()],
    )


# What the audit log's events are about (each model's audit_type), for its filter.
AUDIT_OBJECT_TYPES = [
    ("case", _l("Case")),
    ("user", _l("Account")),
    ("organisation", _l("Organisation")),
    ("employer", _l("Employer")),
    ("opening", _l("Opening")),
    ("introduction", _l("Introduction")),
    ("programme", _l("Training programme")),
    ("enrolment", _l("Enrolment")),
    ("reminder_rule", _l("Reminder rule")),
    ("outbox_message", _l("E-mail")),
]
# Dates outside these years are typos (and 0001-01-01 in Helsinki has no UTC).
FIRST_YEAR, LAST_YEAR = 1900, 2100
DATE_MESSAGE = _l("Give a date as YYYY-MM-DD, e.g. 2026-03-01.")


def _id_field(label):
    return StringField(label, validators=[Optional(), Length(max=20)])


class AuditFilterForm(FlaskForm):
    """The audit log's filters, from the query string: a value refused is named beside
    its field and the log is shown without it."""

    class Meta:
        csrf = False

    action = StringField(_l("Action starts with"), validators=[Optional(), Length(max=50)])
    date_from = DateField(_l("From (Helsinki day)"), validators=[Optional()])
    date_to = DateField(_l("To (included)"), validators=[Optional()])
    actor = _id_field(_l("Actor (account number)"))
    object_type = SelectField(_l("Object"), choices=[("", _l("Any"))] + AUDIT_OBJECT_TYPES, validators=[Optional()])
    object_id = _id_field(_l("Object number"))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for field in (self.date_from, self.date_to):
            if field.errors or (field.data and not FIRST_YEAR <= field.data.year <= LAST_YEAR):
                field.errors = [DATE_MESSAGE]
                field.data = None
                ok = False
        if self.date_from.data and self.date_to.data and self.date_to.data < self.date_from.data:
            self.date_to.errors = [_l("The end is before the start.")]
            self.date_to.data = None
            ok = False
        for field in (self.actor, self.object_id):
            if field.data and parse_id(field.data.strip()) is None:
                field.errors = [_l("Give an account or object number, e.g. 42.")]
                ok = False
        if self.object_id.data and not self.object_type.data and not self.object_id.errors:
            self.object_id.errors = [_l("Choose what kind of object the number is.")]
            ok = False
        return ok

    def id_of(self, field) -> int | None:
        return None if field.errors else parse_id((field.data or "").strip())
