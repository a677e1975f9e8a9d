"""The introductions' forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from hiddengems.introductions.labels import STATUS_LABELS
from hiddengems.introductions.services import ADVISER_MOVES
from hiddengems.ui.words import lazy_gettext as _l


class ProposeForm(FlaskForm):
    employer = StringField(
        _l("Employer (business ID or number)"),
        validators=[DataRequired(message=_l("Give the employer's business ID or number.")), Length(max=20)],
    )
    opening = SelectField(_l("Opening"), coerce=str, validators=[Optional()])
    contact = SelectField(
        _l("Send to"),
        coerce=str,
        validators=[Optional()],
        description=_l("The employer's contact person who gets the link once the spouse consents."),
    )
    note = TextAreaField(_l("Note for the spouse"), validators=[Length(max=2_000)])
    submit = SubmitField(_l("Propose and ask for consent"))


class NoteForm(FlaskForm):
    note = TextAreaField(_l("Note"), validators=[Length(max=2_000)])
    submit = SubmitField(_l("Send"))


class MoveForm(FlaskForm):
    status = SelectField(
        _l("New status"),
        choices=lambda: [(code, STATUS_LABELS[code]) for code in ADVISER_MOVES],
        validators=[DataRequired(message=_l("Choose a status from the list."))],
    )
    note = TextAreaField(_l("Note"), validators=[Length(max=2_000)])
    submit = SubmitField(_l("Record"))


class AnswerForm(FlaskForm):
    answer = RadioField(
        _l("Your answer"),
        choices=[("yes", _l("Interested, let's meet")), ("no", _l("Not now"))],
        validators=[DataRequired(message=_l("Choose an answer."))],
    )
    note = TextAreaField(_l("A short note (optional)"), validators=[Length(max=1_000)])
    submit = SubmitField(_l("Send answer"))
