"""Linked tables cannot be combined to recover a hidden count (hiddengems/reports/protect.py).

The attacker knows every figure of a family — each organisation's and all of them, the
stages beside the funnel over the same people, a month beside its quarter — that "<5"
means 1 to 4, that a shown 0 is 0, and the algorithm itself. So these tests enumerate
every small population of a family's shape, group the populations by what is published,
and ask of each hidden figure that the populations publishing the same give it at least
two values. Counts are enumerated up to ``TOP`` but only populations with every count up
to ``CHECKED`` are judged: their alternatives, a few people moved, are in the enumeration.
"""

from __future__ import annotations

import itertools
import os

import pytest

from hiddengems.reports.protect import Family, protect

T = 5
# No database here: the SQLite pass of the suite runs these, the PostgreSQL pass need not again.
pytestmark = pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="no database: run in the SQLite pass")


def row(n: int) -> tuple[dict, dict]:
    """n categories and their total."""
    cells = {f"c{i}": {"c": frozenset({i})} for i in range(n)}
    cells["total"] = {}
    return {"c": tuple(range(n))}, cells


def stages_and_funnel(n: int) -> tuple[dict, dict]:
    """Participants by stage, and the funnel over the same people: those at stage k or beyond."""
    cells = {f"stage {i}": {"stage": frozenset({i})} for i in range(n)}
    cells["total"] = {}
    for k in range(1, n):
        cells[f"reached {k}"] = {"stage": frozenset(range(k, n))}
    return {"stage": tuple(range(n))}, cells


def organisations_and_all(orgs: int, cats: int) -> tuple[dict, dict]:
    """Each organisation by category with its total, and all organisations the same way."""
    cells = {}
    for o in range(orgs):
        for c in range(cats):
            cells[f"org {o} cat {c}"] = {"org": frozenset({o}), "cat": frozenset({c})}
        cells[f"org {o}"] = {"org": frozenset({o})}
    for c in range(cats):
        cells[f"all cat {c}"] = {"cat": frozenset({c})}
    cells["all"] = {}
    return {"org": tuple(range(orgs)), "cat": tuple(range(cats))}, cells


def months_and_quarter(months: int) -> tuple[dict, dict]:
    """Registrations in each month of a quarter and in the quarter."""
    cells = {f"month {m}": {"month": frozenset({m})} for m in range(months)}
    cells["quarter"] = {}
    return {"month": tuple(range(months))}, cells


def unprotected(shape: tuple[dict, dict], top: int, checked: int) -> list[tuple]:
    domain, cells = shape
    keys = list(itertools.product(*domain.values()))
    names = list(cells)
    groups: dict[tuple, list] = {}
    for counts in itertools.product(range(top + 1), repeat=len(keys)):
        published = protect(Family(domain, dict(zip(keys, counts, strict=True)), cells), T)
        seen = tuple(str(published[n]) for n in names)
        values = tuple(published[n].value for n in names)
        groups.setdefault(seen, []).append((counts, values))
    problems = []
    for seen, tables in groups.items():
        hidden = [i for i, shown in enumerate(seen) if not shown.isdigit()]
        for counts, values in tables:
            if max(counts) > checked:
                continue
            pinned = [names[i] for i in hidden if all(other[i] == values[i] for _, other in tables)]
            if pinned:
                problems.append((counts, seen, pinned))
    return problems


@pytest.mark.parametrize(
    ("shape", "top", "checked"),
    [
        pytest.param(row(3), 14, 8, id="3 categories and their total"),
        pytest.param(stages_and_funnel(3), 14, 8, id="3 stages beside the funnel"),
        pytest.param(months_and_quarter(3), 14, 8, id="3 months beside their quarter"),
        pytest.param(organisations_and_all(2, 2), 8, 4, id="2 organisations beside all, 2 categories"),
    ],
)
def test_no_hidden_figure_is_pinned_by_the_figures_linked_to_it(shape, top, checked):
    assert unprotected(shape, top, checked) == []


def test_a_cohort_of_one_shows_no_zero_that_would_place_them():
    domain, cells = stages_and_funnel(4)
    published = protect(Family(domain, {(2,): 1}, cells), T)
    assert str(published["total"]) == "<5"
    assert {str(published[f"stage {i}"]) for i in range(4)} == {"–"}
    assert {str(published[f"reached {k}"]) for k in range(1, 4)} == {"–"}


def test_an_organisation_cannot_be_had_from_all_minus_the_others():
    domain, cells = organisations_and_all(3, 2)
    atoms = {(0, 0): 20, (0, 1): 12, (1, 0): 15, (1, 1): 9, (2, 0): 1, (2, 1): 0}
    published = protect(Family(domain, atoms, cells), T)
    assert str(published["org 2"]) == "<5"
    assert str(published["org 2 cat 0"]) == "–"  # inside a small cell, even a zero is hidden
    shown = {name for name, cell in published.items() if cell.shown}
    # all minus the other organisations would give org 2: one of those must be hidden
    assert not {"all", "org 0", "org 1"} <= shown
    assert not {"all cat 0", "org 0 cat 0", "org 1 cat 0"} <= shown


def test_large_counts_are_all_shown():
    domain, cells = organisations_and_all(2, 3)
    atoms = {key: 10 + i for i, key in enumerate(itertools.product(range(2), range(3)))}
    published = protect(Family(domain, atoms, cells), T)
    assert all(cell.shown for cell in published.values())
    assert published["all"].published == sum(atoms.values())


def test_a_fixed_mark_from_another_family_is_kept():
    domain, cells = row(3)
    published = protect(Family(domain, {(0,): 7, (1,): 2, (2,): 9}, cells, fixed={"total": "hidden"}), T)
    assert published["total"].mark == "hidden"
    assert str(published["c1"]) == "<5"
