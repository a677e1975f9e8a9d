"""The ESCO importer: real files, updates by URI, obsolete concepts, broken files, the command."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from hiddengems.extensions import db
from hiddengems.skills import search_index
from hiddengems.skills.esco import ImportFailed
from hiddengems.skills.importer import import_esco
from hiddengems.skills.models import (
    CaseSkill,
    IscoGroup,
    Occupation,
    OccupationSkill,
    Skill,
    SkillRelation,
    TaxonomyLabel,
)
from hiddengems.skills.queries import search_skills
from tests.skills.releases import occupation, skill, write_release

WRITES = ("INSERT", "UPDATE", "DELETE")

DATA_SCIENTIST = "http://data.europa.eu/esco/occupation/258e46f9-0075-4a2e-adae-1ff0477e0f30"
PYTHON = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
JAVASCRIPT = "http://data.europa.eu/esco/skill/3cd569a2-4f88-4c1e-9995-8dce8c5e51a7"
COMPUTER_PROGRAMMING = "http://data.europa.eu/esco/skill/21d2f96d-35f7-4e3f-9745-c533d2dd6e97"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def by_uri(model, uri: str):
    return db.session.scalar(select(model).where(model.uri == uri))


def writes(queries) -> list[str]:
    return [s for s in queries.statements if s.lstrip().upper().startswith(WRITES)]


# -- the real ESCO v1.2.0 files


def test_the_real_release_imports_every_concept_with_its_labels(app, esco_release):
    summary = import_esco(esco_release)
    db.session.commit()

    assert count(IscoGroup) == 619
    assert count(Occupation) == 3039
    assert count(Skill) == 2329
    assert summary.tallies["occupations"].created == 3039
    assert "researchOccupationsCollection_en.csv" in summary.ignored

    # ISCO hierarchy: a unit group's parents, down from the major group.
    unit = db.session.scalar(select(IscoGroup).where(IscoGroup.code == "2511"))
    assert [unit.parent.code, unit.parent.parent.code, unit.parent.parent.parent.code] == ["251", "25", "2"]
    assert unit.parent.parent.parent.parent is None

    # Main files: one alternative label per line; descriptions keep their line breaks.
    director = by_uri(Occupation, "http://data.europa.eu/esco/occupation/00030d09-2b3a-4efd-87cc-c4ea39d27c34")
    assert director.preferred_label == "technical director"
    assert director.alt_labels[:2] == ["technical and operations director", "head of technical"]
    assert director.code == "2654.1.7"
    assert director.isco_group.code == "2654"
    armed = db.session.scalar(select(IscoGroup).where(IscoGroup.code == "0"))
    assert "\n01  Commissioned Armed Forces Officers" in armed.description

    # Collections: " | " between labels, read the same through skills_en.csv.
    haskell = by_uri(Skill, "http://data.europa.eu/esco/skill/000f1d3d-220f-4789-9c0a-cc742521fb02")
    assert (haskell.preferred_label, haskell.alt_labels) == ("Haskell", ["Haskell techniques"])
    assert (haskell.skill_type, haskell.reuse_level) == ("knowledge", "sector-specific")

    # Broader links of the collections that point at skills; the rest (skill groups, ISCED
    # fields) and the relations to skills outside the collections are skipped, and counted.
    javascript = by_uri(Skill, JAVASCRIPT)
    broader = db.session.scalars(
        select(SkillRelation.related_skill_id).where(
            SkillRelation.skill_id == javascript.id, SkillRelation.relation == "broader"
        )
    ).all()
    assert by_uri(Skill, COMPUTER_PROGRAMMING).id in broader
    skipped = summary.tallies["skill_relations"].skipped
    assert sum(skipped.values()) > 0 and all(isinstance(reason, str) for reason in skipped)

    # The test relations file: 21 lines, all known.
    assert count(OccupationSkill) == 21
    scientist = by_uri(Occupation, DATA_SCIENTIST)
    essential = db.session.scalar(
        select(OccupationSkill.relation).where(
            OccupationSkill.occupation_id == scientist.id, OccupationSkill.skill_id == by_uri(Skill, PYTHON).id
        )
    )
    assert essential == "essential"

    # Every label is searchable once, normalised; the FTS index agrees with the labels.
    labels = db.session.scalars(select(TaxonomyLabel.normalised).where(TaxonomyLabel.occupation_id == director.id))
    assert "technical director" in set(labels)
    search_index.check()
    assert search_skills("haskell").hits[0].id == haskell.id


def test_importing_the_same_release_again_changes_nothing(app, esco_release, queries):
    import_esco(esco_release)
    db.session.commit()
    ids = dict(db.session.execute(select(Skill.uri, Skill.id)).all())
    labels = count(TaxonomyLabel)

    with queries:
        summary = import_esco(esco_release)
    db.session.commit()

    assert not summary.changed
    assert summary.tallies["skills"].unchanged == 2329
    assert summary.tallies["occupations"].unchanged == 3039
    assert summary.tallies["occupation_skills"].unchanged == 21
    assert writes(queries) == []
    assert dict(db.session.execute(select(Skill.uri, Skill.id)).all()) == ids
    assert count(TaxonomyLabel) == labels


# -- small releases of real rows


def test_a_new_release_updates_by_uri_and_marks_what_left_obsolete(app, f, tmp_path):
    first = write_release(
        tmp_path / "v1",
        occupations=["data scientist", "software developer"],
        skills=["data science", "perform data analysis", "computer programming", "machine learning"],
    )
    import_esco(first)
    db.session.commit()
    science = by_uri(Skill, skill("data science")["conceptUri"])
    learning_uri = skill("machine learning")["conceptUri"]
    # A spouse's profile points at the skill by id.
    spouse = f.user("spouse")
    held = CaseSkill(case_id=f.case_of(spouse).id, skill_id=science.id, level="advanced", source="work")
    db.session.add(held)
    db.session.commit()

    second = write_release(
        tmp_path / "v2",
        occupations=["data scientist"],
        skills=["data science", "perform data analysis", "computer programming"],
        changes={"data science": {"preferredLabel": "data science (renamed)", "altLabels": "statistical learning"}},
    )
    summary = import_esco(second)
    db.session.commit()

    assert summary.tallies["skills"].updated == 1
    assert summary.tallies["skills"].unchanged == 2
    assert summary.tallies["skills"].obsoleted == 1
    assert summary.tallies["occupations"].obsoleted == 1
    renamed = by_uri(Skill, science.uri)
    assert renamed.id == science.id and renamed.preferred_label == "data science (renamed)"
    assert db.session.get(CaseSkill, held.id).skill_id == science.id
    learning = by_uri(Skill, learning_uri)
    assert learning.obsolete and not renamed.obsolete
    assert by_uri(Occupation, occupation("software developer")["conceptUri"]).obsolete
    # The search follows the labels: the new one is found, the old alternative ones and the
    # obsolete skill are not.
    assert [hit.id for hit in search_skills("statistical learning").hits] == [science.id]
    assert search_skills("machine learning").hits == []
    search_index.check()
    # Relations the new release no longer lists are gone.
    developer = by_uri(Occupation, occupation("software developer")["conceptUri"])
    assert count(OccupationSkill) == db.session.scalar(
        select(func.count()).select_from(OccupationSkill).where(OccupationSkill.occupation_id != developer.id)
    )

    # The concept comes back in a later release: no longer obsolete, same row.
    third = write_release(tmp_path / "v3", skills=["machine learning"], isco=False, relations=False)
    import_esco(third, complete=False)
    db.session.commit()
    assert by_uri(Skill, learning_uri).id == learning.id
    assert not by_uri(Skill, learning_uri).obsolete


def test_a_partial_import_marks_nothing_obsolete(app, tmp_path):
    import_esco(write_release(tmp_path / "all", occupations=["data scientist", "accountant"], skills=["data science"]))
    summary = import_esco(write_release(tmp_path / "part", occupations=["data scientist"]), complete=False)
    db.session.commit()
    assert summary.tallies["occupations"].obsoleted == 0
    assert db.session.scalar(select(func.count()).select_from(Occupation).where(Occupation.obsolete)) == 0


def test_a_relation_type_change_updates_and_a_dropped_line_is_removed(app, tmp_path):
    folder = write_release(tmp_path / "v1", occupations=["data analyst"], skills=["SQL", "use databases"])
    import_esco(folder)
    relations = (folder / "occupationSkillRelations_en.csv").read_text(encoding="utf-8").splitlines()
    header, lines = relations[0], relations[1:]
    sql = skill("SQL")["conceptUri"]
    kept = [line.replace("optional", "essential") for line in lines if sql in line]
    (folder / "occupationSkillRelations_en.csv").write_text("\r\n".join([header, *kept]) + "\r\n", encoding="utf-8")

    summary = import_esco(folder)
    db.session.commit()

    tally = summary.tallies["occupation_skills"]
    assert (tally.updated, tally.removed, tally.created) == (1, 1, 0)
    assert db.session.execute(select(OccupationSkill.relation)).scalars().all() == ["essential"]


def test_relations_to_unknown_concepts_are_skipped_with_the_reason(app, tmp_path):
    folder = write_release(tmp_path / "r", occupations=["data analyst"], skills=["SQL"], relations=False)
    other_skill = "http://data.europa.eu/esco/skill/00000000-0000-0000-0000-000000000001"
    other_occupation = "http://data.europa.eu/esco/occupation/00000000-0000-0000-0000-000000000002"
    analyst, sql = occupation("data analyst")["conceptUri"], skill("SQL")["conceptUri"]
    (folder / "occupationSkillRelations_en.csv").write_text(
        "occupationUri,relationType,skillType,skillUri\r\n"
        f"{analyst},essential,knowledge,{sql}\r\n"
        f"{analyst},optional,knowledge,{sql}\r\n"
        f"{analyst},essential,knowledge,{other_skill}\r\n"
        f"{other_occupation},essential,knowledge,{sql}\r\n",
        encoding="utf-8",
    )
    summary = import_esco(folder)
    tally = summary.tallies["occupation_skills"]
    assert tally.created == 1
    assert dict(tally.skipped) == {
        "a skill that is not in the taxonomy": 1,
        "an occupation that is not in the taxonomy": 1,
        "listed twice (the first kept)": 1,
    }


def test_an_occupation_needs_its_isco_group(app, tmp_path):
    folder = write_release(tmp_path / "o", occupations=["data analyst"], isco=False)
    with pytest.raises(ImportFailed) as failed:
        import_esco(folder)
    [problem] = failed.value.problems
    assert (problem.file, problem.line) == ("occupations_en.csv", 2)
    assert "ISCO group 2511" in problem.message
    assert count(Occupation) == 0


# -- broken files: reported with file and line, nothing imported


def _broken(folder: Path, name: str, content: bytes) -> Path:
    (folder / name).write_bytes(content)
    return folder


def _skills_file(rows: list[str]) -> bytes:
    header = "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,description"
    return ("\r\n".join([header, *rows]) + "\r\n").encode()


GOOD = 'KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/{id},knowledge,cross-sector,{label},"a\nb","x\ny"'
UUID = "00000000-0000-0000-0000-00000000000{}"


@pytest.mark.parametrize(
    ("name", "content", "line", "words"),
    [
        (
            "skills_en.csv",
            b"conceptType,conceptUri,skillType,reuseLevel,altLabels,description\r\n",
            1,
            "missing column preferredLabel",
        ),
        (
            "skills_en.csv",
            _skills_file([GOOD.format(id=UUID.format(1), label="one"), GOOD.replace("esco/skill/{id}", "not a uri")]),
            5,
            "is not a URI",
        ),
        (
            "skills_en.csv",
            _skills_file([GOOD.format(id=UUID.format(1), label="one"), "KnowledgeSkillCompetence,http://x.org/s/2"]),
            5,
            "2 fields where the header has 7",
        ),
        (
            "skills_en.csv",
            _skills_file([GOOD.format(id=UUID.format(1), label="one")])
            + b'KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/x,knowledge,cross-sector,two,"a\nb',
            5,
            "cannot be read as CSV",
        ),
        (
            "skills_en.csv",
            _skills_file([GOOD.format(id=UUID.format(1), label="one"), GOOD.format(id=UUID.format(2), label="caf\xe9")])
            .decode()
            .encode("latin-1"),
            5,
            "not UTF-8",
        ),
        (
            "skills_en.csv",
            _skills_file([GOOD.format(id=UUID.format(1), label="one"), GOOD.format(id=UUID.format(1), label="two")]),
            5,
            "also on line 2",
        ),
        (
            "skills_en.csv",
            _skills_file([GOOD.format(id=UUID.format(1), label="one").replace("knowledge", "talent")]),
            2,
            "unknown skill type talent",
        ),
        (
            "skills_en.csv",
            _skills_file([GOOD.replace("skill/{id}", "occupation/{id}").format(id=UUID.format(1), label="one")]),
            2,
            "not an ESCO skill URI",
        ),
        (
            "occupationSkillRelations_en.csv",
            b"occupationUri,relationType,skillUri\r\n"
            b"http://data.europa.eu/esco/occupation/a,vital,http://data.europa.eu/esco/skill/b\r\n",
            2,
            "unknown relation type vital",
        ),
        (
            "ISCOGroups_en.csv",
            b"conceptUri,code,preferredLabel\r\nhttp://data.europa.eu/esco/isco/C2x,2x,x\r\n",
            2,
            "2x",
        ),
        ("skills_en.csv", b"", 1, "empty"),
    ],
    ids=[
        "missing-column",
        "bad-uri",
        "truncated-row",
        "unclosed-quote",
        "encoding",
        "duplicate",
        "skill-type",
        "uri-kind",
        "relation",
        "isco-code",
        "empty",
    ],
)
def test_a_broken_file_is_reported_with_its_line_and_nothing_is_imported(app, tmp_path, name, content, line, words):
    import_esco(write_release(tmp_path / "before", occupations=["data analyst"], skills=["SQL"]))
    db.session.commit()
    before = (count(Occupation), count(Skill), count(TaxonomyLabel), count(OccupationSkill))
    folder = write_release(tmp_path / "broken", occupations=["data analyst", "accountant"], skills=["use databases"])
    _broken(folder, name, content)

    with pytest.raises(ImportFailed) as failed:
        import_esco(folder)
    db.session.rollback()

    problem = failed.value.problems[0]
    assert (problem.file, problem.line) == (name, line)
    assert words in problem.message
    assert str(problem).startswith(f"{name}, line {line}: ")
    assert (count(Occupation), count(Skill), count(TaxonomyLabel), count(OccupationSkill)) == before


def test_problems_in_several_files_are_all_reported(app, tmp_path):
    _broken(tmp_path, "skills_en.csv", b"conceptUri\r\n")
    _broken(tmp_path, "occupations_en.csv", b"conceptUri,iscoGroup\r\n")
    with pytest.raises(ImportFailed) as failed:
        import_esco(tmp_path)
    assert {problem.file for problem in failed.value.problems} == {"skills_en.csv", "occupations_en.csv"}


def test_a_folder_without_esco_files_or_with_two_languages_is_refused(app, tmp_path):
    with pytest.raises(ImportFailed, match="1 problems") as failed:
        import_esco(tmp_path)
    assert "no ESCO files" in failed.value.problems[0].message
    folder = write_release(tmp_path / "two", occupations=["data analyst"])
    shutil.copyfile(folder / "occupations_en.csv", folder / "occupations_fi.csv")
    with pytest.raises(ImportFailed) as failed:
        import_esco(folder)
    assert "occupations_en.csv, occupations_fi.csv" in failed.value.problems[0].message


def test_relations_need_their_concepts(app, tmp_path):
    folder = write_release(tmp_path / "rel", occupations=["data analyst"], skills=["SQL"])
    for name in ("ISCOGroups_en.csv", "occupations_en.csv", "skills_en.csv"):
        (folder / name).unlink()
    with pytest.raises(ImportFailed) as failed:
        import_esco(folder)
    assert [problem.message for problem in failed.value.problems] == [
        "needs occupations: add their file to the folder, or import them first",
        "needs skills: add their file to the folder, or import them first",
    ]


def test_labels_are_split_trimmed_and_deduplicated(app, tmp_path):
    row = skill("SQL")
    folder = write_release(
        tmp_path / "labels",
        skills=["SQL"],
        changes={"SQL": {"altLabels": "Structured  Query Language\n\nstructured query language\nSQL\n  sequel  "}},
    )
    import_esco(folder)
    sql = by_uri(Skill, row["conceptUri"])
    assert sql.alt_labels == ["Structured Query Language", "structured query language", "SQL", "sequel"]
    labels = db.session.execute(
        select(TaxonomyLabel.kind, TaxonomyLabel.normalised).where(TaxonomyLabel.skill_id == sql.id)
    ).all()
    # One search row per normalised text, the best kind kept.
    assert sorted(labels) == [("alt", "sequel"), ("alt", "structured query language"), ("preferred", "sql")]


# -- the command


def test_the_command_prints_a_summary_and_commits(app, runner, tmp_path):
    folder = write_release(tmp_path / "cmd", occupations=["data analyst"], skills=["SQL", "use databases"])
    result = runner.invoke(args=["taxonomy", "import-esco", str(folder)])
    assert result.exit_code == 0, result.output
    assert "occupations: 1 created, 0 updated, 0 unchanged" in result.output
    assert "skills: 2 created" in result.output
    assert result.output.rstrip().endswith("changed")
    db.session.remove()
    assert count(Skill) == 2

    again = runner.invoke(args=["taxonomy", "import-esco", str(folder)])
    assert "skills: 0 created, 0 updated, 2 unchanged" in again.output
    assert again.output.rstrip().endswith("nothing changed")


def test_the_command_reports_a_broken_file_and_imports_nothing(app, runner, tmp_path):
    folder = write_release(tmp_path / "bad", occupations=["data analyst"], skills=["SQL"])
    _broken(folder, "skills_en.csv", _skills_file(['x,"not closed']))
    result = runner.invoke(args=["taxonomy", "import-esco", str(folder)])
    assert result.exit_code == 1
    assert "skills_en.csv, line 2: cannot be read as CSV" in result.output
    assert "nothing was imported" in result.output
    db.session.remove()
    assert count(Occupation) == 0


def test_progress_is_reported_by_phase(app, tmp_path):
    folder = write_release(tmp_path / "p", occupations=["data analyst"], skills=["SQL"])
    seen: list[tuple[str, int, int]] = []

    class Bar:
        def __init__(self, label: str, total: int) -> None:
            self.label, self.total, self.done = label, total, 0

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            seen.append((self.label, self.done, self.total))

        def update(self, n: int) -> None:
            self.done += n

    import_esco(folder, progress=Bar)
    assert seen == [("Reading files", 4, 4), ("Writing", 90, 90)]  # 87 ISCO groups, 1 occupation, 1 skill, 1 link
