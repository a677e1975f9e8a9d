"""The fast form-field helpers write exactly what WTForms renders (hiddengems/ui/formatting.py),
for every field of every form of the app, fresh, filled in, and with errors."""

from __future__ import annotations

import re

import pytest
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField
from wtforms.widgets import Select

from hiddengems.ui.formatting import FAST_WIDGETS, field_block, field_html, hidden_fields_html, label_html
from hiddengems.ui.widgets import CachedOptionsSelect

TRICKY = 'A & B <b>"quoted"</b> it\'s'
ATTRIBUTE_SETS = [
    {},
    {"class": "form-control"},
    {
        "class": "form-control is-invalid",
        "aria-describedby": "x-help x-error",
        "aria-invalid": "true",
        "required": True,
    },
    {"placeholder": TRICKY, "data_extra": 1, "disabled": False, "min": 0, "max": 10},
]


def _all_form_classes() -> list[type]:
    # The routes import every form of their domain.
    from hiddengems import domains

    domains.modules("forms")  # every domain's forms, whatever this run imported before

    found, todo = [], [FlaskForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("hiddengems."):
                found.append(sub)
            todo.append(sub)
    return sorted(set(found), key=lambda c: f"{c.__module__}.{c.__qualname__}")


def _fields(form):
    for field in form:
        if isinstance(field, FormField):
            yield from _fields(field.form)
        elif isinstance(field, FieldList):
            for entry in field.entries:
                yield from _fields(entry.form) if isinstance(entry, FormField) else [entry]
        else:
            yield field


FORMS = _all_form_classes()


def test_every_form_is_checked():
    names = {cls.__name__ for cls in FORMS}
    assert {"ActivityForm", "ChangePasswordForm", "CaseListForm", "LoginForm"} <= names


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: c.__name__)
def test_fields_render_as_wtforms_renders_them(app, form_class):
    app.config["WTF_CSRF_ENABLED"] = True
    with app.test_request_context():
        for form in (form_class(formdata=None), _filled(form_class)):
            checked = 0
            for field in _fields(form):
                if type(field.widget) not in FAST_WIDGETS and field.type != "TextAreaField":
                    continue
                for attrs in ATTRIBUTE_SETS:
                    assert field_html(field, **attrs) == field(**attrs), (field.name, attrs)
                    assert label_html(field, **attrs) == field.label(**attrs), (field.name, attrs)
                checked += 1
            assert hidden_fields_html(form) == form.hidden_tag()
            # every form with an input had it checked (a form of selects only, e.g. a GET filter, has none)
            assert checked or all(field.type == "SelectField" for field in _fields(form))


def _filled(form_class):
    """The form with tricky data in every field and an error on each, as after a bad POST."""
    form = form_class(formdata=None)
    for field in _fields(form):
        if field.type in ("StringField", "SearchField", "EmailField", "TextAreaField", "HiddenField", "PasswordField"):
            field.data = TRICKY
        elif field.type == "BooleanField":
            field.data = True
        field.errors = [f"Wrong: {TRICKY}"]
    return form


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: c.__name__)
def test_cached_options_render_as_wtforms_renders_them(app, form_class):
    """Every single-choice select of every form, nothing chosen and each option chosen in
    turn: hiddengems/ui/widgets.py CachedOptionsSelect writes what WTForms' Select writes.
    (But for the blank option, which it leaves unmarked when nothing is chosen: it shows
    first either way.) The first, a middle and the last option of long lists."""
    with app.test_request_context():
        form = form_class(formdata=None)
        for field in _fields(form):
            if field.type != "SelectField" or field.choices is None:  # None: the view sets them
                continue
            values = [choice[0] for choice in field.choices if choice[0] != ""]
            values = sorted({*values[:1], *values[len(values) // 2 : len(values) // 2 + 1], *values[-1:]}, key=str)
            if len(values) == len(field.choices):  # no blank option
                values.append(None)
            for value in values:
                field.data = value
                for attrs in ATTRIBUTE_SETS[:3]:
                    cached, wtforms = CachedOptionsSelect()(field, **attrs), Select()(field, **attrs)
                    # WTForms writes a lazily translated label's apostrophe as it is; the cache escapes it.
                    assert str(cached) == str(wtforms).replace("'", "&#39;"), (field.name, value)


# The render_field macro as templates/_form.html had it before field_block wrote it in Python.
MACRO = """
{% macro render_field(field, button_style='primary', form_group_classes='mb-3') %}
  {%- set help_id = field.id ~ '-help' -%}
  {%- set error_id = field.id ~ '-error' -%}
  {%- set described = ([help_id] if field.description else []) + ([error_id] if field.errors else []) -%}
  {%- set aria = {'aria-describedby': described | join(' ')} if described else {} -%}
  {%- if field.errors %}{% set aria = dict(aria, **{'aria-invalid': 'true'}) %}{% endif -%}
  {%- if field.flags.required %}{% set aria = dict(aria, required=True) %}{% endif -%}
  {#- Extra keyword arguments (min, max, placeholder …) go to the input. -#}
  {%- set aria = dict(aria, **kwargs) -%}
  {%- set type = field.widget.input_type -%}
  {#- field_html and label_html write what field() and field.label() would, cheaper
      (hiddengems/formatting.py). -#}
  {% if type == 'hidden' %}
    {{ field_html(field) }}
  {% elif type == 'submit' %}
    <div class="{{ form_group_classes }}">{{ field_html(field, class='btn btn-' ~ button_style) }}</div>
  {% elif type == 'checkbox' %}
    <div class="form-check {{ form_group_classes }}">
      {{ field_html(field, class='form-check-input' ~ (' is-invalid' if field.errors else ''), **aria) }}
      {{ label_html(field, class='form-check-label') }}
      {{ _messages(field, help_id, error_id) }}
    </div>
  {% elif field.type == 'RadioField' %}
    <fieldset id="{{ field.id }}" class="{{ form_group_classes }}"{% if described %} aria-describedby="{{ described | join(' ') }}"{% endif %}>
      <legend class="form-label fs-6">{{ field.label.text }}</legend>
      {% for option in field %}
      <div class="form-check">
        {{ option(class='form-check-input' ~ (' is-invalid' if field.errors else '')) }}
        {{ option.label(class='form-check-label') }}
      </div>
      {% endfor %}
      {{ _messages(field, help_id, error_id) }}
    </fieldset>
  {% else %}
    <div class="{{ form_group_classes }}">
      {{ label_html(field, class='form-label') }}
      {%- set base = 'form-select' if field.type in ('SelectField', 'SelectMultipleField') else 'form-control' -%}
      {{ field_html(field, class=base ~ (' is-invalid' if field.errors else ''), **aria) }}
      {{ _messages(field, help_id, error_id) }}
    </div>
  {% endif %}
{% endmacro %}

{% macro _messages(field, help_id, error_id) %}
  {%- if field.errors %}<div class="invalid-feedback d-block" id="{{ error_id }}">{{ field.errors | join(' ') }}</div>{% endif -%}
  {%- if field.description %}<div class="form-text" id="{{ help_id }}">{{ field.description }}</div>{% endif -%}
{% endmacro %}

"""  # noqa: E501


def _same_html(html: str) -> str:
    """The HTML with whitespace between tags left out and other runs of it as one space."""
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", str(html))).strip()


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: c.__name__)
def test_field_block_writes_what_the_macro_wrote(app, form_class):
    """Every field of every form, fresh and filled in with errors, with the macro's
    options: field_block writes the same elements, attributes and text as the macro did."""
    app.config["WTF_CSRF_ENABLED"] = True
    with app.test_request_context():
        macro = app.jinja_env.from_string(MACRO).module.render_field
        for form in (form_class(formdata=None), _filled(form_class)):
            for field in _fields(form):
                if field.type in ("SelectField", "SelectMultipleField", "RadioField") and field.choices is None:
                    continue  # the view sets them
                for options in ({}, {"button_style": "outline-danger", "form_group_classes": "mb-0"}, {"rows": 3}):
                    expected = _same_html(macro(field, **options))
                    assert _same_html(field_block(field, **options)) == expected, (field.name, options)
