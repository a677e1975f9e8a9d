"""What a request may carry: ids and numbers the database can hold, text without
control characters.

Every id column is a 32-bit ``integer`` on PostgreSQL (SQLite holds 64 bits). A number
past that reached the database and failed there with a 500, and so did text that
``str.isdigit()`` accepts but ``int()`` refuses ('²'). Ids in URLs, page numbers,
filter ids and the ids of drop-down lists are all read here, one way.

PostgreSQL refuses text with a NUL (a 500 at whatever statement met it first, the
login's lookup included), and SQLite stored it and the pages wrote it out raw. So
every form and query value loses its control characters where the request is parsed,
before any form, view or search reads it.
"""

from __future__ import annotations

import re

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter, Map

DB_INT_MAX = 2**31 - 1
_DIGITS = len(str(DB_INT_MAX))


def db_int(value: object) -> int:
    """A whole number from 0 to DB_INT_MAX, from ASCII digits (or an int); ValueError otherwise.

    Fits WTForms' ``coerce=`` (0 is the "— choose —" entry of a drop-down, which the
    field's DataRequired refuses) and Werkzeug's ``type=``."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= _DIGITS:
        number = int(value)
    else:
        raise ValueError(f"not a number from 0 to {DB_INT_MAX}")
    if not 0 <= number <= DB_INT_MAX:
        raise ValueError(f"not a number from 0 to {DB_INT_MAX}")
    return number


def parse_id(value: object) -> int | None:
    """An id (1 … DB_INT_MAX) from a query or form value, or None."""
    try:
        return db_int(value) or None
    except ValueError:
        return None


class IdConverter(IntegerConverter):
    """Flask's ``<int:…>``, replaced app-wide: every integer in a URL is an id, so only
    ASCII digits from 1 to DB_INT_MAX match; anything else is a 404 like any unknown page.
    (Werkzeug's own takes any number of digits, also other scripts' digits.)"""

    regex = rf"[0-9]{{1,{_DIGITS}}}"

    def __init__(self, map: Map, fixed_digits: int = 0, min: int = 1, max: int = DB_INT_MAX, signed: bool = False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


# C0 controls and DEL; tab, newline and carriage return are text people type.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_controls(text: str) -> str:
    return _CONTROL.sub("", text)


class CleanMultiDict(ImmutableMultiDict):
    """The request's form and query values (and names) without control characters.
    Uploaded files, kept in the same kind of dict, are left as they are."""

    def __init__(self, mapping=None):
        pairs = MultiDict(mapping).items(multi=True) if mapping is not None else ()
        super().__init__([(_clean(key), _clean(value)) for key, value in pairs])


def _clean(value):
    return strip_controls(value) if isinstance(value, str) else value


class CleanRequest(Request):
    """``request.form``, ``request.args`` and ``request.values`` are CleanMultiDicts: one
    place for every form (Flask-WTF reads them) and every view that reads them itself."""

    parameter_storage_class = CleanMultiDict
