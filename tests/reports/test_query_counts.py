"""The dashboard, its CSV files and its JSON read the day's snapshot: a fixed, small number
of queries whatever the number of participants."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.reports.people import at, cohort

URLS = ["/hr", "/hr?grouping=quarter", "/hr/funnel.csv", "/hr/esf_entry.csv", "/hr/api/v1/dashboard"]


def _counts(client, queries) -> list[int]:
    found = []
    for url in URLS:
        with queries:
            assert client.get(url).status_code == 200, url
        found.append(queries.count)
    return found


@pytest.mark.parametrize("who", ["hr", "admin"])
def test_a_fixed_number_of_queries_whatever_the_data(app, client, queries, who):
    mine = f.org("Mine")
    reader = f.user(who, organisation=mine if who == "hr" else None)
    cohort(mine, 3, at((2026, 3)), ("intake",))
    f.login(client, reader)
    client.get("/hr")  # the day's first request builds the snapshot
    few = _counts(client, queries)
    cohort(mine, 40, at((2026, 4)), ("intake", "skills"), outcome="studying")
    cohort(f.org("Other"), 20, at((2026, 5)))
    many = _counts(client, queries)
    assert few == many
    assert max(many) <= 3  # the user, the organisation (name or list), the snapshot
