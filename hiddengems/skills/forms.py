"""The skills profile's forms. The rules (known concepts, levels, at most three targets,
years) are the services' (profile.py, mapping.py): a form carries what was posted, and a
refusal comes back beside its field with everything typed kept."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SearchField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.core import UnboundField
from wtforms.validators import Length, NumberRange, Optional

from hiddengems.skills.labels import LEVEL_LABELS, SESSION_KIND_LABELS, SOURCE_LABELS, requirement_languages
from hiddengems.skills.mapping import MAX_DURATION, NOTE_MAX
from hiddengems.ui.inputs import db_int, parse_id
from hiddengems.ui.words import lazy_gettext as _l
from hiddengems.vocab import CEFR

# Longer than any search the service runs (queries.MAX_TEXT): it says so itself, beside the box.
SEARCH_FIELD_MAX = 20_000


def _hidden() -> UnboundField:
    """A hidden field, never shown with a label. Given one, WTForms does not make its own:
    that would load WTForms' message catalogue from disk at each request."""
    return HiddenField("")


class PickerSearchForm(FlaskForm):
    """The profile page's search boxes, read from the query string (no JavaScript needed)."""

    class Meta:
        csrf = False

    skill_q = SearchField(_l("Find a skill"))
    target_q = SearchField(_l("Find a target occupation"))
    past_q = SearchField(_l("Find a past occupation"))
    # The intake's job title a past-occupation search started from.
    title = _hidden()

    def text(self, name: str) -> str:
        return (self[name].data or "")[:SEARCH_FIELD_MAX]


def _choices(labels: dict) -> list[tuple[str, str]]:
    return list(labels.items())


class AddSkillForm(FlaskForm):
    skill = _hidden()
    level = SelectField(_l("Level"), choices=_choices(LEVEL_LABELS), validate_choice=False, default="intermediate")
    source = SelectField(_l("Learnt through"), choices=_choices(SOURCE_LABELS), validate_choice=False, default="work")
    # The search the skill was picked from, shown again if the addition is refused.
    skill_q = _hidden()
    submit = SubmitField(_l("Add"))

    @property
    def skill_id(self) -> int:
        return parse_id(self.skill.data) or 0

    posted_id = skill_id


class SkillRowForm(FlaskForm):
    """A held skill's level and source, changed in its row."""

    level = SelectField(_l("Level"), choices=_choices(LEVEL_LABELS), validate_choice=False)
    source = SelectField(_l("Learnt through"), choices=_choices(SOURCE_LABELS), validate_choice=False)
    submit = SubmitField(_l("Save"))


class ActionForm(FlaskForm):
    """A button (validate, remove): its CSRF token and nothing else."""


class TargetForm(FlaskForm):
    occupation = _hidden()
    target_q = _hidden()
    submit = SubmitField(_l("Add as a target"))

    @property
    def occupation_id(self) -> int:
        return parse_id(self.occupation.data) or 0

    posted_id = occupation_id


class PastOccupationForm(FlaskForm):
    occupation = _hidden()
    years = StringField(_l("Years"))
    job_title = StringField(_l("Job title you used"), validators=[Length(max=1_000)])
    past_q = _hidden()
    submit = SubmitField(_l("Save"))

    @property
    def occupation_id(self) -> int:
        return parse_id(self.occupation.data) or 0

    posted_id = occupation_id

    @property
    def years_value(self) -> int | None:
        """Empty: not given. Anything but a whole number is -1, which the service refuses
        beside the field (profile.BadYears)."""
        text = (self.years.data or "").strip()
        if not text:
            return None
        try:
            return db_int(text)
        except ValueError:
            return -1


class LanguageRequirementForm(FlaskForm):
    language = SelectField(_l("Language"), validate_choice=False)
    level = SelectField(_l("At least"), choices=list(CEFR.items()), validate_choice=False, default="B1")
    submit = SubmitField(_l("Note"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = list(requirement_languages())


class SessionForm(FlaskForm):
    """The adviser's mapping session, recorded on the timeline (like the case file's activities)."""

    kind = SelectField(_l("Kind"), choices=_choices(SESSION_KIND_LABELS), default="meeting")
    duration_minutes = IntegerField(
        _l("Duration (minutes)"),
        validators=[
            Optional(),
            NumberRange(min=1, max=MAX_DURATION, message=_l("From 1 to %(max)d minutes.", max=MAX_DURATION)),
        ],
    )
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=NOTE_MAX)])
    submit = SubmitField(_l("Record mapping session"))
