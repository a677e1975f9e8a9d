"""Protecting tables published over the same people together (linked tables).

A *family* is every figure published about one population: the stages of each
organisation's participants and of all of them, the funnel over the same people, a
month beside the quarter and the year containing it. An attacker who reads all of them
can add and subtract across tables, so the figures are protected together:

- the family's people are counted in **atoms**, the finest cells (say organisation ×
  month × outcome), each a count the attacker does not see;
- every published figure is a **cell**: the sum of the atoms in a box (a set of values
  per dimension, every value where a dimension is not named);
- ``protect`` decides which cells are shown, shown as ``<5`` (1 to 4) or hidden (``–``).

Callers describe a family and read the marks; which cells are hidden is this module's
business alone.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

from hiddengems.reports.suppression import DEFAULT_THRESHOLD, Cell, Mark

Box = Mapping[str, frozenset]


@dataclass(frozen=True)
class Family:
    """Figures published over the same people.

    ``domain`` names each dimension and every value it can take (what the attacker
    knows exists, not only the values that occur); ``atoms`` holds the counts by one
    value per dimension, in ``domain``'s order (absent atoms are 0); ``cells`` names
    each published figure by the box it sums: a dimension left out of a box takes every
    value. ``fixed`` gives marks already decided elsewhere for cells this family shares
    with another (a month's registrations appear in every indicator's table): they are
    kept, and the rest is protected around them."""

    domain: Mapping[str, tuple]
    atoms: Mapping[tuple, int]
    cells: Mapping[Hashable, Box]
    fixed: Mapping[Hashable, Mark] = field(default_factory=dict)


def box_value(family: Family, box: Box) -> int:
    """The true count of a box (for the code that decides; never render it unhidden)."""
    dims = tuple(family.domain)
    return sum(n for key, n in family.atoms.items() if _in_box(dims, key, box))


def _in_box(dims: tuple[str, ...], key: tuple, box: Box) -> bool:
    return all(value in box[dim] for dim, value in zip(dims, key, strict=True) if dim in box)


def protect(family: Family, threshold: int = DEFAULT_THRESHOLD) -> dict[Hashable, Cell]:
    """The published mark of every cell of the family."""
    dims = tuple(family.domain)
    small_atoms = [key for key, n in family.atoms.items() if 0 < n < threshold]
    cells: dict[Hashable, Cell] = {}
    for name, box in family.cells.items():
        value = box_value(family, box)
        fixed = family.fixed.get(name)
        if fixed is not None:
            mark = fixed
        elif 0 < value < threshold:
            mark = "small"
        elif any(_in_box(dims, key, box) for key in small_atoms):
            mark = "hidden"
        else:
            mark = "value"
        cells[name] = Cell(value, mark, threshold)
    return cells
