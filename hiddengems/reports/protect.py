"""Protecting tables published over the same people together (linked tables).

A *family* is every figure published about one population: the stages of each
organisation's participants and of all of them, the funnel over the same people, a
month beside the quarter and the year containing it. An attacker who reads all of them
can add and subtract across tables, so the figures are protected together:

- the family's people are counted in **atoms**, the finest cells (say organisation ×
  month × outcome), counts nobody sees;
- every published figure is a **cell**: the sum of the atoms in a box (a set of values
  per dimension, every value where a dimension is not named);
- ``protect`` decides, for every cell, whether it is shown, shown as ``<5`` (1 to 4) or
  hidden (``–``).

How, as statistics offices do it (DESIGN.md, "Aggregate reporting for HR"):

1. **Primary suppression.** A count from 1 to 4 reads ``<5``. Everything inside such a
   cell is hidden whatever its value, zeros included: beside one small count, a shown 0
   would tell where its people are (a cohort of one in one stage) — unless a published
   0 already says nobody is there.
2. **Audit** (``attack.py``). For each ``<5``, and each hidden cell inside a small one
   that holds somebody, integer programming (``scipy.optimize.milp``, HiGHS) finds the
   smallest and largest value it can take given *everything* published in the family:
   every shown value, ``<5`` meaning 1 to 4, a ``–`` inside a small cell 0 to 4 and
   elsewhere at least 5 (only such counts are hidden beside a small one). A ``<5`` must
   keep its whole range, 1 to 4 — the margin that makes a hidden figure come from many
   populations, not one; a ``–`` inside a small cell at least two values.
3. **Secondary suppression.** Each exposed cell gets one more hidden cell per round:
   under its tightest published total, a shown count of 5 or more beside it (differing in
   one dimension first, then any; in the family's order, never by size). Hiding only
   removes what the attacker knows, so protected cells stay protected. A cell still
   exposed after ``ROUNDS`` rounds has every figure touching it hidden, and such a ``–``
   is then taken to say nothing. Complements that the rest pins down are shown again.

Callers describe a family and read the marks; which cells are hidden is this module's
business alone. ``tests/reports/test_protect.py`` enumerates small populations of every
shape the dashboard publishes; one known gap is marked there (nested funnel figures).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

import numpy as np

from hiddengems.reports.attack import FamilyMatrix
from hiddengems.reports.suppression import DEFAULT_THRESHOLD, Cell, Mark

Box = Mapping[str, frozenset]
# Rounds of complements one cell may take before every figure touching it is hidden.
ROUNDS = 6


@dataclass(frozen=True)
class Family:
    """Figures published over the same people.

    ``domain`` names each dimension and every value it can take (what an attacker knows
    exists, not only the values that occur); ``atoms`` holds the counts by one value per
    dimension, in ``domain``'s order (absent atoms are 0); ``cells`` names each published
    figure by the box it sums, in the order the figures are published: a dimension left
    out of a box takes every value. ``fixed`` gives the marks of cells this family shares
    with one protected before (a month's registrations are also the total of each
    indicator's table for that month): they are kept, and the rest protected around them."""

    domain: Mapping[str, tuple]
    atoms: Mapping[tuple, int]
    cells: Mapping[Hashable, Box]
    fixed: Mapping[Hashable, Mark] = field(default_factory=dict)


class Unprotectable(Exception):
    """Marks fixed elsewhere give a count away whatever this family hides."""


def protect(family: Family, threshold: int = DEFAULT_THRESHOLD) -> dict[Hashable, Cell]:
    """The published mark of every cell of the family."""
    if threshold < 3:
        raise ValueError("the threshold must be at least 3")
    model = _Model(family, threshold)
    marks = model.primary(family.fixed)
    exposed = model.exposed(marks, range(len(model.names)))
    attempts: dict[int, int] = {}
    while exposed:
        # One more hidden cell for each exposed one (they are many in a large family: one
        # round each would take as many audits), then audit those again. A cell still
        # exposed after a few rounds, or with nothing left to hide, has every figure that
        # touches it hidden.
        chosen: set[int] = set()
        for cell in exposed:
            attempts[cell] = attempts.get(cell, 0) + 1
            complement = None if attempts[cell] > ROUNDS else model.complement(cell, marks, family.fixed, taken=chosen)
            if complement is not None:
                chosen.add(complement)
            elif not model.black_out(cell, marks, family.fixed) and cell not in model.dark:
                raise Unprotectable(model.names[cell])
        for complement in chosen:
            for twin in model.twins(complement):
                marks[twin] = "hidden"
        exposed = model.exposed(marks, exposed)
    model.reveal_implied(marks, family.fixed)
    return {name: Cell(int(model.values[i]), marks[i], threshold) for i, name in enumerate(model.names)}


class _Model(FamilyMatrix):
    """The decisions: which cells to hide, on top of what an attacker can work out."""

    def primary(self, fixed: Mapping[Hashable, Mark]) -> list[Mark]:
        every = np.arange(len(self.names))
        small = np.flatnonzero((self.values > 0) & (self.values < self.threshold))
        inside = self.within(every, small)  # inside[i, k]: cell i lies within small cell k
        holds = self.within(small, every).T  # holds[i, k]: small cell k lies within cell i
        self.inside_small = inside.any(axis=1)
        strictly = (inside & ~holds).any(axis=1)
        # A 0 that a published 0 holds is no secret: nobody there is said already.
        zeros = np.flatnonzero((self.values == 0) & ~self.inside_small)
        under_zero = self.within(every, zeros).any(axis=1) if len(zeros) else np.zeros(len(every), dtype=bool)
        marks: list[Mark] = []
        for i, name in enumerate(self.names):
            if name in fixed:
                marks.append(fixed[name])
            elif 0 < self.values[i] < self.threshold:
                # Inside a small cell even small counts read "–": "<5" beside "–" would say 0.
                marks.append("hidden" if strictly[i] else "small")
            elif self.inside_small[i] and not under_zero[i]:
                marks.append("hidden")
            else:
                marks.append("value")
        return marks

    def exposed(self, marks: list[Mark], candidates) -> list[int]:
        """The hidden cells that could hold 1 to 4 people whose range the published figures
        narrow too far. Whether a range is narrowed depends only on what is published,
        never on the true count, so the decision itself gives nothing away; and asking
        a ``<5`` to keep its whole range leaves the margins that make a hidden total
        come from several tables, not one."""
        found = []
        for i in candidates:
            if i in self.dark:
                continue  # blacked out: a "–" there says nothing at all
            if marks[i] == "small":
                # "<5" must still mean anything from 1 to 4
                narrowed = self.extreme(i, marks, 1) > 1 or self.extreme(i, marks, -1) < self.threshold - 1
            elif marks[i] == "hidden" and self._capped(i) and self.values[i] > 0:
                # A "–" inside a small cell must still take two values at least. (One that
                # holds nobody can only be pinned to 0, by published zeros: nobody in the
                # whole programme at that step is no secret about anyone.)
                narrowed = self.extreme(i, marks, 1) == self.extreme(i, marks, -1)
            else:
                continue
            if narrowed:
                found.append(i)
        return found

    def twins(self, cell: int) -> list[int]:
        """The cells with the same box (the funnel's last step is the last stage): one
        figure, one mark."""
        every = np.arange(len(self.names))
        one = np.array([cell])
        return list(every[self.within(every, one)[:, 0] & self.within(one, every)[0]])

    def reveal_implied(self, marks: list[Mark], fixed: Mapping[Hashable, Mark]) -> None:
        """Show a hidden count of 5 or more that the published figures already pin down (a
        complement that turned out not to be needed): hiding it would protect nothing, and
        every hidden cell should be one that could take more than one value."""
        for i, name in enumerate(self.names):
            if marks[i] != "hidden" or name in fixed or i in self.dark:
                continue
            if self.values[i] < self.threshold:
                continue
            if self.extreme(i, marks, 1) == self.extreme(i, marks, -1):
                marks[i] = "value"

    def black_out(self, cell: int, marks: list[Mark], fixed: Mapping[Hashable, Mark]) -> bool:
        """The last resort: every figure that touches the cell's people is hidden, and
        such a ``–`` is then taken to say nothing at all. False if nothing was left."""
        every = np.arange(len(self.names))
        touching = every[self.overlapping(cell, every)]
        new = [i for i in touching if i not in self.dark and self.names[i] not in fixed]
        for i in new:
            marks[i] = "hidden"
            self.dark.add(int(i))
        return bool(new)

    def complement(
        self, cell: int, marks: list[Mark], fixed: Mapping[Hashable, Mark], taken: set[int] = frozenset()
    ) -> int | None:
        """The next cell to hide for ``cell``'s sake, chosen from what is published only:
        first a shown count of at least the threshold beside it under a published total,
        then a published cell that overlaps it, then any in its component — each time
        the first in the family's order."""
        big = np.array(
            [
                i
                for i, m in enumerate(marks)
                if m == "value" and self.names[i] not in fixed and self.values[i] >= self.threshold
            ],
            dtype=int,
        )
        if not len(big):
            return None
        published = np.array([p for p, m in enumerate(marks) if m != "hidden" and p != cell], dtype=int)
        parents = published[self.within(np.array([cell]), published)[0]] if len(published) else published
        # The tightest published totals first (a month's quarter before the year), and
        # beside the cell the figures that differ from it in one dimension only (the
        # other months of that quarter): those are what pin it.
        parents = parents[np.argsort(self.values[parents], kind="stable")]
        apart = ~self.overlapping(cell, big)
        aligned = self.differ_in_one(cell, big)
        for parent in parents:
            beside = apart & self.within(big, np.array([parent]))[:, 0]
            for wanted in (beside & aligned, beside):
                if wanted.any():
                    return int(big[np.argmax(wanted)])
        touching = ~apart
        if touching.any():
            return int(big[np.argmax(touching)])
        same = self.component[big] == self.component[cell]
        return int(big[np.argmax(same)]) if same.any() else None
