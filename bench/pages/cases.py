"""The case lists and the case file."""

from bench.pages import Page, busiest_case_of, first_open_case_of

PAGES = [
    Page("adviser", "my caseload", "/cases/"),
    Page("adviser", "caseload by last contact", "/cases/?sort=last_contact&desc=1"),
    Page("adviser", "intake queue", "/cases/queue"),
    Page("adviser", "intake queue by language", "/cases/queue?language=en"),
    Page("adviser", "registered, intake not yet submitted", "/cases/registered"),
    Page("adviser", "case file (longest timeline)", lambda s: f"/cases/{busiest_case_of(s, 'adviser')}"),
    Page("lead", "all cases", "/cases/all"),
    Page("lead", "all cases by days in stage", "/cases/all?sort=days&desc=1"),
    # Walked in value order until a page is full (hiddengems/cases/lists/columns.py).
    Page("lead", "all cases by last contact", "/cases/all?sort=last_contact&desc=1"),
    Page("lead", "all cases by next follow-up", "/cases/all?sort=next_due"),
    # Two aggregates over every open case, whatever the size of the team.
    Page("lead", "team workload", "/cases/team"),
    Page("lead", "all cases without contact for 30 days", "/cases/all?quiet=y"),
    Page("adviser", "close a case", lambda s: f"/cases/{first_open_case_of(s, 'adviser')}/close"),
]
