"""HR sees aggregates of their own organisation only, never a figure that identifies a person."""

from __future__ import annotations

from hiddengems.reports.suppression import suppress
from tests import factories as f


def test_small_cells_are_suppressed_with_a_complement():
    cells, total = suppress({"a": 12, "b": 3, "c": 7, "d": 0})
    assert str(cells["b"]) == "<5"
    # One hidden cell could be recovered from the total: the next smallest is hidden too.
    assert str(cells["c"]) == "<5"
    assert str(cells["a"]) == "12" and str(cells["d"]) == "0"
    assert str(total) == "22"


def test_two_small_cells_need_no_complement():
    cells, _ = suppress({"a": 10, "b": 1, "c": 2})
    assert [str(c) for c in cells.values()] == ["10", "<5", "<5"]


def test_small_total_is_suppressed():
    cells, total = suppress({"a": 2, "b": 1})
    assert str(total) == "<5" and all(c.suppressed for c in cells.values())


def test_hr_home_shows_suppressed_figures_of_their_organisation_only(app, client):
    mine, other = f.org("Mine"), f.org("Other")
    hr = f.user("hr", organisation=mine)
    for _ in range(6):
        f.user("spouse", organisation=mine)
    intake = [f.user("spouse", organisation=mine) for _ in range(2)]
    for spouse in intake:
        f.assign(spouse, None, "intake")
    for _ in range(9):
        f.user("spouse", organisation=other)
    f.login(client, hr)
    page = client.get("/hr").get_data(as_text=True)
    assert "Programme figures for Mine" in page
    assert "&lt;5" in page  # 2 in intake
    assert ">8<" not in page or "Total" in page
    assert ">17<" not in page  # the other organisation is not counted
    for spouse in intake:
        assert spouse.name not in page and spouse.email not in page
