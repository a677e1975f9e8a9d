"""Showing a form never reads WTForms' message catalogue from disk.

Flask-WTF loads that catalogue (a .mo file, parsed anew for every request that asks)
only to translate WTForms' own words: an error message, or the label it makes up for
a field declared without one. Every field is labelled, so that a page with forms
reads no file: the case lists and the case file are shown thousands of times an hour.
Errors still come in the user's language (the catalogue is read then, and only then).
"""

from __future__ import annotations

import pytest
from babel import support

from tests.test_field_html import FORMS, _fields


@pytest.fixture
def catalogue_reads(monkeypatch) -> list[str]:
    reads: list[str] = []
    load = support.Translations.load

    def counted(dirname=None, locales=None, domain=None):
        reads.append(domain)
        return load(dirname, locales, domain)

    monkeypatch.setattr(support.Translations, "load", counted)
    return reads


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: c.__name__)
def test_a_form_shown_reads_no_catalogue(app, catalogue_reads, form_class):
    app.config["WTF_CSRF_ENABLED"] = True
    with app.test_request_context():
        form = form_class(formdata=None)
        for field in _fields(form):
            str(field.label.text)
    assert "wtforms" not in catalogue_reads


def test_an_error_is_still_in_the_users_language(app, catalogue_reads):
    from hiddengems.cases.forms import StageForm

    with app.test_request_context(headers={"Accept-Language": "fi"}):
        form = StageForm(formdata=None, prefix="stage")
        form.validate()
    assert "wtforms" in catalogue_reads
    assert form.version.errors


def test_the_case_pages_read_no_catalogue(app, client, desk, f, catalogue_reads):
    f.login(client, desk.adviser)
    app.config["WTF_CSRF_ENABLED"] = True  # as in production: every form has its token
    catalogue_reads.clear()
    for url in (
        "/cases/",
        f"/cases/{desk.case.id}",
        "/cases/queue",
        "/cases/queue?language=fi",
        f"/cases/{desk.case.id}/close",
        f"/cases/{desk.case.id}?kind=call",
    ):
        assert client.get(url).status_code == 200, url
    assert "wtforms" not in catalogue_reads
