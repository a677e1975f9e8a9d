"""Publishing many tables over the same people so that none can be set against another.

Every figure HR reads about one organisation (or all of them) is a cell of one **tree**:

- the root is everyone counted (the verified participants registered by the end of the
  report's day);
- a shown cell may be split by one or more **partitions** (registration year; within a
  year: quarter, stage, gender, age…; within the closed: how they left…), each a row whose
  total is the cell it splits;
- a cell that is not shown (``<5`` or ``–``) is never split: everything under it is ``–``.

Each row is protected on its own by the row rule of ``suppression.py`` (proved by its
exhaustive test), with one change: the row's total is the cell above it, already
published, so it can never be hidden here; where the row rule would hide its total, the
whole row is hidden instead (``row()`` below, proved by ``tests/reports/test_tree.py``).

Why the rows taken together are as safe as each alone: the rows under one shown cell are
partitions of the same known number of people, and any partitions with the same total can
be combined into some population (pair the people off), so what one row leaves open no
other row can close; under a hidden cell nothing is published, so it adds no equation;
and a shown cell is a constant to everything above it. Figures *derived* from published
ones (a funnel step as the sum of the stages at or beyond it, a period's total as the sum
of its years, a rate) are shown only when every figure they are made of is shown, so
they tell nothing more. ``tests/reports/test_tree.py`` checks all of this by enumerating
small cohorts against the real shapes the dashboard publishes.

What this costs is detail: a figure is published at one level only (the registration
year), and tables of different years are added up rather than protected anew, so a
period's total is ``–`` when one of its years hides the figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from hiddengems.reports.suppression import DEFAULT_THRESHOLD, HIDDEN, _marks

Published = int | str


def small(threshold: int) -> str:
    return f"<{threshold}"


def root(count: int, threshold: int = DEFAULT_THRESHOLD) -> Published:
    """The top of a tree: a count, or ``<5`` for 1 to 4 people (nothing is split then)."""
    if count < 0:
        raise ValueError("counts cannot be negative")
    return small(threshold) if 0 < count < threshold else count


def row(counts: Mapping, above: Published, threshold: int = DEFAULT_THRESHOLD) -> dict:
    """A partition of the cell ``above`` (as published) into ``counts``' cells.

    Shown only when ``above`` is (a count: the counts must add up to it); under a hidden
    cell every cell is ``–``. Small counts read ``<5``; where the row rule would hide the
    total to protect them, every cell of the row is hidden and the total keeps showing."""
    if not isinstance(above, int):
        return dict.fromkeys(counts, HIDDEN)
    values = tuple(counts.values())
    if sum(values) != above:
        raise ValueError(f"a partition of {above} adds up to {sum(values)}")
    marks, total_mark = _marks(values, threshold)
    if total_mark != "value":
        return dict.fromkeys(counts, HIDDEN)
    words = {"small": small(threshold), "hidden": HIDDEN}
    return {
        key: value if mark == "value" else words[mark] for (key, value), mark in zip(counts.items(), marks, strict=True)
    }


def add(values: Iterable[Published]) -> Published:
    """A derived sum: shown only when every part is (``–`` otherwise)."""
    values = list(values)
    if all(isinstance(v, int) for v in values):
        return sum(values)  # type: ignore[arg-type]
    return HIDDEN


def rate(part: Published, base: Published, threshold: int = DEFAULT_THRESHOLD) -> Published:
    """A percentage of two published counts: shown when both are and the base is at least
    the threshold."""
    if isinstance(part, int) and isinstance(base, int) and base >= threshold:
        return round(100 * part / base)
    return HIDDEN
