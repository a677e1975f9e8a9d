"""The answers of the intake's read-only summary (templates/intake/_profile_summary.html).

A Jinja macro per answer cost more than the rest of the summary (the case file shows two
dozen answers on every view): the same HTML is written here, every part escaped as the
template escapes it (tests/intake/test_summary.py compares the two)."""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup, escape

_NONE = Markup('<span class="text-muted">—</span>')
_WIDE = '<div class="mb-1"><dt class="d-inline fw-normal text-muted">{}:</dt> <dd class="d-inline mb-0">{}</dd></div>'
_COLUMNS = '<dt class="col-sm-4">{}</dt><dd class="col-sm-8">{}</dd>'


def summary_rows(wide: bool) -> Callable[[object, object], Markup]:
    """The summary's ``row(label, value)``: a <dt>/<dd> pair, on one line after each other
    when ``wide`` (the case file's two columns), in the row's two columns otherwise; a
    dash for no answer."""
    pattern = _WIDE if wide else _COLUMNS

    def row(label, value) -> Markup:
        return Markup(pattern.format(escape(label), escape(value) if value else _NONE))  # noqa: S704 - escaped

    return row
