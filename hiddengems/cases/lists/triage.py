"""What the intake queue shows per row and filters by beyond the case's own columns: what
decides who should take a case (languages, education, right to work, goals). The intake
domain, above this one, registers it (intake/panels.py): this domain never reads the intake.

A row's facts come for the whole page in a fixed number of queries (``load`` takes the
page's case ids); a filter is a condition on Case, with its choices read once per page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement

from hiddengems.cases.models import Case


def waiting_in_queue() -> tuple[ColumnElement[bool], ...]:
    """The conditions that put a case in the intake queue: its intake is submitted (stage
    intake) and nobody has taken it."""
    return (Case.adviser_id.is_(None), Case.stage == "intake")


@dataclass(frozen=True)
class QueueFacts:
    """Per row of the queue: ``load(case_ids) -> {case_id: facts}``; ``template`` writes
    one row's facts (given as ``facts``) inside a table cell; ``header`` names the column."""

    header: Any
    template: str
    load: Callable[[list[int]], dict[int, Any]]


@dataclass(frozen=True)
class QueueFilter:
    """A filter of the queue by a GET parameter ``name``: ``choices()`` are (value, label)
    of the values it accepts; ``clause(value)`` keeps the cases that match."""

    name: str
    label: Any
    choices: Callable[[], list[tuple[str, str]]]
    clause: Callable[[str], ColumnElement]


_FACTS: list[QueueFacts] = []
_FILTERS: dict[str, QueueFilter] = {}


def register_queue_facts(facts: QueueFacts) -> None:
    _FACTS.append(facts)


def register_queue_filter(queue_filter: QueueFilter) -> None:
    _FILTERS[queue_filter.name] = queue_filter


def queue_facts() -> tuple[QueueFacts, ...]:
    return tuple(_FACTS)


def queue_filters() -> tuple[QueueFilter, ...]:
    return tuple(_FILTERS.values())
