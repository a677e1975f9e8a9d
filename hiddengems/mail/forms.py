from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SubmitField

from hiddengems.ui.words import lazy_gettext as _l


class RetryForm(FlaskForm):
    """Send a message that was given up on once more (CSRF: a button that changes something)."""

    submit = SubmitField(_l("Send again"))
