"""Small-cell suppression: no published figure may identify a person.

A row of counts is published with its total. Three marks replace a count:

- ``<5`` (threshold 5): a count from 1 to 4 (*primary* suppression);
- ``–``: a count hidden so that a small one cannot be worked out from the others
  (*complementary* suppression), or a whole table of fewer than 5 people;
- a hidden total, ``–``, when showing it would give a small count away.

The attacker we protect against knows everything published, that ``<5`` means 1 to
4, that a shown 0 is 0, and that a ``–`` cell is 0 or at least 5 (it would read
``<5`` otherwise) — and also knows this very algorithm. So every decision below
depends only on what the published table shows, and for each outcome we made sure
that the tables publishing the same thing give every hidden cell at least two
values (the proof is ``tests/reports/test_suppression.py``, which enumerates every
row of 4 to 6 cells with counts 0 to 9):

1. Fewer than 5 people in all: every cell is hidden and the total reads ``<5``.
   (Shown zeros beside one small cell would tell each person's stage.)
2. No count from 1 to 4: everything is shown.
3. Two or more small counts whose sum is at least 2 away from its smallest and
   largest possible value (k+2 … 4k−2 for k cells): they hide each other; the
   rest and the total are shown. Otherwise (one small count, or a sum at an edge):
4. the first count of 5 or more (in the row's own order, never chosen by size, so
   that its being hidden says nothing about its value) is hidden too, and the total
   is shown if the hidden cells' sum leaves each of them two values or more with a
   margin (sum ≥ 5 + k + 2); if not — or if there is no count of 5 or more — the
   total is hidden as well.

The margins are what makes the outcomes safe against an attacker who knows the
rules: each outcome is reached by a whole range of tables, not by one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

DEFAULT_THRESHOLD = 5
HIDDEN = "–"

Mark = Literal["value", "small", "hidden"]


@dataclass(frozen=True)
class Cell:
    """One published figure. ``value`` is the true count, for the code that decides
    (never render it unless ``shown``)."""

    value: int
    mark: Mark
    threshold: int = DEFAULT_THRESHOLD

    @property
    def shown(self) -> bool:
        return self.mark == "value"

    @property
    def suppressed(self) -> bool:
        return not self.shown

    @property
    def published(self) -> int | str:
        """What the reader sees: the count, "<5" or "–"."""
        if self.mark == "value":
            return self.value
        return f"<{self.threshold}" if self.mark == "small" else HIDDEN

    def __str__(self) -> str:
        return str(self.published)


def suppress(counts: Mapping[str, int], threshold: int = DEFAULT_THRESHOLD) -> tuple[dict[str, Cell], Cell]:
    """The cells and the total of one row of counts, as they may be published."""
    marks, total_mark = _marks(tuple(counts.values()), threshold)
    cells = {key: Cell(value, mark, threshold) for (key, value), mark in zip(counts.items(), marks, strict=True)}
    return cells, Cell(sum(counts.values()), total_mark, threshold)


def publish(counts: tuple[int, ...], threshold: int = DEFAULT_THRESHOLD) -> tuple:
    """What a reader sees of a row, as a tuple (the cells, then the total): for tests
    that compare what different tables publish."""
    marks, total_mark = _marks(counts, threshold)
    words = {"small": f"<{threshold}", "hidden": HIDDEN}
    total = sum(counts)
    return (
        *(value if mark == "value" else words[mark] for value, mark in zip(counts, marks, strict=True)),
        total if total_mark == "value" else words[total_mark],
    )


def _marks(counts: tuple[int, ...], threshold: int) -> tuple[list[Mark], Mark]:
    if threshold < 3:
        # "<2" would say "exactly 1": there is nothing left to protect with.
        raise ValueError("the threshold must be at least 3")
    if min(counts, default=0) < 0:
        raise ValueError("counts cannot be negative")
    total = sum(counts)
    if total == 0:
        return ["value"] * len(counts), "value"
    if total < threshold:
        return ["hidden"] * len(counts), "small"
    marks: list[Mark] = ["small" if 0 < value < threshold else "value" for value in counts]
    k = marks.count("small")
    if not k:
        return marks, "value"
    small_sum = sum(value for value in counts if value < threshold)
    if k >= 2 and k + 2 <= small_sum <= (threshold - 1) * k - 2:
        return marks, "value"
    complement = next((i for i, value in enumerate(counts) if value >= threshold), None)
    if complement is None:
        return marks, "hidden"
    marks[complement] = "hidden"
    slack = small_sum + counts[complement] - threshold - k
    return marks, "value" if slack >= 2 else "hidden"
