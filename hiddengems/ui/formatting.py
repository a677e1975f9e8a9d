"""How dates, times, text and form fields are shown: Jinja filters and helpers shared
by every page.

Stored times are UTC; people read them in Europe/Helsinki, in their locale.
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import lru_cache

from babel.dates import format_date as babel_format_date
from babel.dates import format_time as babel_format_time
from babel.dates import get_datetime_format
from flask import Flask
from flask_babel import format_date
from markupsafe import Markup, escape
from wtforms import Field, Form
from wtforms.widgets import (
    CheckboxInput,
    DateInput,
    DateTimeInput,
    DateTimeLocalInput,
    EmailInput,
    HiddenInput,
    MonthInput,
    NumberInput,
    PasswordInput,
    SearchInput,
    Select,
    SubmitInput,
    TelInput,
    TextArea,
    TextInput,
    TimeInput,
    URLInput,
    WeekInput,
)
from wtforms.widgets.core import clean_key

from hiddengems.timeutil import HELSINKI
from hiddengems.ui import words
from hiddengems.ui.words import request_locale

try:  # what markupsafe.escape itself escapes text with
    from markupsafe._speedups import _escape_inner
except ImportError:  # pragma: no cover - markupsafe without its C speedups
    from markupsafe._native import _escape_inner


def escape_text(value) -> str:
    """markupsafe.escape's text as a plain str, for HTML written into a larger string: an
    object with ``__html__`` as it says, anything else escaped. escape makes a Markup of
    each value, which costs more than escaping it, only for the Markup to be joined into
    the page (tests/test_template_escape.py compares the two)."""
    if type(value) is str:
        return _escape_inner(value)
    html = getattr(value, "__html__", None)
    if html is not None:
        return html()
    return _escape_inner(str(value))


def lines(text: str | None) -> Markup:
    """Line breaks kept: the text escaped, its lines joined by <br>. (Escaped whole, once:
    escaping neither adds nor removes a line break.)"""
    return Markup("<br>".join(escape_text(text or "").splitlines()))  # noqa: S704 - escaped


def local_date(value: date | datetime | None) -> str:
    """The one date format (the ``date`` filter): the locale's medium date, "1 Dec 2026"
    in English, "1.12.2026" in Finnish; a timestamp by its day in Helsinki."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(HELSINKI).date()
    return _format_day(value, request_locale()[1])


def local_datetime(value: datetime | None) -> str:
    """The one date-and-time format (the ``datetime`` filter): the date as ``local_date``
    and the time in hours and minutes, in Helsinki, joined as the locale joins them:
    "29 Nov 2026, 00:10". No seconds, no time zone name: every time shown is Helsinki's.
    Each part is formatted once per day or minute, as long lists show the same few."""
    if not value:
        return ""
    local = value.astimezone(HELSINKI)
    locale = request_locale()[1]
    return (
        _datetime_pattern(locale)
        .replace("{1}", _format_day(local.date(), locale))
        .replace("{0}", _format_short_time(local.hour, local.minute, locale))
    )


def local_time(value: time | None) -> str:
    """A time of day (a follow-up's due time) as ``local_datetime`` writes its time."""
    if value is None:
        return ""
    return _format_short_time(value.hour, value.minute, request_locale()[1])


def babel_locale(language: str | None) -> str:
    """The Babel locale of a user's language: English is shown with British conventions
    (24-hour clock, day before month), as people in Finland expect (web.select_locale)."""
    return "en_GB" if not language or language == "en" else language


def date_for(value: date, language: str | None) -> str:
    """``local_date`` in a given user's language, outside their request (e-mails, jobs)."""
    return _format_day_in(value, babel_locale(language))


def datetime_for(value: datetime, language: str | None) -> str:
    """``local_datetime`` in a given user's language, outside their request (e-mails)."""
    locale = babel_locale(language)
    local = value.astimezone(HELSINKI)
    return (
        _datetime_pattern(locale)
        .replace("{1}", _format_day_in(local.date(), locale))
        .replace("{0}", _format_short_time(local.hour, local.minute, locale))
    )


@lru_cache(maxsize=16)
def _datetime_pattern(locale: str) -> str:
    # The medium pattern joins a medium date and a time ("{1}, {0}" in English, "{1} 'klo' {0}" in Finnish).
    return str(get_datetime_format("medium", locale=locale)).replace("'", "")


@lru_cache(maxsize=4096)
def _format_day_in(value: date, locale: str) -> str:
    return babel_format_date(value, "medium", locale=locale)


@lru_cache(maxsize=4096)
def _format_short_time(hour: int, minute: int, locale: str) -> str:
    return babel_format_time(time(hour, minute), "short", locale=locale)


@lru_cache(maxsize=4096)
def _format_day(value: date, locale: str) -> str:
    # Lists show the same few dozen days on every row: format each once per locale.
    return format_date(value, "medium")


# --- form fields ----------------------------------------------------------------------------
# WTForms formats every attribute of every input through str.format with escaping, which
# cost more than the rest of a page with a form. For the widgets that are one element
# built from the field's own attributes, the helpers below write the same HTML directly
# (tests/test_field_html.py compares them with WTForms for every field of every form);
# other widgets (selects, dates, numbers, radios) render themselves.

_PLAIN_INPUTS = frozenset(
    {TextInput, SearchInput, EmailInput, TelInput, URLInput, PasswordInput, HiddenInput, CheckboxInput, SubmitInput}
)
# Inputs that add attributes of their own first: dates format their min and max, numbers
# give their step, min and max.
_DATE_INPUTS = frozenset({DateInput, DateTimeInput, DateTimeLocalInput, MonthInput, WeekInput, TimeInput})
# Every widget field_html writes itself (tests/test_field_html.py compares each with WTForms).
FAST_WIDGETS = _PLAIN_INPUTS | _DATE_INPUTS | {NumberInput, Select}


def html_attributes(attrs: dict) -> str:
    """wtforms.widgets.html_params: sorted, True as a bare name, False left out, escaped."""
    parts = []
    for key, value in sorted(attrs.items()):
        if value is False:
            continue
        name = escape_text(clean_key(key))
        parts.append(name if value is True else f'{name}="{escape_text(value).replace(chr(34), "&quot;")}"')
    return " ".join(parts)


def _validation_attributes(field: Field, widget, attrs: dict, *, call: bool) -> None:
    flags = vars(field.flags)
    for name in widget.validation_attrs:
        if name in flags and name not in attrs:
            value = flags[name]
            attrs[name] = value() if call and callable(value) else value


def field_html(field: Field, **attrs) -> Markup:
    """What ``field(**attrs)`` renders."""
    widget = field.widget
    kind = type(widget)
    # As WTForms' Meta.render_field: names cleaned (data_x -> data-x), the field's render_kw under them.
    attrs = {clean_key(key): value for key, value in attrs.items()}
    if field.render_kw:
        attrs = {**{clean_key(key): value for key, value in field.render_kw.items()}, **attrs}
    if kind is TextArea:
        attrs.setdefault("id", field.id)
        _validation_attributes(field, widget, attrs, call=False)
        attrs["name"] = field.name
        return Markup(f"<textarea {html_attributes(attrs)}>\r\n{escape_text(field._value())}</textarea>")  # noqa: S704
    if kind is Select:
        return _select_html(field, widget, attrs)
    if kind in _DATE_INPUTS:
        _date_limits(field, attrs)
    elif kind is NumberInput:
        for name in ("step", "min", "max"):
            if getattr(widget, name) is not None:
                attrs.setdefault(name, getattr(widget, name))
    elif kind not in _PLAIN_INPUTS:
        return field(**attrs)
    if getattr(field, "_datalist", None) is not None:
        return field(**attrs)
    if kind is PasswordInput and widget.hide_value:
        attrs["value"] = ""
    elif kind is CheckboxInput and getattr(field, "checked", field.data):
        attrs.setdefault("checked", True)
    elif kind is SubmitInput:
        attrs.setdefault("value", field.label.text)
    attrs.setdefault("id", field.id)
    attrs.setdefault("type", widget.input_type)
    if "value" not in attrs:
        attrs["value"] = field._value()
    _validation_attributes(field, widget, attrs, call=True)
    attrs["name"] = field.name
    return Markup(f"<input {html_attributes(attrs)}>")  # noqa: S704 - every part escaped above


def _date_limits(field: Field, attrs: dict) -> None:
    """As WTForms' date inputs: a min or max that is a date is written in the field's format."""
    format = getattr(field, "format", None)
    if format is None:
        return
    format = format[0] if isinstance(format, list) else format
    for name in ("min", "max"):
        value = attrs.get(name, getattr(field.flags, name, None))
        if callable(value):
            value = value()
        if hasattr(value, "strftime"):
            attrs[name] = value.strftime(format)


def _select_html(field: Field, widget: Select, attrs: dict) -> Markup:
    """What WTForms' Select writes, without an html_params call per option."""
    if field.has_groups():
        return field(**attrs)
    attrs.setdefault("id", field.id)
    if widget.multiple:
        attrs["multiple"] = True
    _validation_attributes(field, widget, attrs, call=False)
    attrs["name"] = field.name
    options = []
    for choice in field._iter_choices_normalized():
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        label = escape_text(choice.label or choice.value)
        if choice.render_kw:
            params = html_attributes(
                {"value": value, **choice.render_kw, **({"selected": True} if choice.selected else {})}
            )
            options.append(f"<option {params}>{label}</option>")
        else:
            value = escape_text(value).replace(chr(34), "&quot;")
            options.append(f'<option {"selected " if choice.selected else ""}value="{value}">{label}</option>')
    return Markup(f"<select {html_attributes(attrs)}>{''.join(options)}</select>")  # noqa: S704 - escaped above


def label_html(field: Field, **attrs) -> Markup:
    """What ``field.label(**attrs)`` renders."""
    if "for_" in attrs:
        attrs["for"] = attrs.pop("for_")
    else:
        attrs.setdefault("for", field.label.field_id)
    return Markup(f"<label {html_attributes(attrs)}>{escape_text(field.label.text)}</label>")  # noqa: S704


def field_block(field: Field, button_style: str = "primary", form_group_classes: str = "mb-3", **attrs) -> Markup:
    """A labelled field with its description and errors beside it, tied to the input for
    screen readers (aria-describedby, aria-invalid): what the render_field macro of
    templates/_form.html shows, written here as a macro per field cost more than the
    field (tests/test_field_html.py compares the two for every field of every form)."""
    help_id, error_id = f"{field.id}-help", f"{field.id}-error"
    described = ([help_id] if field.description else []) + ([error_id] if field.errors else [])
    aria = {"aria-describedby": " ".join(described)} if described else {}
    if field.errors:
        aria["aria-invalid"] = "true"
    if field.flags.required:
        aria["required"] = True
    aria.update(attrs)  # extra keyword arguments (min, max, placeholder …) go to the input
    kind = getattr(field.widget, "input_type", None)
    group = escape_text(form_group_classes)
    invalid = " is-invalid" if field.errors else ""
    if kind == "hidden":
        return field_html(field)
    if kind == "submit":
        return Markup(f'<div class="{group}">{field_html(field, **{"class": f"btn btn-{button_style}"})}</div>')  # noqa: S704
    messages = _messages(field, help_id, error_id)
    if kind == "checkbox":
        box = field_html(field, **{"class": f"form-check-input{invalid}", **aria})
        label = label_html(field, **{"class": "form-check-label"})
        return Markup(f'<div class="form-check {group}">\n{box}\n{label}\n{messages}\n</div>')  # noqa: S704
    if field.type == "RadioField":
        described_by = f' aria-describedby="{escape_text(" ".join(described))}"' if described else ""
        options = "".join(
            f'<div class="form-check">\n{option(**{"class": f"form-check-input{invalid}"})}\n'
            f"{option.label(**{'class': 'form-check-label'})}\n</div>\n"
            for option in field
        )
        return Markup(  # noqa: S704 - every part escaped
            f'<fieldset id="{escape_text(field.id)}" class="{group}"{described_by}>\n'
            f'<legend class="form-label fs-6">{escape_text(field.label.text)}</legend>\n'
            f"{options}{messages}\n</fieldset>"
        )
    base = "form-select" if field.type in ("SelectField", "SelectMultipleField") else "form-control"
    label = label_html(field, **{"class": "form-label"})
    control = field_html(field, **{"class": f"{base}{invalid}", **aria})
    return Markup(f'<div class="{group}">\n{label}{control}\n{messages}\n</div>')  # noqa: S704


def _messages(field: Field, help_id: str, error_id: str) -> Markup:
    html = ""
    if field.errors:
        errors = Markup(" ").join(escape(error) for error in field.errors)
        html += f'<div class="invalid-feedback d-block" id="{escape_text(error_id)}">{errors}</div>'
    if field.description:
        html += f'<div class="form-text" id="{escape_text(help_id)}">{escape_text(field.description)}</div>'
    return Markup(html)  # noqa: S704 - every part escaped


def hidden_fields_html(form: Form) -> Markup:
    """What Flask-WTF's ``form.hidden_tag()`` renders: every hidden field, one a line."""
    return Markup("\n").join(field_html(field) for field in form if isinstance(field.widget, HiddenInput))


def init_app(app: Flask) -> None:
    # One pair of filters for every date and time a page or e-mail shows; ``time`` for a time of day alone.
    app.jinja_env.filters.update(lines=lines, date=local_date, datetime=local_datetime, time=local_time)
    app.jinja_env.globals.update(
        field_html=field_html, label_html=label_html, hidden_fields_html=hidden_fields_html, field_block=field_block
    )
    # Replaces Flask-Babel's callables for _() and ngettext() in templates (same catalogue).
    words.init_app(app)
