"""What the intake shows on other domains' pages (hiddengems/ui/panels.py)."""

from __future__ import annotations

from hiddengems.intake import services
from hiddengems.ui.panels import once, panel


def _sent_profile(case) -> tuple:
    """(profile, draft): the profile of a sent intake, read once for the header and the
    profile section. Until the spouse sends it, the intake is their own draft: nobody
    else reads it."""
    profile = once(f"intake_profile:{case.id}", lambda: services.load_profile(case.id))
    draft = profile is not None and profile.submitted_at is None
    return (None if draft else profile), draft


@panel("case_file", "intake/_panel_case_file_header.html", order=10, column="header")
def contact_and_permit(case, today, **_) -> dict:
    """The header's phone, right to work and permit expiry, from the sent intake."""
    profile, _draft = _sent_profile(case)
    return {"profile": profile, "today": today}


@panel("case_file", "intake/_panel_case_file.html", order=90, column="profile")
def profile_summary(case, **_) -> dict:
    profile, draft = _sent_profile(case)
    return {"profile": profile, "draft": draft, "case": case}


def _unsent(case) -> services.IntakeProgress | None:
    """How far the intake got, for a spouse who has not sent it; None once it is sent.
    Asked by two panels of one page: one small query, kept for the request."""
    if case is None or case.stage != "registered":
        return None
    progress = once(f"intake_progress:{case.id}", lambda: services.intake_progress(case.id))
    return None if progress.submitted else progress


@panel("spouse_home", "intake/_panel_spouse_home_status.html", order=10, column="status")
def fill_in_the_intake(case, **_) -> dict | None:
    progress = _unsent(case)
    return None if progress is None else {"progress": progress}


@panel("spouse_home", "intake/_panel_spouse_home_links.html", order=10, column="links")
def my_profile(case, **_) -> dict | None:
    return {} if case is not None and _unsent(case) is None else None
