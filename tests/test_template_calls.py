"""A template's calls reach what it calls as in Jinja (hiddengems/ui/templating.py
HiddenGemsContext): plain functions and macros directly, and whatever asks for the
context, the evaluation context or the environment with it, also inside loops and
blocks where a ``{% set %}`` changed a variable."""

from __future__ import annotations

import pytest
from jinja2 import DictLoader, Environment, pass_context, pass_environment, pass_eval_context

from hiddengems.ui import templating


def plain(*args, **kwargs) -> str:
    return f"plain{args}{sorted(kwargs.items())}"


@pass_context
def sees_context(context, name: str) -> str:
    return f"context:{context.get(name)}"


@pass_eval_context
def sees_eval_context(eval_ctx, value) -> str:
    return f"autoescape:{eval_ctx.autoescape}:{value}"


@pass_environment
def sees_environment(environment, value) -> str:
    return f"environment:{type(environment).__name__ != ''}:{value}"


class Counter:
    """A callable object whose __call__ asks for the context."""

    @pass_context
    def __call__(self, context, name: str) -> str:
        return f"callable:{context.get(name)}"


class Box:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, item: str) -> str:
        self.items.append(item)
        return ""

    @pass_context
    def read(self, context, name: str) -> str:
        return f"method:{context.get(name)}"


def stops() -> str:
    raise StopIteration


INNER = "{% macro shout(x) %}<b>{{ x }}{{ caller() if caller }}</b>{% endmacro %}"
SOURCES = [
    "{{ plain() }} {{ plain(1, 'a', k='v') }} {{ plain(*[1, 2], **{'z': 3}) }}",
    "{% set who = 'first' %}{{ sees_context('who') }}",
    "{% for who in ['a', 'b'] %}{% set seen = who ~ '!' %}{{ sees_context('seen') }} {{ plain(who) }}{% endfor %}",
    "{% block inner %}{% set who = 'in a block' %}{{ sees_context('who') }} {{ plain(who) }}{% endblock %}",
    "{{ sees_eval_context('x') }} {% autoescape false %}{{ sees_eval_context('y') }}{% endautoescape %}",
    "{{ sees_environment(1) }} {{ counter('who') }} {{ box.read('who') }}",
    "{{ box.add('one') }}{{ box.add('two') }}{{ box.items|join(',') }} {{ '-'.join(['a', 'b']) }} {{ range(3)|list }}",
    "{% macro m(x) %}[{{ x }}]{% endmacro %}{{ m('<a>') }} {% for i in [1, 2] %}{{ m(i) }}{% endfor %}",
    "{% from 'inner.html' import shout %}{{ shout('<i>') }} {% call shout(1) %}called{% endcall %}",
    "{{ stops() is undefined }}",
]


@pytest.mark.parametrize("source", SOURCES)
def test_a_call_reaches_what_it_calls_as_in_jinja(app, source):
    loader = DictLoader({"page.html": source, "inner.html": INNER})
    ours = app.jinja_env.overlay(loader=loader)
    jinjas = Environment(loader=loader, autoescape=True)
    called = {
        "plain": plain,
        "sees_context": sees_context,
        "sees_eval_context": sees_eval_context,
        "sees_environment": sees_environment,
        "counter": Counter(),
        "stops": stops,
        "who": "given",
    }
    with app.test_request_context():
        template = ours.get_template("page.html")
        written = template.render(called, box=Box())
        assert isinstance(template.new_context(), templating.HiddenGemsContext)
    assert written == jinjas.get_template("page.html").render(called, box=Box())
    assert "None" not in written  # every context-asking call found what it looked for
