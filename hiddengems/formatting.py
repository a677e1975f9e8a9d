"""How dates, times and text are shown: Jinja filters shared by every page.

Stored times are UTC; people read them in Europe/Helsinki, in their locale.
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import lru_cache

from babel.dates import format_date as babel_format_date
from babel.dates import format_time as babel_format_time
from babel.dates import get_datetime_format
from flask import Flask
from flask_babel import format_date, format_datetime, get_locale
from markupsafe import Markup, escape

from hiddengems.timeutil import HELSINKI


def lines(text: str | None) -> Markup:
    """Line breaks kept: every line escaped, joined by <br>."""
    return Markup("<br>").join(escape(line) for line in (text or "").splitlines())


def day(value: date | datetime | None) -> str:
    """A date as the user reads it; a timestamp by its day in Helsinki."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(HELSINKI).date()
    return _format_day(value, str(get_locale()))


def when(value: datetime | None, fmt: str = "short") -> str:
    """Date and time in Helsinki, as Babel's datetime of that format. The short format is
    the one long lists use: its date part and time part are each formatted once and the
    locale's pattern joins them."""
    if not value:
        return ""
    if fmt != "short":
        return format_datetime(value, fmt)
    local = value.astimezone(HELSINKI)
    locale = str(get_locale())
    return (
        _datetime_pattern(locale)
        .replace("{1}", _format_short_day(local.date(), locale))
        .replace("{0}", _format_short_time(local.hour, local.minute, locale))
    )


@lru_cache(maxsize=16)
def _datetime_pattern(locale: str) -> str:
    return str(get_datetime_format("short", locale=locale))


@lru_cache(maxsize=4096)
def _format_short_day(value: date, locale: str) -> str:
    return babel_format_date(value, "short", locale=locale)


@lru_cache(maxsize=4096)
def _format_short_time(hour: int, minute: int, locale: str) -> str:
    return babel_format_time(time(hour, minute), "short", locale=locale)


@lru_cache(maxsize=4096)
def _format_day(value: date, locale: str) -> str:
    # Lists show the same few dozen days on every row: format each once per locale.
    return format_date(value, "medium")


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(lines=lines, day=day, when=when)
