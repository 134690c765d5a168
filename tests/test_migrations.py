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


def test_rebuilding_a_table_keeps_the_rows_that_refer_to_it(databases) -> None:
    """i14b rebuilds `assessments` on SQLite (batch mode): its answers and scores must survive,
    and existing assessments become self-assessments."""
    import sqlalchemy as sa

    with databases.empty() as url:
        migrate.upgrade(url, "i17a")
        engine = make_engine(url)
        with engine.begin() as conn:
            for statement in (
                "INSERT INTO organisations (id, name, profile, created_at)"
                " VALUES (1, 'A', '{}', '2024-01-01')",
                "INSERT INTO assessments (id, organisation_id, questionnaire_id,"
                " questionnaire_version, title, status, profile, revision, created_at, updated_at)"
                " VALUES (1, 1, 'q', 1, 't', 'draft', '{}', 1, '2024-01-01', '2024-01-01')",
                "INSERT INTO answers (id, assessment_id, question_id, value, status, comment,"
                " evidence, updated_at, revision)"
                " VALUES (1, 1, 'x.y', '3', 'answered', '', '', '2024-01-01', 1)",
            ):
                conn.execute(sa.text(statement))
        engine.dispose()
        migrate.upgrade(url)
        engine = make_engine(url)
        with engine.connect() as conn:
            answers = conn.execute(sa.text("SELECT question_id FROM answers")).scalars().all()
            kinds = conn.execute(sa.text("SELECT kind FROM assessments")).scalars().all()
        engine.dispose()
        assert answers == ["x.y"] and kinds == ["self"]
        migrate.downgrade(url, "i17a")
        engine = make_engine(url)
        with engine.connect() as conn:
            answers = conn.execute(sa.text("SELECT question_id FROM answers")).scalars().all()
        engine.dispose()
        assert answers == ["x.y"]


def test_the_latest_flag_follows_the_official_rule_after_upgrade(databases) -> None:
    """i14c: an unconfirmed on-site evaluation flagged latest gives the flag back to the firm's
    previous result, in the benchmark pool too; downgrading flags it again."""
    import sqlalchemy as sa

    def flags(url: str) -> list[tuple]:
        engine = make_engine(url)
        with engine.connect() as conn:
            latest = conn.execute(sa.text("SELECT id, is_latest FROM assessments ORDER BY id"))
            pool = conn.execute(sa.text("SELECT assessment_id, score FROM peer_scores"))
            found = [tuple(r) for r in latest] + [tuple(r) for r in pool]
        engine.dispose()
        return found

    with databases.empty() as url:
        migrate.upgrade(url, "i14a")
        engine = make_engine(url)
        assessment = (
            "INSERT INTO assessments (id, organisation_id, questionnaire_id, questionnaire_version,"
            " title, status, profile, revision, submitted_at, overall_score, is_latest, kind,"
            " created_at, updated_at) VALUES (:id, 1, 'q', 1, 't', 'submitted', '{}', 1, :at,"
            " :score, :latest, :kind, '2026-01-01', '2026-01-01')"
        )
        with engine.begin() as conn:
            for statement, values in (
                (
                    "INSERT INTO organisations (id, name, profile, created_at) VALUES"
                    " (:id, 'F', '{}', '2026-01-01')",
                    {"id": 1},
                ),
                (
                    "INSERT INTO organisations (id, name, profile, created_at) VALUES"
                    " (:id, 'Op', '{}', '2026-01-01')",
                    {"id": 2},
                ),
                (
                    assessment,
                    {"id": 1, "at": "2026-02-01", "score": 40.0, "latest": False, "kind": "self"},
                ),
                (
                    assessment,
                    {"id": 2, "at": "2026-03-01", "score": 90.0, "latest": True, "kind": "on_site"},
                ),
                (
                    "INSERT INTO programmes (id, organisation_id, name, questionnaire_ids,"
                    " starts_on, sector_focus, repeat_after_days, revision, cohort_cache,"
                    " created_at) VALUES (1, 2, 'P', '[\"q\"]', '2026-01-01', '', 180, 0, '{}',"
                    " '2026-01-01')",
                    {},
                ),
                (
                    "INSERT INTO programme_participations (id, programme_id, organisation_id,"
                    " token_hash, consent, details, created_at) VALUES (1, 1, 1, 'h', 'results',"
                    " '{}', '2026-01-01')",
                    {},
                ),
                (
                    "INSERT INTO peer_scores (assessment_id, metric, organisation_id,"
                    " questionnaire_id, questionnaire_version, score) VALUES (2, 'overall', 1, 'q',"
                    " 1, 90)",
                    {},
                ),
            ):
                conn.execute(sa.text(statement), values)
        engine.dispose()
        migrate.upgrade(url)
        assert flags(url) == [(1, True), (2, False), (1, 40.0)]
        migrate.downgrade(url, "i14a")
        assert flags(url)[:2] == [(1, False), (2, True)]
