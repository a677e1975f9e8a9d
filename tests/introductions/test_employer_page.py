"""The employer's page shows its introductions with their outcomes and the employer's
answers, and the contact history per contact person; the full list is paged; the page
makes the same number of queries however many introductions and contacts there are."""

from __future__ import annotations

from flask import current_app

from hiddengems.employers import services as employers
from hiddengems.extensions import db
from hiddengems.introductions import services
from tests.employers.helpers import employer


def _introduce(f, adviser, at, contact, *, answer: str | None = None, name: str | None = None):
    """A case introduced to ``at`` through ``contact``; the employer answers "not now"
    with ``answer`` when given."""
    spouse = f.user("spouse", name=name) if name else f.user("spouse")
    case = f.assign(spouse, adviser, "introductions")
    with current_app.test_request_context(method="POST"):
        made = services.propose(case, at, opening=None, contact=contact, note="", actor=adviser)
        services.consent(made, actor=spouse)
        link = services.send(made, actor=adviser)
        if answer is not None:
            services.answer(made, link, interested=False, note=answer)
        db.session.commit()
    return made


def test_the_employer_page_shows_outcomes_answers_and_the_contact_history(app, f, client):
    adviser = f.user("adviser")
    at = employer(adviser, name="Pirkka Software Oy")
    riikka = employers.add_contact(at, {"name": "Riikka Recruiter", "email": "riikka@ex.fi"}, actor=adviser)
    timo = employers.add_contact(at, {"name": "Timo Lead", "email": "timo@ex.fi"}, actor=adviser)
    db.session.commit()
    _introduce(f, adviser, at, riikka, answer="Hiring again in spring", name="Ana Costa")
    _introduce(f, adviser, at, riikka, name="Wei Zhang")
    _introduce(f, adviser, at, timo, name="Omar Haddad")

    f.login(client, adviser)
    page = client.get(f"/employers/{at.id}").get_data(as_text=True)
    assert "Declined: 1" in page and "Introduced: 2" in page
    assert "Ana Costa" in page and "Wei Zhang" in page and "Omar Haddad" in page
    assert "Employer answered: not now. Hiring again in spring" in page
    history = page[page.index('id="contact-history"') :]
    riikka_row = history[history.index("Riikka Recruiter") :].split("</tr>")[0]
    cells = [cell.split("</td>")[0].strip() for cell in riikka_row.split("<td>")[1:]]
    assert cells[0] == "2" and cells[1] == "2" and cells[3] == "1"  # introductions, links sent, answers
    timo_row = history[history.index("Timo Lead") :].split("</tr>")[0]
    assert [cell.split("</td>")[0].strip() for cell in timo_row.split("<td>")[1:]][3] == "0"


def test_a_merged_duplicates_introductions_stay_in_the_history_of_the_one_that_stays(app, f, client):
    adviser = f.user("adviser")
    keeper, duplicate = employer(adviser), employer(adviser)
    contact = employers.add_contact(duplicate, {"name": "Old Contact", "email": "old@ex.fi"}, actor=adviser)
    db.session.commit()
    _introduce(f, adviser, duplicate, contact, name="Mei Tanaka")
    employers.merge_employers(duplicate, keeper, actor=adviser)
    db.session.commit()
    f.login(client, adviser)
    page = client.get(f"/employers/{keeper.id}").get_data(as_text=True)
    assert "Mei Tanaka" in page and "Old Contact" in page


def test_introductions_of_a_duplicate_merged_twice_stay_in_the_history_of_the_last_keeper(app, f, client):
    adviser = f.user("adviser")
    first, second, last = employer(adviser), employer(adviser), employer(adviser)
    contact = employers.add_contact(first, {"name": "Old Contact", "email": "old@ex.fi"}, actor=adviser)
    db.session.commit()
    _introduce(f, adviser, first, contact, name="Mei Tanaka")
    employers.merge_employers(first, second, actor=adviser)
    db.session.commit()
    employers.merge_employers(second, last, actor=adviser)
    db.session.commit()
    assert first.merged_into_id == last.id
    f.login(client, adviser)
    page = client.get(f"/employers/{last.id}").get_data(as_text=True)
    assert "Mei Tanaka" in page and "Old Contact" in page
    listed = client.get(f"/introductions/employers/{last.id}").get_data(as_text=True)
    assert "Mei Tanaka" in listed


def test_a_long_list_is_paged_and_the_page_makes_a_fixed_number_of_queries(app, f, client, queries):
    adviser = f.user("adviser")
    at = employer(adviser)
    contact = employers.add_contact(at, {"name": "Riikka", "email": "riikka@ex.fi"}, actor=adviser)
    db.session.commit()
    _introduce(f, adviser, at, contact, answer="")
    f.login(client, adviser)

    def count(url: str) -> int:
        client.get(url)
        with queries:
            assert client.get(url).status_code == 200
        return queries.count

    small = count(f"/employers/{at.id}"), count(f"/introductions/employers/{at.id}")
    for i in range(30):
        more = employers.add_contact(at, {"name": f"Contact {i}", "email": f"c{i}@ex.fi"}, actor=adviser)
        db.session.commit()
        _introduce(f, adviser, at, more, answer="Not now" if i % 2 else None)
    large = count(f"/employers/{at.id}"), count(f"/introductions/employers/{at.id}")
    # The employer's page: the user, the employer, its contacts, its openings; the outcomes,
    # the latest introductions, their answers, the contact history. The list: the user, the
    # employer, the total, the rows, their answers.
    assert small == large == (8, 5)

    page = client.get(f"/employers/{at.id}").get_data(as_text=True)
    assert "All 31 introductions" in page
    first = client.get(f"/introductions/employers/{at.id}").get_data(as_text=True)
    assert "Page 1 of 2" in first and first.count("/introductions/employers/") >= 1
    second = client.get(f"/introductions/employers/{at.id}?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in second and second.count('<tr><td><a href="/introductions/') == 6


def test_another_advisers_spouse_is_not_named_but_a_lead_sees_every_name(app, f, client):
    adviser, other = f.user("adviser"), f.user("adviser")
    at = employer(adviser)
    contact = employers.add_contact(at, {"name": "Riikka", "email": "riikka@ex.fi"}, actor=adviser)
    db.session.commit()
    made = _introduce(f, adviser, at, contact, name="Nadia Petrov")
    f.login(client, other)
    for url in (f"/employers/{at.id}", f"/introductions/employers/{at.id}"):
        page = client.get(url).get_data(as_text=True)
        assert "Nadia Petrov" not in page and "Another adviser" in page
        assert f"/introductions/{made.id}" not in page
    lead = app.test_client()
    f.login(lead, f.user("adviser", lead=True))
    assert "Nadia Petrov" in lead.get(f"/employers/{at.id}").get_data(as_text=True)
