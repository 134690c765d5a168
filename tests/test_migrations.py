"""The migrations are the only schema path: head matches the models, and down/up round-trips."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from click.testing import CliRunner
from sqlalchemy import inspect

from readiness import migrate
from readiness.cli import cli
from readiness.db import make_engine
from readiness.models import Base


def _diffs(url: str) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_head_matches_models(databases) -> None:
    with databases.empty() as url:
        migrate.upgrade(url)
        assert _diffs(url) == []
        assert set(Base.metadata.tables) <= _tables(url)


def test_downgrade_to_base_and_upgrade_again(databases) -> None:
    with databases.empty() as url:
        migrate.upgrade(url)
        migrate.downgrade(url, "base")
        assert _tables(url) <= {"alembic_version"}
        migrate.upgrade(url)
        assert _diffs(url) == []


def test_each_revision_steps_down_and_up(databases) -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    revisions = list(reversed(list(script.walk_revisions())))
    with databases.empty() as url:
        for revision in revisions:
            migrate.upgrade(url, revision.revision)
            migrate.downgrade(url, "-1")
            migrate.upgrade(url, revision.revision)
        assert _diffs(url) == []


def test_migration_files_are_date_prefixed() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    for revision in script.walk_revisions():
        name = revision.path.rsplit("/", 1)[-1]
        assert name[:8].isdigit() and name[8] == "_", name


def test_cli_db_upgrade_and_downgrade(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner(env={"DATABASE_URL": url, "SECRET_KEY": ""})
    result = runner.invoke(cli, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert _diffs(url) == []
    result = runner.invoke(cli, ["db", "downgrade", "base"])
    assert result.exit_code == 0, result.output
    assert _tables(url) <= {"alembic_version"}
