"""What a template writes for ``{{ value }}``, and what the form and summary helpers write
into their HTML, is escaped exactly as markupsafe.escape escapes it, though kept as a
plain str until the page is joined (hiddengems/ui/formatting.py escape_text, written by
the templates of hiddengems/ui/templating.py): nothing is escaped twice, nothing safe is
escaped, nothing unsafe is let through."""

from __future__ import annotations

import pytest
from jinja2 import DictLoader, Environment
from markupsafe import Markup, escape

from hiddengems.ui import templating
from hiddengems.ui.formatting import escape_text
from hiddengems.ui.words import lazy_gettext

WHO = '<O\'Brien & "co">'


class OwnHtml:
    def __html__(self) -> str:
        return "<i>its own</i>"


class Text(str):
    """A str of another type, escaped as its text."""


VALUES = [
    "plain",
    WHO,
    "",
    "ä € \u2028 \t",
    Markup("<b>safe</b> &amp;"),
    Text("<sub>"),
    OwnHtml(),
    5,
    -2.5,
    None,
    True,
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_escape_text_is_markupsafes_escape_as_text(value):
    assert escape_text(value) == str(escape(value))


def test_a_lazy_translation_is_written_as_its_text(app):
    with app.test_request_context():
        label = lazy_gettext("Phone")
        assert escape_text(label) == str(escape(label)) == "Phone"


INNER = "<p>{{ who }}</p>{% macro shout(x) %}<b>{{ x }}</b>{% endmacro %}"
SOURCES = [
    "{{ who }} {{ safe }} {{ n }} {{ nothing }} {{ own }}",
    "{% set kept %}<p>{{ who }}</p>{% endset %}{{ kept }} {{ kept|length }} {{ kept ~ who }}",
    "{% macro m(x) %}<p>{{ x }}</p>{% endmacro %}{{ m(who) }} {{ m(m(who)) }} {{ m(safe) }}",
    "{% filter upper %}{{ who }} {{ safe }}{% endfilter %}",
    "{% macro box() %}<div>{{ caller() }}</div>{% endmacro %}{% call box() %}{{ who }}{% endcall %}",
    "{% include 'inner.html' %}",
    "{% from 'inner.html' import shout %}{{ shout(who) }} {{ shout(shout(safe)) }}",
    "{% import 'inner.html' as inner %}{{ inner }}",
    "{{ who ~ safe }} {{ who|e }} {{ who|safe }} {{ [who]|join(safe) }}",
    "{% for x in [who, safe, n] %}{{ loop.index }}{{ x }}{% endfor %}",
    "{% autoescape false %}{{ who }}{% endautoescape %}{{ who }}",
]


@pytest.mark.parametrize("autoescape", [True, False], ids=["html", "text"])
@pytest.mark.parametrize("source", SOURCES)
def test_a_template_writes_what_jinja_writes(app, source, autoescape):
    loader = DictLoader({"page.html": source, "inner.html": INNER})
    ours = app.jinja_env.overlay(loader=loader, autoescape=autoescape)
    jinjas = Environment(loader=loader, autoescape=autoescape)  # noqa: S701 - both ways, as e-mail text is
    values = {"who": WHO, "safe": Markup("<em>safe</em>"), "n": 3, "nothing": None, "own": OwnHtml()}
    with app.test_request_context():
        template = ours.get_template("page.html")
        assert type(template) is templating.HiddenGemsTemplate
        written = template.render(values)
    assert written == jinjas.get_template("page.html").render(values)
    if autoescape and "{{ who" in source and not any(raw in source for raw in ("autoescape false", "|safe", "upper")):
        assert "&lt;O&#39;Brien" in written  # escaped once
        assert WHO not in written and "&amp;lt;" not in written


def test_a_page_writes_a_participants_text_escaped_once(app):
    with app.test_request_context():
        written = app.jinja_env.from_string("<p>{{ note|lines }}</p>").render(note=f"{WHO}\nsecond line")
    assert written == "<p>&lt;O&#39;Brien &amp; &#34;co&#34;&gt;<br>second line</p>"
