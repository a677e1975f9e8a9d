"""The rows of the work and languages steps: at most MAX_ROWS, refused with a message
beside the rows (never silently cut), and whatever is stored can always be shown."""

from __future__ import annotations

import pytest

from hiddengems.extensions import db
from hiddengems.intake import services
from hiddengems.intake.services import MAX_ROWS, load_profile
from hiddengems.timeutil import utcnow
from hiddengems.vocab import ALWAYS_ASKED, language_choices
from tests.intake.steps import version_of

JOBS_FULL = f"You can list at most {MAX_ROWS} jobs."
LANGUAGES_FULL = f"You can list at most {MAX_ROWS} other languages."


def _jobs(n: int) -> dict[str, str]:
    return {f"rows-{i}-job_title": f"Job number {i}" for i in range(n)}


def _other_languages(n: int) -> dict[str, str]:
    codes = [code for code, _ in language_choices() if code not in ALWAYS_ASKED][:n]
    assert len(codes) == n
    data = {"fi": "A1", "sv": "none", "en": "C1"}
    for i, code in enumerate(codes):
        data.update({f"others-{i}-language": code, f"others-{i}-level": "B1"})
    return data


def _submitted(case_id: int) -> None:
    profile = load_profile(case_id)
    profile.submitted_at = utcnow()
    db.session.commit()


@pytest.fixture
def people(app, f):
    spouse, adviser = f.user("spouse"), f.user("adviser")
    case = f.assign(spouse, adviser, "intake")
    clients = {"spouse": app.test_client(), "adviser": app.test_client()}
    f.login(clients["spouse"], spouse)
    f.login(clients["adviser"], adviser)
    urls = {"spouse": "/intake/step/{step}", "adviser": f"/intake/case/{case.id}/{{step}}"}
    return case, clients, urls


def test_more_jobs_than_allowed_are_refused_beside_the_rows_and_kept(people):
    case, clients, urls = people
    for who, client in clients.items():
        data = {**_jobs(MAX_ROWS + 1), "version": version_of(case.id)}
        response = client.post(urls[who].format(step="work"), data=data)
        assert response.status_code == 422, who
        assert JOBS_FULL in response.text
        assert all(f'value="Job number {i}"' in response.text for i in range(MAX_ROWS + 1))
        assert load_profile(case.id) is None


def test_the_most_jobs_are_saved_shown_again_and_add_another_says_no(people):
    case, clients, urls = people
    url = urls["spouse"].format(step="work")
    response = clients["spouse"].post(url, data={**_jobs(MAX_ROWS), "version": "0"})
    assert response.status_code == 302
    assert len(load_profile(case.id).work) == MAX_ROWS
    _submitted(case.id)  # the adviser reads only a sent intake
    for who, client in clients.items():
        page = client.get(urls[who].format(step="work"))
        assert page.status_code == 200, who
        assert f'value="Job number {MAX_ROWS - 1}"' in page.text
        assert f"rows-{MAX_ROWS}-job_title" not in page.text  # no blank row past the limit
    data = {**_jobs(MAX_ROWS), "version": version_of(case.id), "add_row": "Add another job"}
    response = clients["spouse"].post(url, data=data)
    assert response.status_code == 422
    assert f"rows-{MAX_ROWS}-job_title" not in response.text
    assert f'value="Job number {MAX_ROWS - 1}"' in response.text
    # Where the new row would have been, and read out with the button.
    assert f'id="rows-error">{JOBS_FULL}</div>' in response.text
    assert 'aria-describedby="rows-error"' in response.text


def test_the_most_other_languages_then_add_another_says_no_and_the_page_still_shows(people):
    case, clients, urls = people
    url = urls["spouse"].format(step="languages")
    data = {**_other_languages(MAX_ROWS), "version": "0", "add_row": "Add another language"}
    response = clients["spouse"].post(url, data=data)
    assert response.status_code == 422
    assert LANGUAGES_FULL in response.text and f"others-{MAX_ROWS}-language" not in response.text
    del data["add_row"]
    assert clients["spouse"].post(url, data=data).status_code == 302
    assert len(load_profile(case.id).languages) == MAX_ROWS + 2  # Finnish, English and the others
    _submitted(case.id)
    for who, client in clients.items():
        assert client.get(urls[who].format(step="languages")).status_code == 200, who


def test_more_other_languages_than_allowed_are_refused(people):
    case, clients, urls = people
    data = {**_other_languages(MAX_ROWS + 1), "version": "0"}
    response = clients["spouse"].post(urls["spouse"].format(step="languages"), data=data)
    assert response.status_code == 422
    assert LANGUAGES_FULL in response.text
    assert load_profile(case.id) is None


def test_row_numbers_a_browser_never_sends_are_ignored(people):
    case, clients, urls = people
    url = urls["spouse"].format(step="work")
    for key in ("rows-²-job_title", "rows-" + "9" * 5000 + "-job_title", "rows-99999999999-job_title"):
        data = {"version": version_of(case.id), "rows-0-job_title": "Chemist", key: "Injected"}
        assert clients["spouse"].post(url, data=data).status_code == 302, key[:20]
        assert [w.job_title for w in load_profile(case.id).work] == ["Chemist"]


def test_the_service_refuses_more_rows_than_the_pages_can_show(app, f):
    spouse = f.user("spouse")
    case = f.case_of(spouse)
    rows = [{"job_title": f"Job {i}"} for i in range(MAX_ROWS + 1)]
    with pytest.raises(services.TooManyRows):
        services.save_step(case, "work", {"rows": rows}, actor=spouse, expected_version=0)
    codes = [code for code, _ in language_choices() if code not in ALWAYS_ASKED][: MAX_ROWS + 1]
    with pytest.raises(services.TooManyRows):
        services.save_step(case, "languages", {"levels": dict.fromkeys(codes, "B1")}, actor=spouse, expected_version=0)
    assert load_profile(case.id) is None
