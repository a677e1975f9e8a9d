"""The spouse's intake steps, their profile page, and the adviser's edit of the same profile."""

from __future__ import annotations

from flask_babel import format_date

from hiddengems.intake import bp
from hiddengems.intake.labels import ALWAYS_ASKED, EDIT_STEPS, LABELS, country_name, language_name


@bp.app_context_processor
def intake_globals() -> dict:
    # The summary partial is included by other domains' pages (the case file), so its words are global.
    return {
        "intake_labels": LABELS,
        "intake_edit_steps": EDIT_STEPS,
        "intake_always_asked": ALWAYS_ASKED,
        "language_name": language_name,
        "country_name": country_name,
    }


@bp.app_template_filter("intake_date")
def intake_date(value) -> str:
    return format_date(value, "medium") if value else ""
