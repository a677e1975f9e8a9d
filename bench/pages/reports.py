"""What HR sees."""

from bench.pages import Page

PAGES = [Page("hr", "home", "/hr")]
