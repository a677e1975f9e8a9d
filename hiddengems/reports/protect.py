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
   would tell where its people are (a cohort of one in one stage).
2. **Audit.** For each hidden cell that holds 1 to 4 people, integer programming
   (``scipy.optimize.milp``, HiGHS) finds the smallest and largest value it can take
   given *everything* published in the family: every shown value, ``<5`` meaning 1 to 4,
   and a ``–`` meaning 0 or at least 5 (a count from 1 to 4 would read ``<5``, except
   inside a small cell, where ``–`` is 0 to 4). The cell is protected when at least two
   values remain.
3. **Secondary suppression.** While a cell is exposed, one more cell that pins it is
   hidden: the first, in the family's own order (never chosen by size, which would say
   something about its value), of the shown cells that share a published total with it;
   failing that, the total itself. Hiding only ever removes what the attacker knows, so
   cells found protected stay protected; the audit goes on until none is exposed.

Callers describe a family and read the marks; which cells are hidden is this module's
business alone. ``tests/reports/test_protect.py`` proves it on every small cohort.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from itertools import product

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse.csgraph import connected_components

from hiddengems.reports.suppression import DEFAULT_THRESHOLD, Cell, Mark

Box = Mapping[str, frozenset]


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
    while exposed:
        # One more hidden cell for each exposed one (they are many in a large family: one
        # round each would take as many audits), then audit those again.
        chosen = set()
        for cell in exposed:
            complement = model.complement(cell, marks, family.fixed, taken=chosen)
            if complement is not None:
                chosen.add(complement)
            elif not chosen and not model.black_out(cell, marks, family.fixed):
                raise Unprotectable(model.names[cell])
        for complement in chosen:
            for twin in model.twins(complement):
                marks[twin] = "hidden"
        exposed = model.exposed(marks, exposed)
    model.reveal_implied(marks, family.fixed)
    return {name: Cell(int(model.values[i]), marks[i], threshold) for i, name in enumerate(model.names)}


def _factor(ndims: int, sizes: list[int], restricted: list[set]) -> tuple[set, list[set]]:
    """The dimensions shared by every table (a separator of at most two) and the groups of
    the others that no cell restricts together, chosen for the fewest columns."""
    from itertools import combinations

    best = None
    for k in range(0, min(2, ndims) + 1):
        for separator in combinations(range(ndims), k):
            sep = set(separator)
            rest = [d for d in range(ndims) if d not in sep]
            parent = {d: d for d in rest}

            def find(d, parent=parent):
                while parent[d] != d:
                    d = parent[d]
                return d

            for dims in restricted:
                inside = [d for d in dims if d in parent]
                for a, b in zip(inside, inside[1:], strict=False):
                    parent[find(a)] = find(b)
            groups: dict[int, set] = {}
            for d in rest:
                groups.setdefault(find(d), set()).add(d)
            parts = list(groups.values()) or [set()]
            cost = 0
            for part in parts:
                n = 1
                for d in sep | part:
                    n *= sizes[d]
                cost += n
            if best is None or cost < best[0]:
                best = (cost, sep, parts)
    return best[1], best[2]


class _Model:
    """The family as a 0/1 matrix: one row per cell, one column per class of atoms that
    no published cell tells apart (all an attacker could ever learn about).

    Dimensions that no cell restricts together are counted apart: the stages of each
    organisation's participants and the months they registered in are two tables over
    the same people, tied only by each organisation's total. Any two such tables with
    the same totals fit some population, so the problem splits exactly (columns per
    group of dimensions, plus one equation per class of the dimensions they share),
    and stays small."""

    def __init__(self, family: Family, threshold: int) -> None:
        self.threshold = threshold
        self.names = list(family.cells)
        dims = list(family.domain)
        for name, box in family.cells.items():
            unknown = set(box) - set(dims)
            if unknown:
                raise ValueError(f"cell {name!r} names unknown dimensions {sorted(unknown)}")
        boxes = list(family.cells.values())
        # Per dimension, the values no box tells apart form one class.
        classes: list[dict] = []
        for dim in dims:
            restricting = [box[dim] for box in boxes if dim in box]
            signature: dict = {}
            classes.append(
                {
                    v: signature.setdefault(tuple(v in b for b in restricting), len(signature))
                    for v in family.domain[dim]
                }
            )
        sizes = [max(c.values(), default=-1) + 1 for c in classes]
        # Each box as class sets, a dimension left out when it takes every class.
        self.boxes: list[dict[int, frozenset]] = []
        for box in boxes:
            restricted = {}
            for d, dim in enumerate(dims):
                if dim in box:
                    chosen = frozenset(classes[d][v] for v in box[dim] if v in classes[d])
                    if len(chosen) < sizes[d]:
                        restricted[d] = chosen
            self.boxes.append(restricted)
        separator, groups = _factor(len(dims), sizes, [set(b) for b in self.boxes])
        self._build(family, dims, classes, sizes, separator, groups)
        self._box_bits(sizes)
        self.dark: set[int] = set()
        linked = sparse.bmat([[None, self.matrix], [self.matrix.T, None]]).tocsr()
        if self.coupling.shape[0]:
            linked = (
                linked
                + sparse.bmat(
                    [
                        [sparse.csr_matrix((len(self.names), len(self.names))), None],
                        [None, self.coupling.T @ self.coupling],
                    ]
                ).tocsr()
            )
        _, label = connected_components(linked, directed=False)
        self.component = label[: len(self.names)]
        self.inside_small: list[bool] = []
        self._cached: dict[tuple, tuple[list[LinearConstraint], np.ndarray]] = {}

    def _build(self, family, dims, classes, sizes, separator, groups) -> None:
        """Columns per group of dimensions (with the separator's), rows per cell, counts."""
        offsets, layouts = [], []
        total = 0
        for group in groups:
            layout = sorted(separator | group)
            offsets.append(total)
            layouts.append(layout)
            n = 1
            for d in layout:
                n *= sizes[d]
            total += n

        def column(g: int, combo: dict) -> int:
            index = 0
            for d in layouts[g]:
                index = index * sizes[d] + combo[d]
            return offsets[g] + index

        counts = np.zeros(total, dtype=np.int64)
        for key, n in family.atoms.items():
            if n < 0:
                raise ValueError("counts cannot be negative")
            combo = {d: classes[d][v] for d, v in enumerate(key)}
            for g in range(len(groups)):
                counts[column(g, combo)] += n
        rows, cols = [], []
        for r, box in enumerate(self.boxes):
            g = next((g for g, group in enumerate(groups) if set(box) & group), 0)
            allowed = [sorted(box[d]) if d in box else range(sizes[d]) for d in layouts[g]]
            for values in product(*allowed):
                rows.append(r)
                cols.append(column(g, dict(zip(layouts[g], values, strict=True))))
        self.matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(self.names), total))
        self.values = np.rint(self.matrix @ counts).astype(np.int64)
        # The groups count the same people: per class of the separator, equal sums.
        c_rows, c_cols, c_data = [], [], []
        sep = sorted(separator)
        r = 0
        for g in range(1, len(groups)):
            for values in product(*(range(sizes[d]) for d in sep)):
                fixed = dict(zip(sep, values, strict=True))
                for sign, h in ((1, 0), (-1, g)):
                    free = [d for d in layouts[h] if d not in fixed]
                    for rest in product(*(range(sizes[d]) for d in free)):
                        c_rows.append(r)
                        c_cols.append(column(h, fixed | dict(zip(free, rest, strict=True))))
                        c_data.append(sign)
                r += 1
        self.coupling = sparse.csr_matrix((c_data, (c_rows, c_cols)), shape=(r, total))

    def _box_bits(self, sizes) -> None:
        """Each box as one 0/1 vector per dimension over its classes, for containment and
        overlap of many boxes at once."""
        self._bits = []
        for d, size in enumerate(sizes):
            bits = np.ones((len(self.boxes), size), dtype=np.int32)
            for i, box in enumerate(self.boxes):
                if d in box:
                    bits[i, :] = 0
                    bits[i, sorted(box[d])] = 1
            self._bits.append(bits)

    def within(self, rows: np.ndarray, holders: np.ndarray) -> np.ndarray:
        """inside[i, k]: whether box rows[i] lies within box holders[k]."""
        inside = np.ones((len(rows), len(holders)), dtype=bool)
        for bits in self._bits:
            a, b = bits[rows], bits[holders]
            inside &= (a @ b.T) == a.sum(axis=1)[:, None]
        return inside

    def overlapping(self, cell: int, others: np.ndarray) -> np.ndarray:
        result = np.ones(len(others), dtype=bool)
        for bits in self._bits:
            result &= (bits[others] @ bits[cell]) > 0
        return result

    def primary(self, fixed: Mapping[Hashable, Mark]) -> list[Mark]:
        every = np.arange(len(self.names))
        small = np.flatnonzero((self.values > 0) & (self.values < self.threshold))
        inside = self.within(every, small)  # inside[i, k]: cell i lies within small cell k
        holds = self.within(small, every).T  # holds[i, k]: small cell k lies within cell i
        self._inside = inside.any(axis=1)
        strictly = (inside & ~holds).any(axis=1)
        self.inside_small = self._inside.tolist()
        marks: list[Mark] = []
        for i, name in enumerate(self.names):
            if name in fixed:
                marks.append(fixed[name])
            elif 0 < self.values[i] < self.threshold:
                # Inside a small cell even small counts read "–": "<5" beside "–" would say 0.
                marks.append("hidden" if strictly[i] else "small")
            elif self._inside[i]:
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
            if self.component[i] in self.dark:
                continue  # every figure hidden: a "–" there says nothing at all
            if marks[i] == "small":
                # "<5" must still mean anything from 1 to 4
                narrowed = self._extreme(i, marks, 1) > 1 or self._extreme(i, marks, -1) < self.threshold - 1
            elif marks[i] == "hidden" and self._capped(i) and not self._public_zero(i, marks):
                # a "–" inside a small cell must still take two values at least
                narrowed = self._extreme(i, marks, 1) == self._extreme(i, marks, -1)
            else:
                continue
            if narrowed:
                found.append(i)
        return found

    def _public_zero(self, cell: int, marks: list[Mark]) -> bool:
        """Whether a shown 0 contains the cell: that nobody is there is then no secret
        (nobody at all in the programme is at that stage)."""
        zeros = np.array([p for p, m in enumerate(marks) if m == "value" and self.values[p] == 0], dtype=int)
        return bool(len(zeros)) and bool(self.within(np.array([cell]), zeros).any())

    def _capped(self, cell: int) -> bool:
        return self.inside_small[cell] or 0 < self.values[cell] < self.threshold

    def _extreme(self, cell: int, marks: list[Mark], sense: int) -> int:
        """The least (sense 1) or greatest (sense -1) value of a cell over every table
        that publishes the same marks (a billion standing for unbounded)."""
        constraints, columns = self._constraints(tuple(marks), self.component[cell])
        objective = sense * self.matrix[cell].toarray().ravel()[columns]
        # The linear relaxation first: when its best table is whole numbers it is the answer.
        for integral in (0, 1):
            result = milp(
                objective,
                integrality=np.full(len(columns), integral),
                bounds=Bounds(0, np.inf),
                constraints=constraints,
            )
            if result.status == 3:  # unbounded
                return 10**9
            if result.status != 0:
                raise RuntimeError(f"audit failed: {result.message}")
            if integral or np.allclose(result.x, np.round(result.x), atol=1e-7):
                return round(sense * result.fun)
        raise AssertionError("unreachable")

    def _constraints(self, marks: tuple[Mark, ...], component: int) -> tuple[list[LinearConstraint], np.ndarray]:
        """What the attacker knows from these marks about one component, as constraints
        over its atom classes, and the component's columns. A shown count is itself, a
        ``<5`` is 1 to 4; a ``–`` inside a small cell is 0 to 4, and anywhere else at
        least 5: only counts of 5 or more are ever hidden beside a small one."""
        key = (marks, component)
        if key in self._cached:
            return self._cached[key]
        mine = [i for i in range(len(marks)) if self.component[i] == component]
        shown = [i for i in mine if marks[i] == "value"]
        small = [i for i in mine if marks[i] == "small"]
        hidden = [i for i in mine if marks[i] == "hidden"]
        capped = [i for i in hidden if self._capped(i)]
        big = [i for i in hidden if not self._capped(i)]
        columns = np.unique(self.matrix[mine].indices)
        coupling = self.coupling[:, columns]
        coupling = coupling[np.flatnonzero(np.diff(coupling.indptr))]
        a = self.matrix[:, columns]
        blocks, low, high = [], [], []
        for rows, lo, hi in (
            (shown, self.values[shown], self.values[shown]),
            (small, np.ones(len(small)), np.full(len(small), self.threshold - 1)),
            (capped, np.zeros(len(capped)), np.full(len(capped), self.threshold - 1)),
            (big, np.full(len(big), self.threshold), np.full(len(big), np.inf)),
        ):
            if rows:
                blocks.append(a[rows])
                low.append(lo)
                high.append(hi)
        if coupling.shape[0]:
            blocks.append(coupling)
            low.append(np.zeros(coupling.shape[0]))
            high.append(np.zeros(coupling.shape[0]))
        constraints = (
            [LinearConstraint(sparse.vstack(blocks).tocsr(), np.concatenate(low), np.concatenate(high))]
            if blocks
            else []
        )
        if len(self._cached) > 64:
            self._cached.clear()
        self._cached[key] = (constraints, columns)
        return self._cached[key]

    def twins(self, cell: int) -> list[int]:
        """The cells with the same box (the funnel's last step is the last stage): one
        figure, one mark."""
        every = np.arange(len(self.names))
        one = np.array([cell])
        return list(every[self.within(every, one)[:, 0] & self.within(one, every)[0]])

    def reveal_implied(self, marks: list[Mark], fixed: Mapping[Hashable, Mark]) -> None:
        """Show a hidden 0 or count of 5 or more that the published figures already pin
        down (a complement that turned out not to be needed, a zero under a shown zero):
        hiding it would protect nothing, and every hidden cell should be one that could
        take more than one value."""
        for i, name in enumerate(self.names):
            if marks[i] != "hidden" or name in fixed or self.component[i] in self.dark:
                continue
            if 0 < self.values[i] < self.threshold:
                continue
            if self._extreme(i, marks, 1) == self._extreme(i, marks, -1):
                marks[i] = "value"

    def black_out(self, cell: int, marks: list[Mark], fixed: Mapping[Hashable, Mark]) -> bool:
        """The last resort, when nothing left to hide would widen a small count's range:
        every figure about those people is hidden, and a ``–`` there then says nothing.
        False if that was done already."""
        if self.component[cell] in self.dark:
            return False
        self.dark.add(self.component[cell])
        for i, name in enumerate(self.names):
            if self.component[i] == self.component[cell] and name not in fixed:
                marks[i] = "hidden"
        return True

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
        apart = ~self.overlapping(cell, big)
        for parent in parents:
            beside = apart & self.within(big, np.array([parent]))[:, 0]
            if beside.any():
                return int(big[np.argmax(beside)])
        touching = ~apart
        if touching.any():
            return int(big[np.argmax(touching)])
        same = self.component[big] == self.component[cell]
        return int(big[np.argmax(same)]) if same.any() else None
