"""The error summary (hiddengems/ui/summary.py) lists the problems of the forms a page was
given, as template variables or one level inside them, and nothing else."""

from __future__ import annotations

from wtforms import Form, StringField
from wtforms.validators import DataRequired

from hiddengems.ui.summary import error_summary

PAGE = "{% for p in error_summary() %}[{{ p.target }}|{{ p.label }}|{{ p.message }}]{% endfor %}"


class NameForm(Form):
    name = StringField("Name", validators=[DataRequired(message="Give a name.")])


def _failed() -> NameForm:
    form = NameForm(prefix="x")
    form.validate()
    return form


def test_the_summary_finds_a_failed_form_where_the_page_was_given_it(app):
    with app.test_request_context():
        render = app.jinja_env.from_string(PAGE).render
        expected = "[x-name|Name|Give a name.]"
        assert render(form=_failed()) == expected
        assert render(forms={"one": _failed()}) == expected
        assert render(forms=[_failed()]) == expected
        # A page's variable named like one of the app's template words is still read.
        assert render(stage_names={"form": _failed()}, config=_failed()) == expected * 2
        assert render(form=NameForm(prefix="x")) == ""  # not submitted: no problems
        assert error_summary is app.jinja_env.globals["error_summary"]
