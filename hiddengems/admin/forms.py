from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from hiddengems.auth.services import find_user_by_email
from hiddengems.ui.inputs import db_int

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
