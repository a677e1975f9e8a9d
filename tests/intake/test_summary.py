"""The intake summary's answers, written in Python (intake/summary.py), are the HTML the
template's macro wrote: the same markup, the same escaping, the same dash for no answer."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from hiddengems.intake.summary import summary_rows

# The macro the helper replaces, as templates/intake/_profile_summary.html had it.
MACRO = """{%- macro row(label, value) -%}
  {%- if wide %}<div class="mb-1"><dt class="d-inline fw-normal text-muted">{{ label }}:</dt> <dd class="d-inline mb-0">{% if value %}{{ value }}{% else %}<span class="text-muted">—</span>{% endif %}</dd></div>
  {%- else %}<dt class="col-sm-4">{{ label }}</dt><dd class="col-sm-8">{% if value %}{{ value }}{% else %}<span class="text-muted">—</span>{% endif %}</dd>{% endif %}
{%- endmacro -%}
{{ row(label, value) }}"""  # noqa: E501

VALUES = [
    "+358 40 123 4567",
    '<script>alert("x")</script> & "quoted" \'single\'',
    Markup("<b>kept</b>"),
    _l("Unemployed (looking for work)"),
    "",
    None,
    0,
    7,
    date(2026, 12, 1),
]
LABELS = ["Phone", '<i>"Label"</i> & more', Markup("Partner&#39;s unit"), _l("Career goals")]


@pytest.mark.parametrize("wide", [True, False])
def test_every_answer_is_written_as_the_macro_wrote_it(app, wide):
    template = app.jinja_env.from_string(MACRO)
    with app.test_request_context():
        row = summary_rows(wide)
        for label in LABELS:
            for value in VALUES:
                expected = template.render(label=label, value=value, wide=wide)
                assert str(row(label, value)) == expected, (label, value)


def test_the_answers_are_escaped(app):
    with app.test_request_context():
        html = str(summary_rows(False)("Name", "<script>x</script>"))
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
