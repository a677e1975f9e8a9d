"""A lead's desk shows the programme's headline figures; an adviser's does not."""

from __future__ import annotations

from hiddengems.reports import services
from tests import factories as f
from tests.reports.people import at, cohort


def test_a_leads_desk_shows_the_headline_figures_of_all_organisations(app, client):
    mine, other = f.org("Mine"), f.org("Other")
    cohort(mine, 6, at((2026, 3)), ("intake",))
    cohort(other, 5, at((2026, 3)), ("intake",), outcome="employed_full_time")
    cohort(other, 5, at((2026, 4)), ("intake",), outcome="studying")
    lead = f.user("adviser", lead=True)
    f.login(client, lead)
    page = client.get("/desk").get_data(as_text=True)
    assert "The figures are made each night" in page  # none made yet: the desk never makes them
    services.build_snapshot(services.report_day())
    page = client.get("/desk").get_data(as_text=True)
    section = page.split('id="programme-figures-title"')[1].split("</section>")[0]
    figures = [cell.strip() for cell in section.split('class="col-5 col-md-2 figure-cell">')[1:]]
    assert [cell.split("<")[0] for cell in figures] == ["16", "6", "10", "50"]
    assert "/hr/funder" in section


def test_an_advisers_desk_has_no_figures(app, client):
    f.login(client, f.user("adviser"))
    assert "programme-figures-title" not in client.get("/desk").get_data(as_text=True)
