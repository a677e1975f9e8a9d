"""Templates translate in one call (hiddengems/ui/words.py template_gettext) and get
exactly what Jinja's newstyle gettext gives: escaped where the template escapes, always a
format string, ngettext's ``num``. Python's lazy strings (words.lazy_gettext) give what
Flask-Babel's give."""

from __future__ import annotations

import pytest
from flask_babel import gettext as babels_gettext
from flask_babel import lazy_gettext as babels_lazy_gettext
from jinja2.ext import _gettext_alias, _make_new_gettext, _make_new_ngettext

from hiddengems.ui.words import lazy_gettext, request_locale


def _gettext(string: str) -> str:
    return request_locale()[2].ugettext(string)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return request_locale()[2].ungettext(singular, plural, n)


WHO = '<O\'Brien & "co">'
TEMPLATES = [
    "{{ _('Plain words') }}",
    "{{ _('Hello %(name)s', name=who) }}",
    "{{ _('100%% sure') }}",
    "{{ gettext('A <b>tag</b> of its own') }}",
    "{{ _('Two: %(a)s and %(b)s', a=who, b=n) }}",
    "{{ ngettext('%(num)d day', '%(num)d days', n) }}",
    "{{ ngettext('%(num)d of %(what)s', '%(num)d of %(what)s', n, what=who) }}",
    "{% set kept = _('Kept <once>') %}{{ kept }} {{ kept|length }} {{ kept ~ who }}",
    "{% for i in range(2) %}{{ _('In a loop %(i)s', i=i) }}{% endfor %}",
    "{% macro m(x) %}{{ _('In a macro: %(x)s', x=x) }}{% endmacro %}{{ m(who) }}",
    "{{ _('Joined')|upper }} {{ (_('Tested') ~ '!') }}",
]


@pytest.mark.parametrize("autoescape", [True, False], ids=["html", "text"])
@pytest.mark.parametrize("n", [1, 3])
@pytest.mark.parametrize("source", TEMPLATES)
def test_a_template_translates_as_jinjas_newstyle_gettext_does(app, source, n, autoescape):
    env = app.jinja_env.overlay(autoescape=autoescape)
    jinjas = {"_": _gettext_alias, "gettext": _make_new_gettext(_gettext), "ngettext": _make_new_ngettext(_ngettext)}
    with app.test_request_context():
        ours = env.from_string(source).render(who=WHO, n=n)
        theirs = env.from_string(source, globals=jinjas).render(who=WHO, n=n)
    assert ours == theirs
    if "who" in source:
        assert (WHO in ours) is not autoescape  # escaped in HTML, as typed in e-mail text


@pytest.mark.parametrize("source", ["{{ _('50% off') }}", "{{ _('%(name)s') }}"])
def test_a_stray_percent_sign_fails_as_in_jinja(app, source):
    jinjas = {"_": _gettext_alias, "gettext": _make_new_gettext(_gettext)}
    failures = []
    with app.test_request_context():
        for globals_ in (None, jinjas):
            try:
                app.jinja_env.from_string(source, globals=globals_).render()
            except Exception as error:  # noqa: BLE001 - the kind of failure is what is compared
                failures.append(type(error))
    assert len(failures) == 2 and failures[0] is failures[1]


@pytest.mark.parametrize(
    ("string", "variables"),
    [
        ("Plain words", {}),
        ("Plain words", {"name": WHO}),
        ("Hello %(name)s", {"name": WHO}),
        ("%(n)s of %(name)s", {"name": WHO, "n": 3}),
    ],
)
def test_a_lazy_string_reads_as_flask_babels_does(app, string, variables):
    ours, theirs = lazy_gettext(string, **variables), babels_lazy_gettext(string, **variables)
    with app.test_request_context():
        assert str(ours) == str(theirs) == babels_gettext(string, **variables)
        assert ours.__html__() == theirs.__html__()
        assert f"{ours}!" == f"{theirs}!" and ours + "!" == theirs + "!"
