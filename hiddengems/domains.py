"""The app's domains, listed once, in the order of their layers (tests/test_layers.py).

Everything else is found by the file names every domain shares: a domain's
blueprint is ``bp`` in its ``__init__.py``, registered when it has a ``routes.py``;
its models are in ``models.py``; the panels it shows on other domains' pages in
``panels.py``; its scheduled work in ``jobs.py``; its demo data in ``demo.py``. Adding
a domain is one package and one line here.
"""

from __future__ import annotations

import importlib
from types import ModuleType

DOMAINS = (
    "audit",
    "auth",
    "orgs",
    "mail",
    "cases",
    "intake",
    "reminders",
    "skills",
    "training",
    "employers",
    "introductions",
    "reports",
    "main",
    "admin",
)


def modules(kind: str) -> list[ModuleType]:
    """Each domain's module of this name (``routes``, ``models``, ``panels``, ``jobs``,
    ``demo``), in domain order, for the domains that have one."""
    found = []
    for domain in DOMAINS:
        name = f"hiddengems.{domain}.{kind}"
        try:
            found.append(importlib.import_module(name))
        except ModuleNotFoundError as error:
            if error.name != name:
                raise  # the module exists but something it imports does not
    return found


def blueprints() -> list:
    """Every domain's blueprint, for the domains with pages."""
    return [importlib.import_module(module.__package__).bp for module in modules("routes")]


def load_panels() -> None:
    """Import every domain's panels.py, which registers what it shows on other pages."""
    modules("panels")
