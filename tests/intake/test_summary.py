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
from hiddengems.intake.summary import profile_view, step_answers, summary_rows
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


# The answers of each step as templates/intake/_profile_summary.html wrote them, a row each
# (``row``: summary_rows), before step_answers wrote a step's rows in one call.
STEPS = """{% set L = intake_labels %}
      {% if step == 'contact' %}
        {{ row(_('Phone'), profile.phone) }}
        {{ row(_('City'), profile.city) }}
        {{ row(_('Preferred language'), language_name(profile.contact_language)) }}
      {% elif step == 'host' %}
        {{ row(_('Host organisation'), case.organisation.name if case.organisation else '') }}
        {{ row(_("Partner's unit"), profile.partner_unit) }}
      {% elif step == 'arrival' %}
        {{ row(_('Arrival in Finland'), profile.arrival_date|date) }}
        {{ row(_('Expected length of stay'), L.stay_lengths.get(profile.stay_length)) }}
      {% elif step == 'permit' %}
        {{ row(_('Right to work'), L.right_to_work.get(profile.right_to_work)) }}
        {{ row(_('Residence permit'), L.permit_types.get(profile.permit_type)) }}
        {{ row(_('Permit valid until'), profile.permit_expires|date) }}
      {% elif step == 'education' %}
        {{ row(_('Highest education'), L.isced_levels.get(profile.education_level)) }}
        {{ row(_('Field of study'), L.isced_fields.get(profile.education_field)) }}
        {{ row(_('Degree recognised in Finland'), L.recognition.get(profile.degree_recognition)) }}
      {% elif step == 'languages' %}
        {% set levels = {} %}{% for skill in profile.languages %}{% set unused = levels.update({skill.language: skill.level}) %}{% endfor %}
        {% for code in intake_always_asked %}
          {{ row(language_name(code), L.cefr.get(levels.get(code)) or (_('No knowledge') if profile.is_done('languages') else '')) }}
        {% endfor %}
        {% for skill in profile.languages if skill.language not in intake_always_asked %}
          {{ row(language_name(skill.language), L.cefr.get(skill.level)) }}
        {% endfor %}
      {% elif step == 'goals' %}
        {{ row(_('Career goals'), profile.career_goals) }}
        {{ row(_('Target occupations'), profile.target_occupations) }}
      {% elif step == 'availability' %}
        {{ row(_('Available for'), L.availability.get(profile.availability)) }}
        {{ row(_('Available from'), profile.available_from|date) }}
      {% elif step == 'monitoring' %}
        {{ row(_('Gender'), L.genders.get(profile.gender)) }}
        {{ row(_('Age group'), L.age_groups.get(profile.age_group)) }}
        {{ row(_('Labour-market status on entry'), L.labour_status.get(profile.labour_status)) }}
      {% endif %}"""  # noqa: E501


@pytest.mark.parametrize("wide", [True, False])
@pytest.mark.parametrize("skip", [(), ("languages", "monitoring")])
def test_each_steps_answers_are_written_as_the_template_wrote_them(app, f, client, wide, skip):
    """step_answers writes each step's rows as the template's row-by-row code did: the
    same labels, values, order and escaping (the whitespace between rows aside)."""
    spouse = f.user("spouse")
    case = f.case_of(spouse)
    f.login(client, spouse)
    fill_all(client, case.id, spouse.organisation_id, skip=skip)
    languages = {**valid_answers(spouse.organisation_id)["languages"]}
    if not skip:  # a second language beyond the three always asked
        languages.update({"others-1-language": "de", "others-1-level": "B1"})
        assert post_step(client, "languages", languages, case.id).status_code == 302
    case = load_case_file(case.id)
    template = app.jinja_env.from_string(STEPS)
    with app.test_request_context():
        profile, labels = profile_view(case.id), app.jinja_env.globals["intake_labels"]
        for step in app.jinja_env.globals["intake_edit_steps"]:
            expected = template.render(step=step, profile=profile, case=case, row=summary_rows(wide))
            written = str(step_answers(step, profile, case, labels, wide))
            assert "".join(written.split()) == "".join(expected.split()), step
    assert "+358 40 123 4567" in str(step_answers("contact", profile, case, labels, wide))
