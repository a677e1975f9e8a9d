"""Who reads which figures for which period: the dashboard's query string, checked.

HR reads their own organisation only: another organisation's id is refused (403, and the
refusal is logged); admins and leads read any organisation, or all of them. A bad month,
grouping or organisation is a message beside the field (and a 400 with its reason in
the JSON), the form keeping what was typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from hiddengems.access import deny
from hiddengems.reports import queries
from hiddengems.reports.dashboard import Period
from hiddengems.reports.forms import MESSAGES, DashboardForm
from hiddengems.reports.labels import GROUPING_LABELS
from hiddengems.reports.models import ALL
from hiddengems.reports.periods import month_key, month_of
from hiddengems.reports.services import report_day
from hiddengems.ui.inputs import parse_id


@dataclass
class Choice:
    form: DashboardForm
    scope: int | None = None
    scope_name: str = ""
    period: Period | None = None
    may_choose: bool = False  # admins and leads choose the organisation
    organisations: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.scope is not None and self.period is not None


def _scope(choice: Choice, user, value: str) -> None:
    form = choice.form
    if user.role == "hr":
        own = user.organisation_id
        if own is None:
            # An HR account always belongs to one organisation (a database CHECK); should one
            # ever lack it, it sees nothing rather than everyone.
            deny(object_type="organisation")
        wanted = parse_id(value) if value else own
        if wanted is None:
            form.organisation.errors = [MESSAGES["organisation"]]
        elif wanted != own:
            deny(object_type="organisation", object_id=wanted)
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
    last = month_of(report_day())
    form.from_month.data = form.from_month.data or month_key((last[0] - 1, last[1]))
    form.to_month.data = form.to_month.data or month_key(last)
    form.grouping.data = form.grouping.data or "month"
    choice = Choice(form)
    _scope(choice, user, (form.organisation.data or "").strip())
    first, end = form.month(form.from_month, last), form.month(form.to_month, last)
    if form.grouping.data not in GROUPING_LABELS:
        form.grouping.errors = [MESSAGES["grouping"]]
    elif first and end and end < first:
        form.to_month.errors = [MESSAGES["backwards"]]
    elif first and end:
        choice.period = Period.of(first, end, form.grouping.data)
    return choice
