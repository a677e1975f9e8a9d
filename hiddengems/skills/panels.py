"""What the skills domain shows on other domains' pages (hiddengems/ui/panels.py): the profile's
summary on the case file, the closest target on the spouse's home, the skills waiting for
validation on the adviser's desk. Each makes one query: on the case file and the home, the
skills counted and the targets with their fit together."""

from __future__ import annotations

from hiddengems.skills import queries
from hiddengems.ui.panels import panel

# How many of the cases waiting for validation the desk lists.
DESK_CASES = 5


def _summary(case_id: int) -> dict:
    """The profile's skills and its targets ranked closest first (queries.profile_summary)."""
    held, fits = queries.profile_summary(case_id)
    return {"case_id": case_id, "held": held, "fits": fits, "closest": fits[0] if fits else None}


@panel("case_file", "skills/_panel_case_file.html", order=40, column="side")
def skills_summary(case, **_) -> dict:
    return _summary(case.id)


@panel("spouse_home", "skills/_panel_spouse_home.html", order=20, column="status")
def closest_target(case, **_) -> dict | None:
    """Once the intake is sent (the stage is past registered), the spouse maps their skills."""
    if case is None or case.stage == "registered":
        return None
    return _summary(case.id)


@panel("adviser_desk", "skills/_panel_adviser_desk.html", order=60)
def skills_to_validate(user, **_) -> dict:
    cases, total = queries.awaiting_validation(user.id, limit=DESK_CASES)
    return {"cases": cases, "total": total}
