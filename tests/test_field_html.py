"""The fast form-field helpers write exactly what WTForms renders (hiddengems/ui/formatting.py),
for every field of every form of the app, fresh, filled in, and with errors."""

from __future__ import annotations

import pytest
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField
from wtforms.widgets import Select

from hiddengems.ui.formatting import FAST_WIDGETS, field_html, hidden_fields_html, label_html
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
