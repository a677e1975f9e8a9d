"""The demo has small organisations, whose HR sees suppression at work."""

from __future__ import annotations

import re

from sqlalchemy import select

from hiddengems.auth.models import User
from hiddengems.demo.generator import DEMO_DOMAIN, DEMO_PASSWORD, generate
from hiddengems.extensions import db
from tests import factories as f

# The tables of counts (the others hold medians, hours and rates).
COUNTS = ("stages", "registrations", "outcomes", "training", "introductions", "esf_entry", "esf_results")


def _counts(page: str) -> list[str]:
    found = []
    for table in COUNTS:
        html = re.search(rf'<table[^>]*id="table-{table}".*?</table>', page, re.S).group(0)
        for row in re.findall(r"<tr.*?</tr>", html.split("<tbody>")[1], re.S):
            if "employment_rate" not in row and "Employed among closed" not in row:
                found += re.findall(r'<td class="figure-cell[^"]*">([^<]*)</td>', row)
    return found


def test_a_small_organisations_hr_sees_no_count_from_1_to_4(app, client):
    generate(150, seed=4)
    db.session.commit()
    hr = db.session.scalar(select(User).where(User.email == f"hr.small@{DEMO_DOMAIN}"))
    f.login(client, hr, DEMO_PASSWORD)
    page = client.get("/hr").get_data(as_text=True)
    assert "Tampere Institute for Advanced Study" in page
    cells = _counts(page)
    assert "&lt;5" in cells or "–" in cells
    assert not [c for c in cells if c in ("1", "2", "3", "4")]
    big = db.session.scalar(select(User).where(User.email == f"hr@{DEMO_DOMAIN}"))
    other = app.test_client()
    f.login(other, big, DEMO_PASSWORD)
    page = other.get("/hr").get_data(as_text=True)
    assert "Programme figures for Tampere University" in page
    cells = _counts(page)
    assert [c for c in cells if c.isdigit() and int(c) >= 5]  # a large organisation sees its figures
    assert not [c for c in cells if c in ("1", "2", "3", "4")]
