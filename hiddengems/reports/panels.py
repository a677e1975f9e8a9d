"""What the reports domain shows on other domains' pages (hiddengems/ui/panels.py): on a
lead's desk, the programme's headline figures for all organisations, from the latest
snapshot (one query; none for an adviser who is not a lead)."""

from __future__ import annotations

from datetime import date

from hiddengems.reports import services
from hiddengems.reports.dashboard import headline
from hiddengems.reports.figures import ALL
from hiddengems.ui.panels import panel


@panel("adviser_desk", "reports/_panel_adviser_desk.html", order=90, column="main")
def programme_figures(user, **_) -> dict | None:
    if not user.is_lead:
        return None
    payload = services.latest(ALL)
    if payload is None:
        return {"figures": None}
    return {"figures": headline(payload), "day": date.fromisoformat(payload["day"])}
