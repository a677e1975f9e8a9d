"""The intake: the spouse's steps and profile, the adviser's edit."""

from bench.pages import Page, first_case_of

PAGES = [
    Page("spouse", "intake step", "/intake/step/languages"),
    Page("spouse", "my profile", "/intake/profile"),
    Page("adviser", "intake profile edit", lambda s: f"/intake/case/{first_case_of(s, 'adviser')}/languages"),
]
