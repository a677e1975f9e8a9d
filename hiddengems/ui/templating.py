"""The app's Jinja environment: Flask's, with template globals whose keys compare cheaply,
and templates compiled once per language with their constant words translated.

Jinja checks, on every ``{% from ... import ... %}`` and include of a template that
imports, which of the rendering context's globals the imported template lacks:
``context.globals_keys - template.globals.keys()``, where the template's globals are a
ChainMap over the environment's. A ChainMap's keys view answers ``in`` through Python
for each of the ~80 globals, and the case file makes about ten such imports: that cost
more than rendering the panels that import. Here the keys come as a set, in C.

A page's ``_('…')`` of a constant text is the same for every request in one language,
yet each cost a call through Jinja's context, the catalogue and a Markup: ten times an
inline constant, and the case file has a hundred. A template is therefore compiled for
the language it is first rendered in, and kept per language: each ``_('text')`` or
``gettext('text', name=value)`` with a constant text becomes the catalogue's translation,
a constant, formatted with its values as the call formats them (ui/words.py). What is
not a constant text (a variable, ``ngettext``) is still called. A template that names
anything ``_`` or ``gettext`` itself is compiled as written.

What a template writes for ``{{ value }}`` is escaped as markupsafe.escape escapes it,
but as a plain str (formatting.escape_text): Jinja's escape makes a Markup of every
value written, several hundred a page, only for the page to join them into one string.
Where Jinja keeps what was written (a macro, a ``{% set %}`` block, a filter block), it
makes the joined text a Markup itself, so nothing that read the text as safe changes.

And a template's calls of plain functions and macros (``url_for(…)``, a panel's macro)
go straight to them (HiddenGemsContext.call): Jinja's Context.call asks every callable
four ways whether it wants the context passed, a hundred times a page. A template's
``url_for`` of an endpoint without values (the navigation's links, a dozen a page) is
built once for each root the app is served under (template_url_for).
"""

from __future__ import annotations

import weakref
from collections import ChainMap
from collections.abc import MutableMapping
from contextvars import ContextVar
from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Any

from babel.support import NullTranslations
from flask import Flask, has_request_context, request
from flask.templating import Environment
from jinja2 import Template, nodes
from jinja2.runtime import Context, Macro
from jinja2.visitor import NodeTransformer

from hiddengems.ui.formatting import escape_text
from hiddengems.ui.words import request_locale

# The calls of templates that translate one text (ui/words.py: template_gettext).
_GETTEXT = frozenset({"_", "gettext"})
# The catalogue a template is being compiled for; None compiles it as written.
_COMPILING: ContextVar[NullTranslations | None] = ContextVar("compiling_for", default=None)


class _Globals(ChainMap):
    """A template's globals over the environment's, as Jinja makes them; ``keys()`` is a
    set of the keys of every layer (what Jinja compares it with is a set)."""

    def keys(self):  # noqa: D102 - a set instead of a view
        return set().union(*self.maps)


class HiddenGemsTemplate(Template):
    """A compiled template whose ``{{ value }}`` goes through escape_text: the name ``escape``
    in its module is what Jinja's generated code calls for every value it writes, and
    for nothing else."""

    @classmethod
    def _from_namespace(cls, environment, namespace, globals):  # noqa: A002 - Jinja's name
        namespace["escape"] = escape_text
        return super()._from_namespace(environment, namespace, globals)


# What a template may call directly: plain functions and methods, and Jinja's own macros,
# none of which asks for the context unless marked (pass_context and the like).
_DIRECT = frozenset({FunctionType, MethodType, BuiltinFunctionType, Macro})


class HiddenGemsContext(Context):
    """Jinja's context, whose ``call`` calls a function that asks for nothing (no
    ``jinja_pass_arg``) straight away; any other callable goes Jinja's way."""

    def call(__self, __obj, *args, **kwargs):  # noqa: N805 - Jinja's signature
        if type(__obj) not in _DIRECT or getattr(__obj, "jinja_pass_arg", None) is not None:
            return super().call(__obj, *args, **kwargs)
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


class HiddenGemsEnvironment(Environment):
    template_class = HiddenGemsTemplate
    context_class = HiddenGemsContext

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # (name, language) -> compiled template, when templates do not reload (_load_template).
        self._compiled: dict[tuple[str, str], Template] = {}

    def overlay(self, *args, **kwargs) -> Environment:
        """Jinja's, with a dict of compiled templates of its own (its loader may differ)."""
        overlay = super().overlay(*args, **kwargs)
        overlay._compiled = {}
        return overlay

    def make_globals(self, d):
        return _Globals({} if d is None else d, self.globals)

    def _load_template(self, name: str, globals: MutableMapping[str, Any] | None) -> Template:
        """Jinja's, with the language in the cache's key and the language's catalogue
        given to the compiler (_parse). Unless templates reload when changed, a template
        once compiled is found in a plain dict: a page includes a dozen, and Jinja's
        cache (a lock and a queue per lookup) cost more than the lookup."""
        _locale, language, catalogue = request_locale()
        if not self.auto_reload and not globals:
            template = self._compiled.get((name, language))
            if template is not None:
                return template
        if self.loader is None:
            raise TypeError("no loader for this environment specified")
        cache_key = (weakref.ref(self.loader), name, language)
        template = self.cache.get(cache_key) if self.cache is not None else None
        if template is None or (self.auto_reload and not template.is_up_to_date):
            compiling = _COMPILING.set(catalogue)
            try:
                template = self.loader.load(self, name, self.make_globals(globals))
            finally:
                _COMPILING.reset(compiling)
            if self.cache is not None:
                self.cache[cache_key] = template
        elif globals:
            template.globals.update(globals)
        if not self.auto_reload and not globals and self.cache is not None:
            self._compiled[(name, language)] = template
        return template

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        catalogue = _COMPILING.get()
        if catalogue is None or any(n.name in _GETTEXT for n in tree.find_all(nodes.Name) if n.ctx != "load"):
            return tree
        return _Translate(catalogue).visit(tree)


class _Translate(NodeTransformer):
    """``_('text', name=value)`` to the catalogue's text, formatted as template_gettext
    formats it: Markup where the template escapes (so the values are escaped), and ``%%``
    read as ``%`` even without values."""

    def __init__(self, catalogue: NullTranslations) -> None:
        self.catalogue = catalogue

    def visit_Call(self, node: nodes.Call) -> nodes.Node:
        node = self.generic_visit(node)
        if not (
            isinstance(node.node, nodes.Name)
            and node.node.name in _GETTEXT
            and len(node.args) == 1
            and isinstance(node.args[0], nodes.Const)
            and isinstance(node.args[0].value, str)
            and node.dyn_args is None
            and node.dyn_kwargs is None
        ):
            return node
        text = self.catalogue.ugettext(node.args[0].value)
        if not node.kwargs:
            if "%" in text:
                try:
                    text = text % {}
                except (KeyError, TypeError, ValueError):
                    return node  # as written: the call fails as it always did
            return nodes.MarkSafeIfAutoescape(nodes.Const(text), lineno=node.lineno)
        values = nodes.Dict([nodes.Pair(nodes.Const(k.key), k.value) for k in node.kwargs], lineno=node.lineno)
        return nodes.Mod(nodes.MarkSafeIfAutoescape(nodes.Const(text)), values, lineno=node.lineno)


def init_app(app: Flask) -> None:
    """A template's url_for: Flask's, with the links that take no values kept. Such a link
    is the same on every page (the app has no URL defaults, subdomains or hosts); only
    the root the app is served under (SCRIPT_NAME, a proxy's prefix) is in its key."""
    build = app.url_for
    kept: dict[tuple[str, str], str] = {}

    def template_url_for(endpoint: str, **values) -> str:
        if values or endpoint[:1] == "." or not has_request_context():
            return build(endpoint, **values)
        key = (endpoint, request.script_root)
        link = kept.get(key)
        if link is None:
            if len(kept) >= 1024:  # a few dozen endpoints, under one root or a few
                kept.clear()
            link = kept[key] = build(endpoint)
        return link

    app.jinja_env.globals["url_for"] = template_url_for
