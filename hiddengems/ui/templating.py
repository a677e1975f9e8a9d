"""The app's Jinja environment: Flask's, with template globals whose keys compare cheaply.

Jinja checks, on every ``{% from ... import ... %}`` and include of a template that
imports, which of the rendering context's globals the imported template lacks:
``context.globals_keys - template.globals.keys()``, where the template's globals are a
ChainMap over the environment's. A ChainMap's keys view answers ``in`` through Python
for each of the ~80 globals, and the case file makes about ten such imports: that cost
more than rendering the panels that import. Here the keys come as a set, in C.
"""

from __future__ import annotations

from collections import ChainMap

from flask.templating import Environment


class _Globals(ChainMap):
    """A template's globals over the environment's, as Jinja makes them; ``keys()`` is a
    set of the keys of every layer (what Jinja compares it with is a set)."""

    def keys(self):  # noqa: D102 - a set instead of a view
        return set().union(*self.maps)


class HiddenGemsEnvironment(Environment):
    def make_globals(self, d):
        return _Globals({} if d is None else d, self.globals)
