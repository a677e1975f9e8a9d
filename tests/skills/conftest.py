"""Fixtures of the skills tests: the real ESCO v1.2.0 files, and small releases made of real rows."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from hiddengems.skills.esco_writer import SKILL_COLUMNS, skills_from_collections, write_csv
from tests.conftest import ROOT

# ../shared beside the repository: /work/wt-skills/../shared is /work/shared.
ESCO_DIR = Path(os.environ.get("ESCO_DATA_DIR") or ROOT.parent / "shared" / "data" / "esco-v1.2.0")
TEST_DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def esco_dir() -> Path:
    """The real ESCO v1.2.0 files. Tests that need the whole release skip without them; the
    rest use the starter taxonomy, whose rows are ESCO's too and ship with the app."""
    if not (ESCO_DIR / "occupations_en.csv").is_file():
        pytest.skip(f"the ESCO v1.2.0 files are not in {ESCO_DIR} (set ESCO_DATA_DIR)")
    return ESCO_DIR


@pytest.fixture(scope="session")
def esco_release(esco_dir: Path, tmp_path_factory) -> Path:
    """The ESCO v1.2.0 folder as the download has it: skills_en.csv is built from the
    collections' real rows (the only skills in the shared folder), and the occupation-skill
    relations are the small test file of tests/skills/data (made up, see its README)."""
    folder = tmp_path_factory.mktemp("esco-v1.2.0")
    for path in esco_dir.glob("*.csv"):
        shutil.copyfile(path, folder / path.name)
    write_csv(
        folder / "skills_en.csv",
        SKILL_COLUMNS,
        skills_from_collections(sorted(esco_dir.glob("*SkillsCollection_en.csv"))),
    )
    shutil.copyfile(TEST_DATA / "occupationSkillRelations_testdata.csv", folder / "occupationSkillRelations_en.csv")
    return folder
