"""Suppression is safe only if no hidden cell can be worked out from what is published.

The attacker knows every published figure, that "<5" means 1 to 4, that a shown 0 is
0, the totals, and the algorithm itself. So the test enumerates every row of 4 to 6
cells with counts 0 to 9, groups the rows by what they publish, and asks of each
hidden cell that the rows publishing the same thing give it at least two values.
Rows are drawn from 0 to 9, but an attacker has no such cap: a cell that takes one
value among those rows is looked for again among rows with larger counts.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from hiddengems.reports.suppression import HIDDEN, publish, suppress

T = 5
COUNTS = range(10)
# How far beyond 9 an alternative is looked for: far enough for any shift of a few
# people between hidden cells, which is all the rules can be sensitive to.
BEYOND = 9 + 3 * T


def _hidden(published: tuple) -> list[int]:
    return [i for i, shown in enumerate(published[:-1]) if not isinstance(shown, int)]


def _witness(table: tuple[int, ...], cell: int, published: tuple, rule: Callable) -> tuple[int, ...] | None:
    """Another row publishing the same, with a different count in ``cell``."""
    hidden = _hidden(published)
    # Most often, moving a few people between this cell and another hidden one will do.
    for other in hidden:
        for d in range(1, BEYOND):
            for sign in (1, -1):
                row = list(table)
                row[cell] += sign * d
                row[other] -= sign * d
                if other != cell and min(row) >= 0 and rule(tuple(row)) == published:
                    return tuple(row)
    # Otherwise every row that fits the marks: "<5" is 1 to 4, "–" anything; with the
    # total shown, the last hidden cell is what the total leaves.
    total = published[-1] if isinstance(published[-1], int) else None
    free = hidden[:-1] if total is not None else hidden
    options = [range(1, T) if published[i] == f"<{T}" else range(BEYOND + 1) for i in free]
    rest = total - sum(v for i, v in enumerate(table) if i not in hidden) if total is not None else None
    for values in itertools.product(*options):
        row = list(table)
        for i, value in zip(free, values, strict=True):
            row[i] = value
        if rest is not None:
            row[hidden[-1]] = rest - sum(values)
            if row[hidden[-1]] < 0:
                continue
        if row[cell] != table[cell] and rule(tuple(row)) == published:
            return tuple(row)
    return None


def unprotected(cells: int, rule: Callable = lambda row: publish(row, T)) -> list[tuple]:
    """(row, published, cell) for every hidden cell that only one value fits."""
    first: dict[tuple, tuple[int, ...]] = {}
    # Per publication, the hidden cells that have not yet taken a second value (a bit each).
    pending: dict[tuple, int] = {}
    for row in itertools.product(COUNTS, repeat=cells):
        published = rule(row)
        waiting = pending.get(published)
        if waiting is None:
            first[published] = row
            pending[published] = sum(1 << i for i in _hidden(published))
        elif waiting:
            seen = first[published]
            for i in range(cells):
                if waiting >> i & 1 and row[i] != seen[i]:
                    waiting &= ~(1 << i)
            pending[published] = waiting
    problems = []
    for published, row in first.items():
        for cell in _hidden(published):
            if pending[published] >> cell & 1 and _witness(row, cell, published, rule) is None:
                problems.append((row, published, cell))
    return problems


@pytest.mark.parametrize("cells", [4, 5, 6])
def test_no_hidden_cell_can_be_worked_out(cells):
    problems = unprotected(cells)
    assert not problems, f"{len(problems)} hidden cells are determined, e.g. {problems[:5]}"


def test_the_old_rule_fails_the_same_test():
    """The test can fail: the rule it replaced (hide 1-4, plus the smallest other
    non-zero count when only one was hidden) gives cells away."""

    def old_rule(row):
        hidden = {i for i, value in enumerate(row) if 0 < value < T}
        if len(hidden) == 1:
            rest = sorted((value, i) for i, value in enumerate(row) if value > 0 and i not in hidden)
            if rest:
                hidden.add(rest[0][1])
        total = sum(row)
        cells = tuple("<5" if i in hidden else value for i, value in enumerate(row))
        return (*cells, "<5" if 0 < total < T else total)

    problems = unprotected(4, old_rule)
    rows = {row for row, _, _ in problems}
    assert (5, 1, 1, 0) in rows  # 5, <5, <5, total 7: the hidden two are 1 and 1


def test_a_cohort_under_the_threshold_shows_no_stage():
    cells, total = suppress({"registered": 1, "intake": 0, "skills": 0})
    assert [str(c) for c in cells.values()] == [HIDDEN] * 3
    assert str(total) == "<5"


def test_cells_hidden_to_protect_others_are_not_labelled_small():
    cells, total = suppress({"registered": 5, "intake": 2, "skills": 0})
    assert str(cells["intake"]) == "<5"
    assert str(cells["registered"]) == HIDDEN  # it is 5: "<5" would be false
    assert str(total) == HIDDEN  # 5 + 2 = 7 would leave only (5, 2)


def test_small_cells_that_protect_each_other_keep_the_rest_and_the_total():
    cells, total = suppress({"registered": 40, "intake": 2, "skills": 3, "closed": 12})
    assert [str(c) for c in cells.values()] == ["40", "<5", "<5", "12"]
    assert str(total) == "57"


def test_one_small_cell_hides_the_first_large_one_and_keeps_the_total_when_safe():
    cells, total = suppress({"registered": 20, "intake": 3, "skills": 9, "closed": 0})
    assert [str(c) for c in cells.values()] == [HIDDEN, "<5", "9", "0"]
    assert str(total) == "32"


def test_nothing_small_nothing_hidden():
    cells, total = suppress({"a": 12, "b": 0, "c": 7})
    assert [str(c) for c in cells.values()] == ["12", "0", "7"] and str(total) == "19"
    assert not any(c.suppressed for c in cells.values())
