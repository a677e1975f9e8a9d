from __future__ import annotations

import hashlib
import json
from datetime import UTC

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from hiddengems.reminders.kinds import KINDS
from hiddengems.reminders.services import due_date_problem, snooze_problem
from hiddengems.timeutil import HELSINKI, helsinki_today, utcnow
from hiddengems.ui.inputs import db_int
from hiddengems.ui.words import lazy_gettext as _l
from hiddengems.vocab import SIX_MONTH_LABELS

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
    back = HiddenField("back")  # labelled: see CaseListForm.sort (cases/forms.py)

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
    # Shown on the follow-up of the rule "Six-month result after closing" only (the funder's figures).
    six_month_result = SelectField(
        _l("The spouse's situation six months after the close"),
        choices=[("", _l("— not recorded —")), *SIX_MONTH_LABELS.items()],
        validators=[Optional()],
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


# --- reminder rules (the lead's pages) ---------------------------------------------------

RULE_MESSAGES = {
    ("kind", "unknown"): _l("Choose what the rule counts from."),
    ("days", "missing"): _l("Give the number of days, a whole number like 7."),
    ("days", "negative"): _l("Give zero or more days; to count back from a date, choose “before”."),
    ("days", "absurd"): _l("At most 730 days (two years): a reminder further off is a plan, not a reminder."),
    ("direction", "after_only"): _l("This event lies in the past: a rule can only fire after it."),
    ("make_follow_up", "no_action"): _l("Choose what the rule does: a follow-up, an e-mail to the spouse, or both."),
    ("follow_up_title", "missing"): _l("Say what the follow-up asks the adviser to do."),
    ("subject_en", "missing"): _l("The e-mail needs an English subject (the fallback for every language)."),
    ("body_en", "missing"): _l("The e-mail needs an English text (the fallback for every language)."),
    ("effective_from", "past"): _l(
        "A rule cannot start in the past: it would fire at once for everything that already matched."
    ),
}
PLACEHOLDER_HELP = _l("You may use {name} (the spouse's name), {days}, {date} (the due date) and {link}.")


def rule_message(field: str, code: str) -> str:
    """The message for a problem code of hiddengems.reminders.rules.rule_problems."""
    reason, _sep, names = code.partition(":")
    if reason == "unknown":
        shown = ", ".join("{" + name + "}" for name in names.split(","))
        return _("Unknown placeholder %(names)s. %(help)s", names=shown, help=PLACEHOLDER_HELP)
    if reason == "braces":
        return _("A brace { or } without its pair. %(help)s", help=PLACEHOLDER_HELP)
    return str(RULE_MESSAGES[(field, code)])


class RuleForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(message=_l("Give the rule a name.")), Length(max=120)])
    kind = SelectField(_l("Counts from"), choices=[])
    days = IntegerField(
        _l("Days"),
        validators=[InputRequired(message=_l("Give the number of days, a whole number like 7."))],
    )
    direction = SelectField(_l("Before or after"), choices=[("after", _l("after")), ("before", _l("before"))])
    make_follow_up = BooleanField(
        _l("Make a follow-up for the case's adviser (the intake queue when none)"), default=True
    )
    follow_up_title = StringField(_l("Follow-up text"), validators=[Length(max=200)], description=PLACEHOLDER_HELP)
    email_spouse = BooleanField(_l("E-mail the spouse (in their language, English when there is no text in it)"))
    subject_en = StringField(_l("E-mail subject (English)"), validators=[Length(max=200)])
    body_en = TextAreaField(_l("E-mail text (English)"), validators=[Length(max=5000)], description=PLACEHOLDER_HELP)
    subject_fi = StringField(_l("E-mail subject (Finnish, optional)"), validators=[Length(max=200)])
    body_fi = TextAreaField(_l("E-mail text (Finnish, optional)"), validators=[Length(max=5000)])
    enabled = BooleanField(_l("On"), default=True)
    effective_from = DateTimeLocalField(
        _l("Applies from"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(message=_l("Give the time the rule applies from."))],
        description=_l("Only what falls due from then on is made; nothing that already matched before it."),
    )
    # The fingerprint of the values whose dry run was shown: saving needs it to match.
    previewed = HiddenField("previewed")  # labelled: see CaseListForm.sort (cases/forms.py)
    preview = SubmitField(_l("Show the dry run"))
    save = SubmitField(_l("Save the rule"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(code, kind.label) for code, kind in KINDS.items()]

    def values(self) -> dict:
        """The rule's values as the services take them (times in UTC)."""
        templates = {"en": {"subject": self.subject_en.data or "", "body": self.body_en.data or ""}}
        if (self.subject_fi.data or "").strip() or (self.body_fi.data or "").strip():
            templates["fi"] = {"subject": self.subject_fi.data or "", "body": self.body_fi.data or ""}
        effective = self.effective_from.data
        return {
            "name": (self.name.data or "").strip(),
            "kind": self.kind.data,
            "days": self.days.data,
            "direction": self.direction.data,
            "make_follow_up": self.make_follow_up.data,
            "follow_up_title": (self.follow_up_title.data or "").strip() or None,
            "email_spouse": self.email_spouse.data,
            "email_templates": templates if self.email_spouse.data else None,
            "enabled": self.enabled.data,
            "effective_from": effective.replace(tzinfo=HELSINKI).astimezone(UTC) if effective else None,
        }

    def fingerprint(self) -> str:
        values = self.values()
        values["effective_from"] = values["effective_from"].isoformat() if values["effective_from"] else None
        return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()[:32]

    def add_problems(self, problems: dict[str, str]) -> None:
        for name, code in problems.items():
            getattr(self, name).errors = [*getattr(self, name).errors, rule_message(name, code)]

    def fill_from(self, rule) -> None:
        for name in ("name", "kind", "days", "direction", "make_follow_up", "follow_up_title", "email_spouse"):
            getattr(self, name).data = getattr(rule, name)
        self.enabled.data = rule.enabled
        templates = rule.email_templates or {}
        for language in ("en", "fi"):
            getattr(self, f"subject_{language}").data = templates.get(language, {}).get("subject", "")
            getattr(self, f"body_{language}").data = templates.get(language, {}).get("body", "")


class SwitchForm(FlaskForm):
    """The on/off button of a rule on the list: its CSRF token, nothing else."""

    submit = SubmitField(_l("Switch"))


class ResetFeedForm(FlaskForm):
    """Make (or replace) the adviser's secret calendar address: its CSRF token only."""

    submit = SubmitField(_l("Make a new calendar address"))
