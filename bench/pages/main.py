"""The home pages: the spouse's home and the desks."""

from bench.pages import Page

PAGES = [
    Page("spouse", "home", "/home"),
    Page("adviser", "desk", "/desk"),
    Page("lead", "desk", "/desk"),
]
