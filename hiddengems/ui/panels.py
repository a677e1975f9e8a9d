"""Panels: what a domain shows on another domain's page, without that page knowing it.

The case file, the spouse's home and the adviser's desk are each assembled from
the panels that domains register in their ``panels.py`` (found through
hiddengems/domains.py). A panel is a loader — a function that takes what the page
knows (the case, the user, forms shown again with their errors) and returns what its
template needs, or None when it has nothing to show — and a template,
``templates/<domain>/_panel_<page>.html``, which reads its data as ``panel``.

A loader makes its own queries: a page's query count is the sum of its panels',
fixed whatever the size of the data (tests/test_query_counts.py holds it).

What each page gives its loaders (a loader takes the keywords it needs and ``**_``):

- ``case_file``: ``case`` (with spouse, adviser, organisation loaded), ``user`` (the
  adviser or lead looking), ``can_edit``, ``given`` (forms posted back with their
  errors, by name), ``now`` (UTC), ``today`` (Helsinki); columns "main" and "side".
- ``spouse_home``: ``case`` (None before registration opened one), ``user``, ``now``,
  ``today``; columns "status" (inside the card that says where they are), "links" (under
  the programme's steps), "side" and "main".
- ``adviser_desk``: ``user``, ``today``; column "main".
- ``employer``: ``employer`` (with its contacts), ``user``; column "main" (under the
  openings).
- ``case_close``: ``case``, ``today``; column "main" (what closing will cancel).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import g

T = TypeVar("T")

PAGES = ("case_file", "spouse_home", "adviser_desk", "employer", "case_close")


@dataclass(frozen=True)
class Panel:
    page: str
    name: str
    template: str
    load: Callable[..., dict[str, Any] | None]
    order: int = 100
    column: str = "main"


@dataclass
class Shown:
    """A panel with its data, as the page's template includes it."""

    panel: Panel
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def template(self) -> str:
        return self.panel.template

    @property
    def column(self) -> str:
        return self.panel.column


_REGISTRY: dict[str, dict[str, Panel]] = {page: {} for page in PAGES}


def panel(page: str, template: str, *, order: int = 100, column: str = "main"):
    """Register the decorated loader as a panel of ``page`` (in a domain's panels.py)."""
    if page not in PAGES:
        raise ValueError(f"no page {page!r} to show a panel on")

    def register(load: Callable[..., dict[str, Any] | None]):
        name = f"{load.__module__}.{load.__name__}"
        _REGISTRY[page][name] = Panel(page, name, template, load, order, column)
        return load

    return register


def withdraw(page: str, name: str) -> Panel:
    """Take the panel ``name`` (its loader's module and function, as registered) off
    ``page`` and return it: to measure the page without it (``bench.load --hide-panel``).
    A name that is not on the page raises KeyError."""
    return _REGISTRY[page].pop(name)


def registered(page: str) -> list[Panel]:
    return sorted(_REGISTRY[page].values(), key=lambda p: (p.order, p.name))


def load_panels(page: str, **context: Any) -> list[Shown]:
    """Every panel of ``page`` that has something to show, in order. Each loader takes
    the keyword arguments it needs from ``context`` and ignores the rest."""
    shown = []
    for registered_panel in registered(page):
        data = registered_panel.load(**context)
        if data is not None:
            shown.append(Shown(registered_panel, data))
    return shown


def once(key: str, compute: Callable[[], T]) -> T:
    """A value that several panels of one page need, computed once per request."""
    store = g.setdefault("panel_values", {})
    if key not in store:
        store[key] = compute()
    return store[key]
