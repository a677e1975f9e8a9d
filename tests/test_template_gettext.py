"""Templates translate in one call (hiddengems/ui/words.py template_gettext) and get
exactly what Jinja's newstyle gettext gives: escaped where the template escapes, always a
format string, ngettext's ``num``. Python's lazy strings (words.lazy_gettext) give what
Flask-Babel's give. Templates from the loader have their constant words compiled in, per
language (hiddengems/ui/templating.py), and read the same."""

from __future__ import annotations

import pytest
from babel.support import NullTranslations
from flask_babel import gettext as babels_gettext
from flask_babel import lazy_gettext as babels_lazy_gettext
from jinja2 import DictLoader
from jinja2.ext import _gettext_alias, _make_new_gettext, _make_new_ngettext

from hiddengems.ui import templating
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


# --- templates compiled per language (hiddengems/ui/templating.py) ----------------------------


@pytest.mark.parametrize("autoescape", [True, False], ids=["html", "text"])
@pytest.mark.parametrize("source", TEMPLATES)
def test_a_loaded_template_with_its_words_compiled_in_reads_as_jinjas(app, source, autoescape):
    """Templates from the loader have their constant words translated when compiled; the
    page reads exactly as with Jinja's newstyle gettext called on every render."""
    env = app.jinja_env.overlay(loader=DictLoader({"page": source}), autoescape=autoescape)
    jinjas = {"_": _gettext_alias, "gettext": _make_new_gettext(_gettext), "ngettext": _make_new_ngettext(_ngettext)}
    with app.test_request_context():
        for n in (1, 3):
            theirs = env.from_string(source, globals=jinjas).render(who=WHO, n=n)
            assert env.get_template("page").render(who=WHO, n=n) == theirs


class _Finnish(NullTranslations):
    WORDS = {"Plain words": "Selkeät sanat", "Hello %(name)s": "Hei %(name)s", "100%% sure": "100%% varma"}

    def ugettext(self, message):
        return self.WORDS.get(message, message)

    gettext = ugettext


def test_each_language_has_its_own_compiled_template(app, monkeypatch):
    """The words are compiled in for the language the page is shown in; another language
    compiles its own, and neither is shown the other's words."""
    source = "{{ _('Plain words') }} {{ _('Hello %(name)s', name=who) }} {{ _('100%% sure') }}"
    env = app.jinja_env.overlay(loader=DictLoader({"page": source}), autoescape=True)
    finnish = (None, "fi", _Finnish())
    english = (None, "en", NullTranslations())
    shown = {}
    with app.test_request_context():
        for language in (finnish, english, finnish):
            monkeypatch.setattr(templating, "request_locale", lambda language=language: language)
            shown.setdefault(language[1], []).append(env.get_template("page").render(who=WHO))
    escaped = "&lt;O&#39;Brien &amp; &#34;co&#34;&gt;"
    assert shown["fi"] == [f"Selkeät sanat Hei {escaped} 100% varma"] * 2
    assert shown["en"] == [f"Plain words Hello {escaped} 100% sure"]


@pytest.mark.parametrize(
    "source",
    [
        "{% set _ = gettext %}{{ _('Plain words') }}",
        "{% macro m(gettext) %}{{ gettext('Plain words') }}{% endmacro %}{{ m(_) }}",
    ],
)
def test_a_template_that_names_its_own_gettext_is_compiled_as_written(app, monkeypatch, source):
    env = app.jinja_env.overlay(loader=DictLoader({"page": source}), autoescape=True)
    monkeypatch.setattr(templating, "request_locale", lambda: (None, "fi", _Finnish()))
    with app.test_request_context():
        # Compiled as written, its _ is the request's own gettext (here without Finnish).
        assert env.get_template("page").render() == "Plain words"


@pytest.mark.parametrize("reload", [True, False], ids=["reloading", "production"])
def test_a_changed_template_is_compiled_again_only_where_templates_reload(app, reload):
    """The development server shows a template as changed; production compiles it once."""
    sources = {"page": "{{ _('Before') }}"}
    env = app.jinja_env.overlay(loader=DictLoader(sources), auto_reload=reload)
    with app.test_request_context():
        assert env.get_template("page").render() == "Before"
        sources["page"] = "{{ _('After') }}"
        assert env.get_template("page").render() == ("After" if reload else "Before")
