"""Shorthands for the access table: the expected status for each role, in ROLES order.

Each domain keeps its rows in tests/<domain>/access.py as ACCESS = {endpoint: (method, codes)};
test_access_table.py merges them.
"""

ROLES = ("anonymous", "spouse_a", "spouse_b", "adviser", "adviser_other", "lead", "hr_x", "hr_y", "admin")

# Shorthands: the expected status for each role, in ROLES order.
PUBLIC = "200 200 200 200 200 200 200 200 200"
ANON_ONLY = "200 302 302 302 302 302 302 302 302"
SIGNED_IN = "302 200 200 200 200 200 200 200 200"
SPOUSE = "302 200 200 403 403 403 403 403 403"
ADVISER = "302 403 403 200 200 200 403 403 403"
HR = "302 403 403 403 403 403 200 200 403"
ADMIN = "302 403 403 403 403 403 403 403 200"
