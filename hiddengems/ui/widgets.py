"""Form widgets shared by every domain."""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup, escape
from wtforms.widgets import Select

from hiddengems.ui.formatting import html_attributes


class CachedOptionsSelect(Select):
    """Renders the field's choices from a string built once per distinct list of choices.

    WTForms renders every option through Python on every request; for long lists (the
    ~400 advisers of the lead's pages, the ~600 languages and ~250 countries of the
    intake) that was most of the page's time. The list is part of the cache key, so a
    renamed or new entry shows at once, and each locale gets its own entry."""

    def __call__(self, field, **kwargs) -> Markup:
        kwargs.setdefault("id", field.id)
        if "required" not in kwargs and "required" in getattr(field, "flags", []):
            kwargs["required"] = True
        options = _options_html(tuple((str(value), str(label)) for value, label in field.choices))
        if field.data not in (None, ""):  # nothing chosen: the first (blank) option shows
            value = escape(str(field.data))
            options = options.replace(f'<option value="{value}">', f'<option selected value="{value}">', 1)
        # html_attributes (what WTForms' html_params writes, cheaper) escapes the attributes;
        # the options and the value were escaped above.
        return Markup(f"<select {html_attributes({'name': field.name, **kwargs})}>{options}</select>")  # noqa: S704


@lru_cache(maxsize=32)
def _options_html(choices: tuple[tuple[str, str], ...]) -> str:
    return "".join(f'<option value="{escape(value)}">{escape(label)}</option>' for value, label in choices)
