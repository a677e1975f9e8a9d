"""The outbox."""

from bench.pages import Page

PAGES = [Page("admin", "outbox", "/admin/outbox/")]
