"""The figures HR reads cannot be set against each other to work out a hidden count.

The attacker knows every published figure of a scope (every table of every cohort), that
"<5" means 1 to 4, that a shown 0 is 0, and the rules themselves. Three exhaustive proofs:

1. a row under a shown total (``tree.row``): every row of 3 to 5 cells and every total up
   to 14, each hidden cell takes at least two values among the rows publishing the same;
2. the cohorts (``figures.cohorts_of``): every count of 3 or 4 years from 0 to 14, each
   year's count takes at least two values among those publishing the same cohorts;
3. the whole tree as the dashboard publishes it (``figures.publish_scope``), for every
   population of up to 7 people over person types that differ in registration year,
   stage, gender and outcome: each figure that is not shown takes at least two values
   among the populations publishing the same *everything*.

(3) is the linked-tables test: the stages, the outcomes, the funnel, the indicators, the
registration months and quarters of each cohort are published together, and only the
populations an attacker cannot tell apart count as witnesses.
"""

from __future__ import annotations

import itertools
import os
from collections import Counter, defaultdict

import pytest

from hiddengems.reports import figures, tree
from hiddengems.reports.counting import Person
from hiddengems.reports.figures import cohorts_of, publish_scope
from hiddengems.reports.suppression import HIDDEN
from hiddengems.reports.tree import row

pytestmark = pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="no database: run in the SQLite pass")

T = 5


def _compositions(total: int, cells: int):
    if cells == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in _compositions(total - first, cells - 1):
            yield (first, *rest)


@pytest.mark.parametrize("cells", [3, 4, 5])
def test_a_row_under_a_shown_total_leaves_every_hidden_cell_two_values(cells):
    for total in range(15):
        seen: dict[tuple, list[set]] = {}
        for counts in _compositions(total, cells):
            published = tuple(row(dict(enumerate(counts)), total, T).values())
            values = seen.setdefault(published, [set() for _ in range(cells)])
            for i, value in enumerate(counts):
                values[i].add(value)
            for i, shown in enumerate(published):
                if isinstance(shown, int):
                    assert shown == counts[i]
                elif shown == "<5":
                    assert 1 <= counts[i] <= 4
        for published, values in seen.items():
            for i, shown in enumerate(published):
                if not isinstance(shown, int):
                    assert len(values[i]) >= 2, (total, published, i)


def test_under_a_hidden_cell_nothing_is_shown_and_a_zero_splits_into_zeros():
    assert row({"a": 3, "b": 4}, HIDDEN) == {"a": HIDDEN, "b": HIDDEN}
    assert row({"a": 3, "b": 4}, "<5") == {"a": HIDDEN, "b": HIDDEN}
    assert row({"a": 0, "b": 0}, 0) == {"a": 0, "b": 0}
    with pytest.raises(ValueError):
        row({"a": 3}, 4)


def test_where_the_row_rule_would_hide_its_total_the_whole_row_is_hidden():
    # 5 and 1 under 6: hiding the 5 beside the 1 leaves them only one way to add up to 6.
    assert row({"a": 5, "b": 1}, 6) == {"a": HIDDEN, "b": HIDDEN}
    assert row({"a": 9, "b": 1, "c": 0}, 10) == {"a": HIDDEN, "b": "<5", "c": 0}


@pytest.mark.parametrize("years", [3, 4])
def test_the_cohorts_never_tell_a_small_year_apart(years):
    names = tuple(str(2020 + i) for i in range(years))
    seen: dict[tuple, list[set]] = {}
    for counts in itertools.product(range(15), repeat=years):
        per_year = dict(zip(names, counts, strict=True))
        groups = cohorts_of(names, per_year, T)
        assert sorted(y for members in groups.values() for y in members) == list(names)
        sums = tuple((key, sum(per_year[y] for y in members)) for key, members in groups.items())
        for _key, n in sums:
            assert n == 0 or n >= T or sum(counts) < T
        values = seen.setdefault(sums, [set() for _ in names])
        for i, value in enumerate(counts):
            values[i].add(value)
    for sums, values in seen.items():
        if any(n > 14 for _key, n in sums):
            continue  # some ways to make these sums hold a year over 14, not enumerated here
        for key, _n in sums:
            members = key.split("–")
            if len(members) == 1:
                continue
            for i, name in enumerate(names):
                if members[0] <= name <= members[-1]:
                    assert len(values[i]) >= 2, (sums, name)


# --- the whole tree -------------------------------------------------------------------------

TYPES = [
    Person(1, month, stage, reach, outcome, six, gender=gender)
    for month in ("2025-02", "2026-05")
    for gender in ("woman", "man")
    for stage, reach, outcome, six in (
        ("intake", None, None, None),
        ("closed", "skills", "employed_full_time", "not_recorded"),
        ("closed", "intake", "studying", "employed"),
    )
]


def _flat(payload: dict) -> dict:
    """Every count of a payload about people, by its path (medians and hours are not counts;
    training and introductions count events, none among these types)."""
    found = {}

    def walk(value, path):
        if isinstance(value, dict):
            for key, inner in value.items():
                if key not in ("medians", "hours", "years", "version", "day", "threshold", "training", "introductions"):
                    walk(inner, (*path, key))
        elif not isinstance(value, list):
            found[path] = value

    walk(payload, ())
    return found


def _truth(people: Counter) -> dict:
    """The same tree with nothing hidden: the counts behind each figure."""
    shown = lambda values, threshold: (["value"] * len(values), "value")  # noqa: E731
    original_marks, original_root = tree._marks, tree.root
    tree._marks, figures.root = shown, (lambda count, threshold=T: count)
    try:
        return _flat(publish_scope(people, T, years=("2025", "2026")))
    finally:
        tree._marks, figures.root = original_marks, original_root


def _exposed(most: int, types: list[Person] = TYPES) -> list:
    """(participants, path, the one value) of each hidden figure that only one value fits,
    over every population of up to ``most`` people of ``TYPES``."""
    groups: dict[tuple, dict[tuple, set]] = defaultdict(lambda: defaultdict(set))
    ever: Counter = Counter()  # the figures some population of these types makes non-zero
    for n in range(most + 1):
        for chosen in itertools.combinations_with_replacement(range(len(types)), n):
            people = Counter(types[i] for i in chosen)
            published = _flat(publish_scope(people, T, years=("2025", "2026")))
            truth = _truth(people)
            assert published.keys() == truth.keys()
            key = tuple(sorted((path, str(value)) for path, value in published.items()))
            for path, value in published.items():
                ever[path] += truth[path] > 0
                if isinstance(value, int):
                    assert truth[path] == value, path
                else:
                    groups[key][path].add(truth[path])
    # A hidden figure that only one value fits gives it away, unless it is 0 for every
    # population of these types (a month nobody here registers in: no real attacker knows that).
    return [
        (dict(key)[("participants",)], path, values)
        for key, paths in groups.items()
        for path, values in paths.items()
        if len(values) < 2 and ever[path]
    ]


def test_no_figure_of_the_published_tree_can_be_worked_out_from_the_others():
    exposed = _exposed(6)
    assert not exposed, exposed[:5]


def test_the_search_finds_what_a_weaker_rule_gives_away(monkeypatch):
    """Hiding the small counts alone (no complement) is caught: the proof above can fail."""

    def small_only(values, threshold):
        return ["small" if 0 < v < threshold else "value" for v in values], "value"

    monkeypatch.setattr(tree, "_marks", small_only)
    assert _exposed(6, TYPES[:6])
