"""The figures are counted in grouped SQL, and the pages read the day's snapshot: a fixed,
small number of queries whatever the number of participants."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from hiddengems.extensions import db
from hiddengems.reports import services
from hiddengems.reports.models import ReportSnapshot
from tests import factories as f
from tests.reports.people import at, cohort

URLS = ["/hr", "/hr/funder", "/hr?from_year=2026&grouping=quarter", "/hr/funnel.csv", "/hr/api/v1/dashboard"]


def _pages(client, queries) -> list[int]:
    found = []
    for url in URLS:
        with queries:
            assert client.get(url).status_code == 200, url
        found.append(queries.count)
    return found


def _building(queries) -> int:
    db.session.execute(delete(ReportSnapshot))
    db.session.commit()
    with queries:
        assert services.build_snapshot(services.report_day())
    return queries.count


@pytest.mark.parametrize("who", ["hr", "admin"])
def test_a_fixed_number_of_queries_whatever_the_data(app, client, queries, who):
    mine = f.org("Mine")
    reader = f.user(who, organisation=mine if who == "hr" else None)
    cohort(mine, 3, at((2026, 3)), ("intake",))
    small = _building(queries)
    f.login(client, reader)
    few = _pages(client, queries)
    cohort(mine, 40, at((2026, 4)), ("intake", "skills"), outcome="studying")
    cohort(mine, 12, at((2025, 4)), ("intake", "skills", "training"))
    cohort(f.org("Other"), 20, at((2026, 5)))
    assert _building(queries) == small
    assert _pages(client, queries) == few
    assert max(few) <= 3  # the account, the organisation (its name or the list), the snapshot
    assert small <= 12  # counting: eight queries; storing: a check and one insert
