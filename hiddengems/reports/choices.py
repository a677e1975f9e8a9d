"""Who reads which figures for which years: the dashboard's query string, checked.

HR reads their own organisation only: another organisation's id, or all of them, is
refused (403, and the refusal is logged), so that nobody outside the programme's staff
reads an organisation's figures beside the figures of all (the two are protected each on
its own). Admins and leads read any organisation, or all. A bad year, grouping or
organisation is a message beside the field (and a 400 with its reason in the JSON), the
form keeping what was typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from hiddengems.access import deny
from hiddengems.reports import queries
from hiddengems.reports.figures import ALL
from hiddengems.reports.forms import MESSAGES, DashboardForm
from hiddengems.reports.labels import GROUPING_LABELS
from hiddengems.reports.services import report_day
from hiddengems.ui.inputs import parse_id


@dataclass
class Choice:
    form: DashboardForm
    scope: int | None = None
    scope_name: str = ""
    years: tuple[int | None, int | None] | None = None
    grouping: str = "month"
    may_choose: bool = False  # admins and leads choose the organisation
    organisations: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.scope is not None and self.years is not None

    def args(self) -> dict:
        """The choice as query arguments, for links to its CSV and JSON."""
        found = {
            "from_year": self.form.from_year.data or None,
            "to_year": self.form.to_year.data or None,
            "grouping": self.grouping,
        }
        if self.may_choose and self.scope:
            found["organisation"] = self.scope
        return {k: v for k, v in found.items() if v}


def _scope(choice: Choice, user, value: str) -> None:
    form = choice.form
    if user.role == "hr":
        own = user.organisation_id
        if own is None:
            # An HR account always belongs to one organisation (a database CHECK); should one
            # ever lack it, it sees nothing rather than everyone.
            deny(object_type="organisation")
        wanted = parse_id(value) if value else own
        if wanted is None and value not in ("0",):
            form.organisation.errors = [MESSAGES["organisation"]]
        elif wanted != own:
            deny(object_type="organisation", object_id=wanted or ALL)
        else:
            choice.scope, choice.scope_name = own, queries.organisation_name(own)
        return
    choice.may_choose, choice.organisations = True, queries.organisations()
    form.organisation.choices = [("", _("All organisations"))] + [(str(i), n) for i, n in choice.organisations]
    names = dict(choice.organisations)
    wanted = ALL if value in ("", "0") else parse_id(value)
    if wanted == ALL:
        choice.scope, choice.scope_name = ALL, _("all organisations")
    elif wanted in names:
        choice.scope, choice.scope_name = wanted, names[wanted]
    else:
        form.organisation.errors = [MESSAGES["organisation"]]


def choose(args, user) -> Choice:
    form = DashboardForm(args)
    form.grouping.data = form.grouping.data or "month"
    choice = Choice(form)
    _scope(choice, user, (form.organisation.data or "").strip())
    last = report_day().year
    first, end = form.year(form.from_year, last), form.year(form.to_year, last)
    if form.grouping.data not in GROUPING_LABELS:
        form.grouping.errors = [MESSAGES["grouping"]]
    elif first and end and end < first:
        form.to_year.errors = [MESSAGES["backwards"]]
    elif not form.from_year.errors and not form.to_year.errors:
        choice.years, choice.grouping = (first, end), form.grouping.data
    return choice
