"""The request's words: its locale and catalogue, found once, and the translation calls
that go through them (Python's lazy_gettext, the templates' ``_()`` and ``ngettext()``).

Flask-Babel finds the locale and catalogue anew for every string it translates, through
``g`` and its own context, and a page translates a few hundred: labels, choices,
descriptions, dates. Here they are found once a request, and each string goes straight
to the catalogue.
"""

from __future__ import annotations

from babel.support import NullTranslations
from flask import Flask, g
from flask.globals import _cv_app
from flask_babel import Domain, get_babel, get_locale
from flask_babel.speaklater import LazyString
from jinja2 import pass_eval_context
from markupsafe import Markup

_KEPT = "_hiddengems_locale"


def request_locale() -> tuple[object, str, NullTranslations]:
    """The request's locale, its name and its catalogue, found once per request.

    Flask-Babel finds them anew for every string and date it shows (its context, the
    locale, the catalogue in a cache keyed by the locale's name), and a page shows
    hundreds: labels, choices, descriptions, dates. They are kept beside Flask-Babel's
    own locale of the request and found again only if that changes (force_locale,
    refresh): the check reads the app context directly, as going through ``g`` and
    get_locale for each string cost more than the lookup itself."""
    app_context = _cv_app.get(None)
    if app_context is not None:
        babel_context = vars(app_context.g).get("_flask_babel")
        if babel_context is not None:
            found = vars(babel_context)
            kept = found.get(_KEPT)
            if kept is not None and kept[0] is found.get("babel_locale"):
                return kept
    locale = get_locale()  # sets the request's locale on Flask-Babel's context
    if locale is None:  # outside an app context, as Flask-Babel answers there
        return None, "None", NullTranslations()
    kept = (locale, str(locale), get_babel().instance.domain_instance.get_translations())
    setattr(g._flask_babel, _KEPT, kept)
    return kept


class _KeptCatalogueDomain(Domain):
    """Flask-Babel's default domain, with the catalogue kept for the request: what
    gettext, lazy_gettext and the forms' labels go through, once set as the request's
    domain (init_app)."""

    def get_translations(self) -> NullTranslations:
        return request_locale()[2]


_DOMAIN = _KeptCatalogueDomain()


def _use_kept_catalogue() -> None:
    _DOMAIN.as_default()


# What templates call for ``_()``, ``gettext()`` and ``ngettext()``: the same as Jinja's
# newstyle callables (jinja2.ext._make_new_gettext), in one call instead of three. Jinja's
# ``_`` resolves ``gettext`` and calls it, which calls the catalogue, each through the
# context's call machinery; a page translates a hundred strings. Like Jinja's, the text is
# Markup where the template escapes, and always a format string (``%%`` for a percent sign);
# a text without a ``%`` formatted with nothing is the text itself, so that step is skipped.
# tests/test_template_gettext.py compares the two.


@pass_eval_context
def template_gettext(eval_ctx, string: str, /, **variables) -> str:
    text = request_locale()[2].ugettext(string)
    if eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 - the catalogue's own text, as Jinja's gettext marks it
    return text % variables if variables or "%" in text else text


@pass_eval_context
def template_ngettext(eval_ctx, singular: str, plural: str, num: int, /, **variables) -> str:
    variables.setdefault("num", num)
    text = request_locale()[2].ungettext(singular, plural, num)
    if eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 - the catalogue's own text, as Jinja's gettext marks it
    return text % variables


# What Python code marks for translation where it is defined (labels, choices, messages),
# translated when shown: Flask-Babel's lazy_gettext, whose strings go through Flask-Babel's
# context and domain each time; these go to the request's catalogue. The same text as
# Flask-Babel's gettext gives (tests/test_template_gettext.py compares them).


def _translated(string: str, **variables) -> str:
    text = request_locale()[2].ugettext(string)
    return text % variables if variables else text


def lazy_gettext(string: str, **variables) -> LazyString:
    return LazyString(_translated, string, **variables)


def init_app(app: Flask) -> None:
    # Replaces Flask-Babel's callables for _(), gettext() and ngettext() in templates (same
    # catalogue). Jinja's i18n extension, which Flask-Babel adds, compiles {% trans %} for
    # newstyle callables (Flask-Babel's setting too); these are newstyle.
    app.jinja_env.newstyle_gettext = True
    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext, ngettext=template_ngettext)
    app.before_request(_use_kept_catalogue)
