"""The error summary of a failed submit (hiddengems/ui/summary.py, shown by base.html):
the problems of the forms a page was given, as template variables or one level inside
them, and nothing else."""

from __future__ import annotations

from flask import render_template_string
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import FieldList, FormField, StringField
from wtforms.form import Form
from wtforms.validators import DataRequired

from hiddengems.ui.summary import error_summary

PAGE = """{% extends 'base.html' %}{% block content %}<form>{{ page_fields|safe }}</form>{% endblock %}"""


class Row(Form):
    title = StringField("Job title", validators=[DataRequired()])


class Sample(FlaskForm):
    first = StringField("First", validators=[DataRequired()])
    second = StringField("Second", validators=[DataRequired()])
    rows = FieldList(FormField(Row), min_entries=1)


def _summary(app, fields_on_page: str) -> str:
    with app.test_request_context(method="POST", data={}):
        form = Sample(formdata=MultiDict({"rows-0-title": ""}), meta={"csrf": False})
        assert not form.validate()
        html = render_template_string(PAGE, form=form, page_fields=fields_on_page)
    start = html.index('id="error-summary"')
    return html[start : html.index("</div>", start)]


def test_problems_link_to_their_fields_in_page_order(app):
    summary = _summary(app, '<input id="second"><input id="first"><input id="rows-0-title">')
    second, first, row = (summary.index(f'href="#{target}"') for target in ("second", "first", "rows-0-title"))
    assert second < first < row
    assert "Job title: This field is required." in summary


def test_a_field_the_page_does_not_show_is_named_without_a_broken_link(app):
    summary = _summary(app, '<input id="first">')
    assert 'href="#first"' in summary
    assert 'href="#second"' not in summary and "Second: This field is required." in summary
    assert summary.index("First:") < summary.index("Second:")


def test_no_summary_without_a_failed_form(app):
    with app.test_request_context():
        html = render_template_string(PAGE, form=Sample(formdata=None, meta={"csrf": False}), page_fields="")
    assert "error-summary" not in html and "There is a problem" not in html


PROBLEMS_ONLY = "{% for p in error_summary() %}[{{ p.target }}|{{ p.label }}|{{ p.message }}]{% endfor %}"


class NameForm(Form):
    name = StringField("Name", validators=[DataRequired(message="Give a name.")])


def _failed() -> NameForm:
    form = NameForm(prefix="x")
    form.validate()
    return form


def test_the_summary_finds_a_failed_form_where_the_page_was_given_it(app):
    with app.test_request_context():
        render = app.jinja_env.from_string(PROBLEMS_ONLY).render
        expected = "[x-name|Name|Give a name.]"
        assert render(form=_failed()) == expected
        assert render(forms={"one": _failed()}) == expected
        assert render(forms=[_failed()]) == expected
        # A page's variable named like one of the app's template words is still read.
        assert render(stage_names={"form": _failed()}, config=_failed()) == expected * 2
        assert render(form=NameForm(prefix="x")) == ""  # not submitted: no problems
        assert error_summary is app.jinja_env.globals["error_summary"]
