"""The words every domain shares: stages, outcomes, kinds of activity, CEFR levels,
languages and countries, each code with the label people read.

Codes are what the database stores (CHECK constraints hold them to these lists);
labels go through Flask-Babel, so a translation is only a catalogue.
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale
from sqlalchemy import ColumnElement, literal_column

from hiddengems.ui.words import lazy_gettext as _l
from hiddengems.ui.words import request_locale

_CODE = re.compile(r"[a-z0-9_]+")


def sql_in(column: str, codes) -> str:
    """A CHECK constraint's text: the column holds one of these codes."""
    return f"{column} IN ({', '.join(repr(code) for code in codes)})"


def one_of(column, codes) -> ColumnElement[bool]:
    """``column IN ('a', 'b')`` for a list of our own codes, written into the SQL when the
    statement is compiled, and cached with it. A list of values is bound "expanding"
    instead: SQLAlchemy then writes the values into the SQL again at every execution (on
    the case file's statements, half a millisecond a page). Written in, SQLite also sees
    that a query's kinds are those of a partial index. ``~one_of(...)`` is NOT IN."""
    codes = tuple(codes)
    if not codes or not all(_CODE.fullmatch(code) for code in codes):
        raise ValueError(f"one_of takes codes of lowercase letters, digits and _, not {codes!r}")
    return column.in_([literal_column(f"'{code}'") for code in codes])


# --- the case's pipeline ----------------------------------------------------------------

STAGE_LABELS = {
    "registered": _l("Registered"),
    "intake": _l("Intake"),
    "skills": _l("Skills mapping"),
    "training": _l("Training"),
    "introductions": _l("Employer introductions"),
    "closed": _l("Closed"),
}
STAGES = tuple(STAGE_LABELS)
OPEN_STAGES = STAGES[:-1]

OUTCOME_LABELS = {
    "employed_full_time": _l("Employed, full time"),
    "employed_part_time": _l("Employed, part time"),
    "self_employed": _l("Self-employed"),
    "studying": _l("Studying"),
    "left_region": _l("Left the region"),
    "not_participating": _l("No longer participating"),
    "other": _l("Other"),
}
OUTCOMES = tuple(OUTCOME_LABELS)
EMPLOYED_OUTCOMES = ("employed_full_time", "employed_part_time")
# The spouse's situation six months after the close (the ESF+ funder asks for it), recorded
# when the adviser marks the reminder rule "Six-month result after closing"'s follow-up done.
SIX_MONTH_LABELS = {
    "employed": _l("Employed (incl. self-employed)"),
    "education_training": _l("In education or training"),
    "job_searching": _l("Looking for work"),
    "other": _l("Other (inactive, left the region, unknown)"),
}
SIX_MONTH_RESULTS = tuple(SIX_MONTH_LABELS)

ACTIVITY_LABELS = {
    "note": _l("Note"),
    "meeting": _l("Meeting"),
    "call": _l("Call"),
    "email": _l("E-mail"),
}
ACTIVITY_KINDS = tuple(ACTIVITY_LABELS)
# A note is written about the spouse; the other kinds are contact with them.
CONTACT_KINDS = ("meeting", "call", "email")

# --- languages --------------------------------------------------------------------------

CEFR = {
    "A1": _l("A1 – beginner"),
    "A2": _l("A2 – elementary"),
    "B1": _l("B1 – intermediate"),
    "B2": _l("B2 – upper intermediate"),
    "C1": _l("C1 – advanced"),
    "C2": _l("C2 – proficient"),
    "native": _l("Native or first language"),
}
CEFR_LEVELS = tuple(CEFR)
# Finnish, Swedish and English are always asked about: the Finnish labour market's languages.
ALWAYS_ASKED = ("fi", "sv", "en")

# The entries first in the long lists: the labour market's three languages, then a fixed
# estimate of what spouses of international researchers in Finland most often speak and
# come from (not counted from the data: a list's order should not move with every case).
COMMON_LANGUAGES = (
    "fi", "sv", "en", "ru", "zh", "hi", "ar", "fa", "es", "de",
    "fr", "it", "pt", "tr", "uk", "bn", "ur", "vi", "et", "ne",
)  # fmt: skip
COMMON_COUNTRIES = (
    "FI", "SE", "RU", "CN", "IN", "IR", "DE", "US", "GB", "IT",
    "ES", "FR", "TR", "PK", "BD", "VN", "UA", "BR", "NP", "EE",
)  # fmt: skip
COMMON_LABEL = _l("Common")
ALL_LANGUAGES_LABEL = _l("All languages, A–Z")
ALL_COUNTRIES_LABEL = _l("All countries, A–Z")

# Levels of education (ISCED 2011) in plain words: the level's number is what the intake
# stores and the reports count by (isced_code).
EDUCATION_LEVELS = {
    0: _l("Early childhood education"),
    1: _l("Primary school"),
    2: _l("Lower secondary school"),
    3: _l("Upper secondary or vocational school"),
    4: _l("Post-secondary vocational training (not a degree)"),
    5: _l("Short-cycle higher education (about two years)"),
    6: _l("Bachelor's or equivalent"),
    7: _l("Master's or equivalent"),
    8: _l("Doctorate (PhD) or equivalent"),
}


def isced_code(level: int | None) -> str:
    """The level as reports and statistics name it: "ISCED 6"."""
    return "" if level is None else f"ISCED {level}"


# Babel's territory list mixes countries with regions and codes for groupings.
# Reserved and exceptional codes (Clipperton, Diego Garcia, Canary Islands...) are left out too.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "ZZ", "QO", "XA", "XB", "AC", "CP", "CQ", "DG", "EA", "IC", "TA"}


@lru_cache(maxsize=8)
def _languages(locale: str) -> tuple[tuple[str, str], ...]:
    names = Locale.parse(locale).languages
    pairs = [(code, name) for code, name in names.items() if "_" not in code and code.isalpha()]
    return tuple(sorted(pairs, key=lambda pair: pair[1].casefold()))


@lru_cache(maxsize=8)
def _countries(locale: str) -> tuple[tuple[str, str], ...]:
    names = Locale.parse(locale).territories
    pairs = [(code, name) for code, name in names.items() if code.isalpha() and code not in _NOT_COUNTRIES]
    return tuple(sorted(pairs, key=lambda pair: pair[1].casefold()))


def language_choices() -> tuple[tuple[str, str], ...]:
    """Every language Babel knows, with names in the user's locale, sorted by name."""
    return _languages(_locale_name())


def country_choices() -> tuple[tuple[str, str], ...]:
    return _countries(_locale_name())


@lru_cache(maxsize=8)
def _language_names(locale: str) -> dict[str, str]:
    return dict(_languages(locale))


@lru_cache(maxsize=8)
def _country_names(locale: str) -> dict[str, str]:
    return dict(_countries(locale))


def _locale_name() -> str:
    """The request's locale (the request's words keep it), English outside a request."""
    locale, name, _catalogue = request_locale()
    return "en" if locale is None else name


def language_name(code: str | None) -> str:
    if not code:
        return ""
    return _language_names(_locale_name()).get(code, code)


def country_name(code: str | None) -> str:
    if not code:
        return ""
    return _country_names(_locale_name()).get(code, code)
