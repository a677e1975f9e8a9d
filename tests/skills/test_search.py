"""The taxonomy search: any label, no case or accents, ranked, paged, and safe with any input."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from hiddengems.extensions import db
from hiddengems.skills.esco_writer import SKILL_COLUMNS, join_labels, write_csv
from hiddengems.skills.importer import import_esco
from hiddengems.skills.models import Skill
from hiddengems.skills.queries import MAX_LIMIT, search_occupations, search_skills

URI = "http://data.europa.eu/esco/skill/test-{}"

# preferred label, alternative labels, hidden labels
SKILLS = {
    "exact": ("nurse", [], []),
    "exact-alt": ("care", ["nurse"], []),
    "prefix": ("nurse assistance", [], []),
    "prefix-alt": ("wound care", ["nurse wounds"], []),
    "prefix-longer": ("nurse the elderly at home", [], []),
    "word": ("general nurse duties", [], []),
    "contains": ("supernurse", [], []),
    "hidden": ("sick bay", [], ["nurze"]),
    "unrelated": ("nursing", ["care planning"], []),
    "accents": ("Écologie marine", ["Meeresökologie"], []),
    "c": ("C", [], []),
    "cpp": ("C++", ["C plus plus"], []),
    "csharp": ("C#", [], []),
    "r": ("R", ["R programming"], []),
    "many": ("project management", ["manage projects", "projektinhallinta"], []),
}


def write_skills(folder: Path, skills: dict[str, tuple[str, list[str], list[str]]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rows = [
        {
            "conceptType": "KnowledgeSkillCompetence",
            "conceptUri": URI.format(key),
            "skillType": "knowledge",
            "reuseLevel": "cross-sector",
            "preferredLabel": preferred,
            "altLabels": join_labels(alt),
            "hiddenLabels": join_labels(hidden),
            "status": "released",
            "description": f"The skill {preferred}.",
        }
        for key, (preferred, alt, hidden) in skills.items()
    ]
    write_csv(folder / "skills_en.csv", SKILL_COLUMNS, rows)
    return folder


@pytest.fixture
def skills(app, tmp_path) -> dict[str, int]:
    import_esco(write_skills(tmp_path / "skills", SKILLS))
    db.session.commit()
    ids = dict(db.session.execute(select(Skill.uri, Skill.id)).all())
    return {key: ids[URI.format(key)] for key in SKILLS}


def keys(page, skills: dict[str, int]) -> list[str]:
    names = {skill_id: key for key, skill_id in skills.items()}
    return [names[hit.id] for hit in page.hits]


def test_ranking_exact_prefix_word_then_contains_preferred_before_alternative(skills):
    page = search_skills("nurse")
    assert keys(page, skills) == [
        "exact",
        "exact-alt",
        "prefix",
        "prefix-longer",
        "prefix-alt",
        "word",
        "contains",
    ]
    # The hit says which label matched when it is not the preferred one.
    by_key = dict(zip(keys(page, skills), page.hits, strict=True))
    assert (by_key["exact-alt"].label, by_key["exact-alt"].matched) == ("care", "nurse")
    assert by_key["exact"].matched is None
    assert by_key["exact"].skill_type == "knowledge"


def test_words_in_any_order_and_hidden_labels(skills):
    assert keys(search_skills("duties nurse"), skills) == ["word"]
    assert keys(search_skills("manage project"), skills) == ["many"]
    assert keys(search_skills("projects man"), skills) == ["many"]
    page = search_skills("nurze")
    assert keys(page, skills) == ["hidden"] and page.hits[0].matched == "nurze"


def test_case_and_accents_do_not_matter(skills):
    for text in ("ecologie", "ÉCOLOGIE", "écolo", "Ecologie Marine", "meeresokologie", "ÖKOLOGIE"):
        assert keys(search_skills(text), skills) == ["accents"], text


def test_short_texts_and_programming_languages(skills):
    # One character finds the labels that are just it; two start the prefix search, where
    # shorter labels come first among equals: C#, then C++.
    assert keys(search_skills("c"), skills) == ["c"]
    assert keys(search_skills("c+"), skills) == ["cpp"]
    assert keys(search_skills("e"), skills) == []
    assert keys(search_skills("C++"), skills) == ["cpp"]
    assert keys(search_skills("c#"), skills) == ["csharp"]
    assert keys(search_skills("r"), skills)[0] == "r"
    assert keys(search_skills("r prog"), skills) == ["r"]


def test_pages(skills):
    first = search_skills("nurse", limit=3)
    second = search_skills("nurse", limit=3, offset=3)
    last = search_skills("nurse", limit=3, offset=6)
    assert first.has_more and second.has_more and not last.has_more
    assert keys(first, skills) + keys(second, skills) + keys(last, skills) == keys(search_skills("nurse"), skills)
    assert len(search_skills("nu", limit=10_000).hits) <= MAX_LIMIT
    assert search_skills("nurse", limit=-5).hits  # at least one
    assert search_skills("nurse", offset=-1).hits == search_skills("nurse").hits
    # As a form or a URL would send them.
    assert search_skills("nurse", limit="3", offset="3").hits == second.hits
    assert search_skills("nurse", limit="many", offset=None).hits == search_skills("nurse").hits
    assert search_skills("nurse", limit=float("inf")).hits == search_skills("nurse", limit=MAX_LIMIT).hits


def test_obsolete_concepts_are_not_found(skills):
    db.session.get(Skill, skills["exact"]).obsolete = True
    db.session.commit()
    assert "exact" not in keys(search_skills("nurse"), skills)


def test_at_most_two_queries(skills, queries):
    with queries:
        search_skills("nurse", limit=2)  # exact and prefix matches fill the page
    assert queries.count == 1
    with queries:
        search_skills("supernurse")  # then the trigram index
    assert queries.count == 2


NASTY = [
    "",
    "   ",
    "!!!",
    "...---...",
    "\x00",
    "nur\x00se",
    "\x00" * 50,
    '"',
    '""nurse""',
    "'",
    "%",
    "_",
    "*",
    "nurse*",
    "%nurse%",
    "NEAR(nurse care)",
    "nurse AND",
    "OR",
    "-nurse",
    "^nurse",
    "(",
    "{nurse}",
    "\\",
    "[a-z]",
    "nurse' OR 1=1; DROP TABLE skill; --",
    "🙂",
    "ﬁ",
    "\u0301",
    "é" * 300,
    "a b c d e f g h i j k l m n o p",
    "x" * 10_000,
    "nurse " * 2_000,
    "\ud800",
]


@pytest.mark.parametrize("text", NASTY, ids=range(len(NASTY)))
def test_any_input_gives_results_or_a_message_never_an_error(skills, text):
    for search in (search_skills, search_occupations):
        page = search(text)
        assert isinstance(page.hits, list)
        if not page.hits and text.strip(" "):
            assert page.problem is None or page.problem.endswith(".")


def test_messages_for_what_cannot_be_searched(app):
    assert search_skills("x" * 10_000).problem == "Search with at most 200 characters."
    assert search_skills("!!!").problem == "Search with letters or digits."
    assert search_skills("\x00\x00").problem == "Search with letters or digits."
    assert search_skills("   ").problem is None and search_skills(None).hits == []


def test_nul_bytes_and_punctuation_inside_a_word_are_spaces(skills):
    assert keys(search_skills("nurse\x00assistance"), skills) == ["prefix"]
    assert keys(search_skills("project-management"), skills) == ["many"]


def test_the_real_release(app, esco_release, queries):
    import_esco(esco_release)
    db.session.commit()
    assert search_occupations("data scientist").hits[0].label == "data scientist"
    assert search_occupations("data scientist").hits[0].isco_code == "2511"
    assert search_skills("python").hits[0].label == "Python (computer programming)"
    assert search_skills("PYTHON (computer").hits[0].label == "Python (computer programming)"
    nurse = search_occupations("nurse", limit=10)
    assert nurse.has_more and all("nurs" in (hit.matched or hit.label).lower() for hit in nurse.hits)
    # An alternative label: "software engineer" is one of software developer's.
    engineer = search_occupations("software engineer").hits[0]
    assert (engineer.label, engineer.matched) == ("software developer", "software engineer")
    with queries:
        search_skills("manage projects")
    assert queries.count <= 2
