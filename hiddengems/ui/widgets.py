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


class CommonFirstSelect(CachedOptionsSelect):
    """A long list (the ~600 languages, ~250 countries) with the common entries first, in
    their own group, then every entry by name: most people find theirs at the top, and
    the browser's type-to-find works in both groups, without JavaScript. The blank
    "— choose —" stays first; a chosen value is selected where it first appears."""

    def __init__(self, common: tuple[str, ...], common_label, all_label, *, multiple: bool = False) -> None:
        super().__init__(multiple=multiple)
        self.common, self.common_label, self.all_label = common, common_label, all_label

    def __call__(self, field, **kwargs) -> Markup:
        kwargs.setdefault("id", field.id)
        if "required" not in kwargs and "required" in getattr(field, "flags", []):
            kwargs["required"] = True
        choices = tuple((str(value), str(label)) for value, label in field.choices)
        options = _grouped_html(choices, self.common, str(self.common_label), str(self.all_label))
        if field.data not in (None, ""):
            value = escape(str(field.data))
            options = options.replace(f'<option value="{value}">', f'<option selected value="{value}">', 1)
        return Markup(f"<select {html_attributes({'name': field.name, **kwargs})}>{options}</select>")  # noqa: S704


@lru_cache(maxsize=32)
def _grouped_html(choices: tuple[tuple[str, str], ...], common: tuple[str, ...], common_label: str, all_label: str):
    blank = tuple(c for c in choices if c[0] == "")
    rest = tuple(c for c in choices if c[0] != "")
    names = dict(rest)
    first = tuple((code, names[code]) for code in common if code in names)
    return (
        _options_html(blank)
        + f'<optgroup label="{escape(common_label)}">{_options_html(first)}</optgroup>'
        + f'<optgroup label="{escape(all_label)}">{_options_html(rest)}</optgroup>'
    )
