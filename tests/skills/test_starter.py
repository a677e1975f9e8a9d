"""The starter taxonomy: ships with the app, loads twice without change, is ESCO's own rows."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

from sqlalchemy import func, select

from hiddengems.extensions import db
from hiddengems.skills.importer import import_esco
from hiddengems.skills.models import IscoGroup, Occupation, OccupationSkill, Skill, SkillRelation
from hiddengems.skills.starter import load_starter, starter_directory
from tests.conftest import ROOT


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as source:
        return list(csv.DictReader(source))


def test_the_starter_loads_and_loading_it_again_changes_nothing(app, queries):
    summary = load_starter()
    db.session.commit()
    assert summary.changed
    assert 45 <= count(Occupation) <= 60
    assert 200 <= count(Skill) <= 400
    assert count(IscoGroup) == summary.tallies["isco_groups"].created
    assert count(OccupationSkill, OccupationSkill.relation == "essential") > 0
    assert count(OccupationSkill, OccupationSkill.relation == "optional") > 0
    assert count(SkillRelation, SkillRelation.relation == "broader") > 0
    # Every occupation has essential skills, and nothing in the files is left out.
    assert count(Occupation) == db.session.scalar(select(func.count(func.distinct(OccupationSkill.occupation_id))))
    assert all(not tally.skipped for tally in summary.tallies.values())

    with queries:
        again = load_starter()
    assert not again.changed
    assert [s for s in queries.statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))] == []


def test_the_occupations_the_issue_asks_for(app):
    load_starter()
    labels = set(db.session.scalars(select(Occupation.preferred_label)))
    for wanted in (
        "university research assistant",
        "software developer",
        "data scientist",
        "mechanical engineer",
        "primary school teacher",
        "nurse responsible for general care",
        "accountant",
        "marketing manager",
        "graphic designer",
        "administrative assistant",
        "social entrepreneur",
        "business manager",
    ):
        assert wanted in labels


def test_the_command(app, runner):
    result = runner.invoke(args=["taxonomy", "load-starter"])
    assert result.exit_code == 0, result.output
    assert "occupations: 53 created" in result.output
    again = runner.invoke(args=["taxonomy", "load-starter"])
    assert again.output.rstrip().endswith("nothing changed")


def test_the_starter_is_not_loaded_over_an_esco_import(app, esco_release, runner):
    import_esco(esco_release)
    db.session.commit()
    relations = db.session.execute(select(OccupationSkill.occupation_id, OccupationSkill.skill_id)).all()
    summary = load_starter()
    assert not summary.changed
    assert summary.note.startswith("the taxonomy has ")
    assert db.session.execute(select(OccupationSkill.occupation_id, OccupationSkill.skill_id)).all() == relations
    result = runner.invoke(args=["taxonomy", "load-starter"])
    assert "the starter was not loaded" in result.output and result.exit_code == 0


def test_the_starter_under_a_full_import_is_updated_in_place(app, esco_release):
    load_starter()
    db.session.commit()
    ids = dict(db.session.execute(select(Occupation.uri, Occupation.id)).all())
    summary = import_esco(esco_release)
    assert summary.tallies["occupations"].unchanged == len(ids)
    assert all(db.session.scalar(select(Occupation.id).where(Occupation.uri == uri)) == i for uri, i in ids.items())


def test_the_starter_is_esco_s_own_rows(esco_dir):
    starter = starter_directory()
    occupations = {row["conceptUri"]: row for row in rows(esco_dir / "occupations_en.csv")}
    for row in rows(starter / "occupations_en.csv"):
        assert row == occupations[row["conceptUri"]]
    skills = {}
    for path in esco_dir.glob("*SkillsCollection_en.csv"):
        for row in rows(path):
            skills.setdefault(row["conceptUri"], row)
    for row in rows(starter / "starterSkillsCollection_en.csv"):
        real = skills[row["conceptUri"]]
        assert (row["preferredLabel"], row["altLabels"], row["description"]) == (
            real["preferredLabel"],
            real["altLabels"],
            real["description"],
        )
        assert set(filter(None, row["broaderConceptUri"].split(" | "))) <= set(real["broaderConceptUri"].split(" | "))


def test_the_build_script_makes_the_same_files(esco_dir, tmp_path):
    spec = importlib.util.spec_from_file_location("build_starter", ROOT / "scripts" / "build_starter_taxonomy.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    script.build(esco_dir, tmp_path)
    shipped = sorted(path.name for path in starter_directory().glob("*.csv"))
    assert sorted(path.name for path in tmp_path.glob("*.csv")) == shipped
    for name in shipped:
        assert (tmp_path / name).read_bytes() == (starter_directory() / name).read_bytes(), name
