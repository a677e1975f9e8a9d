"""The schema comes from the migrations; the models must say the same thing."""

from __future__ import annotations

from contextlib import contextmanager

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from hiddengems import (
    create_app,
    models,  # noqa: F401  (every domain's models registered)
)
from hiddengems.dbsetup import include_name
from hiddengems.extensions import db
from tests.conftest import ROOT


def _diff_is_real(diff) -> bool:
    # SQLite cannot tell TIMESTAMP WITH TIME ZONE from DATETIME; the type is ours either way.
    return not (isinstance(diff, list) and diff and diff[0][0] == "modify_type")


def test_models_and_migrations_agree(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False, "include_name": include_name})
        diffs = [d for d in compare_metadata(context, db.metadata) if _diff_is_real(d)]
    assert diffs == [], f"models and migrations differ; write a migration: {diffs}"


def test_migrations_have_a_single_head():
    from alembic.config import Config

    script = ScriptDirectory.from_config(_alembic_config(Config))
    assert len(script.get_heads()) == 1, f"several heads, merge them: {script.get_heads()}"


def test_every_migration_goes_down_and_up_again(template_db, tmp_path):
    """downgrade to nothing, then upgrade to the head: each downgrade undoes its upgrade
    (on a database of its own, so the suite's template stays as it is)."""
    with _scratch_database(template_db, tmp_path) as url:
        app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade(revision="heads")
            downgrade(revision="base")
            assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
            upgrade(revision="heads")
            with db.engine.connect() as connection:
                context = MigrationContext.configure(
                    connection, opts={"compare_type": False, "include_name": include_name}
                )
                diffs = [d for d in compare_metadata(context, db.metadata) if _diff_is_real(d)]
            db.engine.dispose()
        assert diffs == []


@contextmanager
def _scratch_database(template_url: str, tmp_path):
    if not template_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'roundtrip.sqlite'}"
        return
    url = make_url(template_url)
    scratch = f"{url.database}_roundtrip"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch}"'))
        connection.execute(text(f'CREATE DATABASE "{scratch}"'))
    try:
        yield url.set(database=scratch).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
        admin.dispose()


def _alembic_config(config_class):
    config = config_class(str(ROOT / "migrations" / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    return config


def test_employers_merged_in_a_chain_end_up_merged_into_the_one_that_stays(template_db, tmp_path):
    """0024_employer_merges: before it, merging A into B and then B into C left A pointing at
    B, and C's page did not find A's introductions."""
    with _scratch_database(template_db, tmp_path) as url:
        app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade(revision="0020_case_skill_cover")
            with db.engine.begin() as connection:
                for id_, into in ((1, None), (2, 1), (3, 2), (4, 3), (5, None)):
                    connection.execute(
                        text(
                            "INSERT INTO employer (id, name, sector, city, website, working_language, notes, "
                            "merged_into_id, created_at, updated_at) VALUES (:id, :name, '', '', '', 'english_ok', '', "
                            ":into, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                        ),
                        {"id": id_, "name": f"Employer {id_}", "into": into},
                    )
            upgrade(revision="heads")
            with db.engine.connect() as connection:
                merged = dict(connection.execute(text("SELECT id, merged_into_id FROM employer ORDER BY id")).all())
            db.engine.dispose()
        assert merged == {1: None, 2: 1, 3: 1, 4: 1, 5: None}
