"""The home pages: the spouse's home (and their account's e-mail choices) and the desks."""

from bench.pages import Page

PAGES = [
    Page("spouse", "home", "/home"),
    Page("spouse", "account: which e-mails", "/account"),
    Page("adviser", "desk", "/desk"),
    Page("lead", "desk", "/desk"),
]
