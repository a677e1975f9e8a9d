"""Small-cell suppression: no published figure may identify a person.

Counts from 1 to threshold-1 show as "<threshold". If a row of cells with a
published total has exactly one suppressed cell, it could be recovered by
subtraction, so the next smallest non-zero cell is suppressed too
(complementary suppression). A total under the threshold is itself suppressed.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_THRESHOLD = 5


@dataclass(frozen=True)
class Cell:
    value: int
    suppressed: bool
    threshold: int

    def __str__(self) -> str:
        return f"<{self.threshold}" if self.suppressed else str(self.value)


def suppress(counts: dict[str, int], threshold: int = DEFAULT_THRESHOLD) -> tuple[dict[str, Cell], Cell]:
    """Return the cells and the total, each marked suppressed or not."""
    hidden = {key for key, value in counts.items() if 0 < value < threshold}
    if len(hidden) == 1:
        candidates = sorted((value, key) for key, value in counts.items() if value > 0 and key not in hidden)
        if candidates:
            hidden.add(candidates[0][1])
    total = sum(counts.values())
    cells = {key: Cell(value, key in hidden, threshold) for key, value in counts.items()}
    return cells, Cell(total, 0 < total < threshold, threshold)
