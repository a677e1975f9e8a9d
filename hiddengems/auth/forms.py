from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from hiddengems.auth.passwords import MAX_LENGTH, password_problem
from hiddengems.ui.inputs import db_int
from hiddengems.ui.words import lazy_gettext as _l

LANGUAGE_CHOICES = [
    ("en", _l("English")),
    ("fi", _l("Finnish")),
    ("sv", _l("Swedish")),
]


class NewPasswordMixin:
    """Checks the policy against the e-mail and name in the same form, if any."""

    def validate_password(self, field) -> None:
        email = getattr(self, "email", None)
        name = getattr(self, "name", None)
        problem = password_problem(
            field.data or "",
            email=email.data or "" if email else getattr(self, "_email", ""),
            name=name.data or "" if name else getattr(self, "_name", ""),
        )
        if problem:
            raise ValidationError(problem)


class RegistrationForm(NewPasswordMixin, FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=MAX_LENGTH)],
        description=_l("At least 12 characters. A few unrelated words work well."),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )
    organisation_id = SelectField(
        _l("Your partner's host organisation"),
        coerce=db_int,
        validators=[DataRequired(message=_l("Please choose the organisation."))],
    )
    preferred_language = SelectField(_l("Preferred language"), choices=LANGUAGE_CHOICES, default="en")
    privacy = BooleanField(
        _l("I have read the privacy notice and agree that my data is processed as it describes."),
        validators=[DataRequired(message=_l("Please accept the privacy notice to register."))],
    )
    submit = SubmitField(_l("Create account"))


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    remember = BooleanField(_l("Keep me logged in on this device (participants only)"))
    submit = SubmitField(_l("Log in"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    submit = SubmitField(_l("Send reset link"))


class ResetPasswordForm(NewPasswordMixin, FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )
    submit = SubmitField(_l("Set new password"))


class ChangePasswordForm(ResetPasswordForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    submit = SubmitField(_l("Change password"))


class ResendVerificationForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    submit = SubmitField(_l("Send the link again"))


class LogoutForm(FlaskForm):
    submit = SubmitField(_l("Log out"))


class AccountForm(FlaskForm):
    """A participant's e-mail choices (the account page)."""

    email_updates = BooleanField(
        _l("E-mail me when my adviser shares a follow-up with me, or closes or reopens my case"),
        description=_l(
            "Invitations to meetings your adviser books with you are always sent: they are how you learn"
            " when and where to meet. E-mails about your password and your account are always sent too."
        ),
    )
    submit = SubmitField(_l("Save my choices"))
