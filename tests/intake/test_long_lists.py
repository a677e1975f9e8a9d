"""The intake's long lists put the common entries first, in their own group, and name
the levels of education in plain words; what is stored stays the code."""

from __future__ import annotations

import re

from sqlalchemy import select

from hiddengems.extensions import db
from hiddengems.intake.models import IntakeProfile
from hiddengems.vocab import COMMON_LANGUAGES, EDUCATION_LEVELS, isced_code
from tests import factories as f


def _select(html: str, name: str) -> str:
    match = re.search(rf'<select[^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>', html, re.S)
    assert match, f"no select {name}"
    return match.group(1)


def _spouse_client(app):
    spouse = f.user("spouse")
    client = app.test_client()
    f.login(client, spouse)
    return client, spouse


def test_languages_list_finnish_swedish_english_and_the_common_ones_first(app):
    client, _spouse = _spouse_client(app)
    html = client.get("/intake/step/contact").get_data(as_text=True)
    options = _select(html, "contact_language")
    common, everything = options.split('<optgroup label="All languages, A–Z">')
    assert '<optgroup label="Common">' in common
    first = re.findall(r'<option value="([a-z]+)">', common)
    assert first[:3] == ["fi", "sv", "en"] and set(first) == set(COMMON_LANGUAGES)
    assert len(re.findall(r"<option ", everything)) > 500  # every language is still there


def test_other_languages_leave_out_the_three_asked_about_above_and_countries_group_too(app):
    client, _spouse = _spouse_client(app)
    html = client.get("/intake/step/languages").get_data(as_text=True)
    common = _select(html, "others-0-language").split("All languages")[0]
    assert 'value="fi"' not in common and 'value="ru"' in common
    work = client.get("/intake/step/work").get_data(as_text=True)
    countries = _select(work, "rows-0-country")
    assert countries.index('value="FI"') < countries.index('value="AF"')  # Finland before Afghanistan


def test_a_chosen_language_stays_chosen_and_is_stored_as_its_code(app):
    client, spouse = _spouse_client(app)
    data = {"version": "0", "phone": "+358 40 123 4567", "city": "Espoo", "contact_language": "ru"}
    assert client.post("/intake/step/contact", data=data).status_code == 302
    stored = db.session.scalar(select(IntakeProfile).where(IntakeProfile.case_id == f.case_of(spouse).id))
    assert stored.contact_language == "ru"
    html = client.get("/intake/step/contact").get_data(as_text=True)
    assert html.count("<option selected") == 1 and '<option selected value="ru">Russian' in html
    # A value from outside the list is refused beside the field.
    data["contact_language"] = "xx-not-a-language"
    assert "Not a valid choice" in client.post("/intake/step/contact", data=data).get_data(as_text=True)


def test_education_levels_are_plain_words_and_the_code_is_kept_for_reports(app):
    client, _spouse = _spouse_client(app)
    html = client.get("/intake/step/education").get_data(as_text=True)
    assert "Bachelor's or equivalent<" in html and "ISCED 6" not in html
    assert isced_code(6) == "ISCED 6" and str(EDUCATION_LEVELS[7]) == "Master's or equivalent"
