"""The admin's pages."""

from bench.pages import Page, demo_user_id

PAGES = [
    Page("admin", "home", "/admin/"),
    Page("admin", "users", "/admin/users"),
    Page("admin", "audit log", "/admin/audit"),
    Page("admin", "edit a user", lambda s: f"/admin/users/{demo_user_id(s, 'adviser')}"),
]
