"""The dashboard's choices, read from the query string: the years, the trend's grouping
and, for admins and leads, the organisation."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField

from hiddengems.reports.labels import GROUPING_LABELS
from hiddengems.ui.words import lazy_gettext as _l

YEAR = re.compile(r"[0-9]{4}")  # ASCII digits only: '２０２６' is not a year here
FIRST_YEAR = 2000
MESSAGES = {
    "year_format": _l("Give a year as four digits, for example 2026."),
    "out_of_range": _l("Give a year from 2000 to this year."),
    "backwards": _l("The period ends before it starts: swap the years."),
    "grouping": _l("Group by month or by quarter."),
    "organisation": _l("There is no such organisation: choose one from the list."),
}


class DashboardForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that changes nothing

    from_year = StringField(_l("Registered from (year)"), render_kw={"inputmode": "numeric", "maxlength": 4, "size": 6})
    to_year = StringField(_l("to (year)"), render_kw={"inputmode": "numeric", "maxlength": 4, "size": 6})
    grouping = SelectField(
        _l("Trend by"), choices=list(GROUPING_LABELS.items()), default="month", validate_choice=False
    )
    organisation = SelectField(_l("Organisation"), choices=[("", _l("All organisations"))], validate_choice=False)

    def year(self, field: StringField, last: int) -> int | None:
        """The year typed in ``field``; None when empty (every year) or wrong (its error set)."""
        value = (field.data or "").strip()
        if not value:
            return None
        if not YEAR.fullmatch(value):
            field.errors = [MESSAGES["year_format"]]
        elif not FIRST_YEAR <= int(value) <= last:
            field.errors = [MESSAGES["out_of_range"]]
        else:
            return int(value)
        return None

    def reasons(self) -> dict[str, str]:
        """Every field's first error, for the JSON's 400."""
        return {name: str(field.errors[0]) for name, field in self._fields.items() if field.errors}
