"""What an attacker can work out from a family's published marks (hiddengems/reports/protect.py).

The family becomes a 0/1 matrix: one row per published cell, one column per class of
atoms that no cell tells apart. ``extreme`` answers, by integer programming (HiGHS, in
SciPy), the smallest and largest value a cell can take in any population that publishes
the same marks: the audit statistics offices run before publishing.
"""

from __future__ import annotations

from itertools import combinations, product
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse.csgraph import connected_components

from hiddengems.reports.suppression import Mark

if TYPE_CHECKING:
    from hiddengems.reports.protect import Family


def factor(ndims: int, sizes: list[int], restricted: list[set]) -> tuple[set, list[set]]:
    """The dimensions shared by every table (a separator of at most two) and the groups of
    the others that no cell restricts together, chosen for the fewest columns."""
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


class FamilyMatrix:
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
        separator, groups = factor(len(dims), sizes, [set(b) for b in self.boxes])
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
        self.inside_small = np.zeros(len(self.names), dtype=bool)  # set by the first suppression
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
            bits = np.ones((len(self.boxes), size), dtype=np.float32)
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

    def differ_in_one(self, cell: int, others: np.ndarray) -> np.ndarray:
        differing = np.zeros(len(others), dtype=int)
        for bits in self._bits:
            differing += (bits[others] != bits[cell]).any(axis=1)
        return differing == 1

    def overlapping(self, cell: int, others: np.ndarray) -> np.ndarray:
        result = np.ones(len(others), dtype=bool)
        for bits in self._bits:
            result &= (bits[others] @ bits[cell]) > 0
        return result

    def _capped(self, cell: int) -> bool:
        return self.inside_small[cell] or 0 < self.values[cell] < self.threshold

    def extreme(self, cell: int, marks: list[Mark], sense: int) -> int:
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
        key = (marks, component, len(self.dark))
        if key in self._cached:
            return self._cached[key]
        mine = [i for i in range(len(marks)) if self.component[i] == component and i not in self.dark]
        shown = [i for i in mine if marks[i] == "value"]
        small = [i for i in mine if marks[i] == "small"]
        hidden = [i for i in mine if marks[i] == "hidden"]
        capped = [i for i in hidden if self._capped(i)]
        big = [i for i in hidden if not self._capped(i) and self.values[i] >= self.threshold]
        everyone = [i for i in range(len(marks)) if self.component[i] == component]
        columns = np.unique(self.matrix[everyone].indices)
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
