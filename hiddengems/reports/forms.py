"""The dashboard's choices, read from the query string: the period, its grouping and, for
admins and leads, the organisation."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField

from hiddengems.reports.labels import GROUPING_LABELS
from hiddengems.reports.periods import Month, month_key

MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")  # ASCII digits only: '２０２６' is not a year here
FIRST_MONTH: Month = (2000, 1)
MESSAGES = {
    "month_format": _l("Give a month as YYYY-MM, for example 2026-01."),
    "too_early": _l("Figures start in 2000: give a later month."),
    "backwards": _l("The period ends before it starts: swap the months."),
    "grouping": _l("Group by month or by quarter."),
    "organisation": _l("There is no such organisation: choose one from the list."),
}


class DashboardForm(FlaskForm):
    class Meta:
        csrf = False

    from_month = StringField(_l("From month"), render_kw={"type": "month", "placeholder": "YYYY-MM"})
    to_month = StringField(_l("To month"), render_kw={"type": "month", "placeholder": "YYYY-MM"})
    grouping = SelectField(
        _l("Group by"), choices=list(GROUPING_LABELS.items()), default="month", validate_choice=False
    )
    organisation = SelectField(_l("Organisation"), choices=[("", _l("All organisations"))], validate_choice=False)

    def month(self, field: StringField, last: Month) -> Month | None:
        """The month typed in ``field`` (its error set when it is no month we report)."""
        found = MONTH.fullmatch((field.data or "").strip())
        month = (int(found.group(1)), int(found.group(2))) if found else None
        if month is None or not 1 <= month[1] <= 12:
            field.errors = [MESSAGES["month_format"]]
        elif month < FIRST_MONTH:
            field.errors = [MESSAGES["too_early"]]
        elif month > last:
            field.errors = [
                _("Figures are as of the end of yesterday: give %(last)s or earlier.", last=month_key(last))
            ]
        else:
            return month
        return None

    def reasons(self) -> dict[str, str]:
        """Every field's first error, for the JSON's 400."""
        return {name: str(field.errors[0]) for name, field in self._fields.items() if field.errors}
