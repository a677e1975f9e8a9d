from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError

from hiddengems.orgs.queries import name_taken
from hiddengems.ui.words import lazy_gettext as _l


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    active = BooleanField(_l("Active (offered at registration)"), default=True)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, organisation_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The organisation being edited comes from the URL: a posted id is never read.
        self.organisation_id = organisation_id

    def validate_name(self, field) -> None:
        if name_taken(field.data, exclude_id=self.organisation_id):
            raise ValidationError(_l("An organisation with this name already exists."))
