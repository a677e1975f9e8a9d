"""The host organisations."""

from bench.pages import Page

PAGES = [Page("admin", "organisations", "/admin/organisations")]
