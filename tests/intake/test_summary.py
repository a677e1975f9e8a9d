"""The intake summary's answers, written in Python (intake/summary.py), are the HTML the
template's macro wrote: the same markup, the same escaping, the same dash for no answer."""

from __future__ import annotations

from datetime import date

import pytest
from flask import render_template_string
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from hiddengems.cases.lists.query import load_case_file
from hiddengems.intake.services import load_profile
from hiddengems.intake.summary import profile_view, summary_rows
from tests.intake.steps import fill_all, post_step, valid_answers

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


@pytest.mark.parametrize("skip", [(), ("work", "languages", "monitoring")])
def test_the_case_files_plain_profile_reads_as_the_profile_does(app, f, client, skip):
    """The case file reads the profile as plain values (summary.profile_view): the summary
    and the header show from it what they show from the ORM's profile, answered steps and
    unanswered alike, the work history and the languages in their order."""
    spouse = f.user("spouse")
    case = f.case_of(spouse)
    f.login(client, spouse)
    fill_all(client, case.id, spouse.organisation_id, skip=skip)
    if not skip:  # a second job, after the first
        data = {**valid_answers(spouse.organisation_id)["work"], "rows-1-job_title": "Statistician"}
        assert post_step(client, "work", data, case.id).status_code == 302
    page = "{% include 'intake/_profile_summary.html' %}{% include 'intake/_panel_case_file_header.html' %}"
    case = load_case_file(case.id)  # with its organisation, which the summary names
    with app.test_request_context():
        shown = {
            kind: render_template_string(page, profile=read, panel={"profile": read, "today": date.today()}, case=case)
            for kind, read in (("orm", load_profile(case.id)), ("plain", profile_view(case.id)))
        }
    assert shown["plain"] == shown["orm"]
    if skip:
        assert "Not answered" in shown["plain"]
    else:
        assert shown["plain"].index("Data analyst") < shown["plain"].index("Statistician")
        assert "+358 40 123 4567" in shown["plain"]


def test_a_case_without_a_profile_has_no_plain_profile(app, f):
    assert profile_view(f.case_of(f.user("spouse")).id) is None
