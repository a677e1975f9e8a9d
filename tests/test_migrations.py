"""The schema comes from the migrations; the models must say the same thing."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from hiddengems import models  # noqa: F401  (every domain's models registered)
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


def _alembic_config(config_class):
    config = config_class(str(ROOT / "migrations" / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    return config
