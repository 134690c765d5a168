"""Assessments that arrive submitted (an organisation import, a restore) get their summaries.

Lists, the dashboard and history read only the summary (overall score and level, one row per
pillar and challenge area), so an assessment without one would show without scores.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy import select

from readiness import create_app
from readiness import migrate
from readiness.cli import cli
from readiness.db import get_sessionmaker
from readiness.models import Assessment
from readiness.models import AssessmentScore
from readiness.services import assessments
from readiness.services import organisation_import
from tests import factories
from tests.conftest import test_config
from tests.web.access_rules import flagship


def _summary(session, assessment_id: int) -> tuple:
    """The overall score and level and every score row of one assessment, comparable."""
    a = session.get(Assessment, assessment_id)
    rows = session.execute(
        select(
            AssessmentScore.kind, AssessmentScore.key, AssessmentScore.score, AssessmentScore.level
        )
        .where(AssessmentScore.assessment_id == assessment_id)
        .order_by(AssessmentScore.kind, AssessmentScore.key)
    ).all()
    return a.overall_score, a.overall_level, [tuple(r) for r in rows]


def _archive(app, organisation_id: int, tmp_path) -> dict:
    """The checked data of the organisation's export archive (`readiness export`)."""
    path = tmp_path / "org.zip"
    result = app.test_cli_runner().invoke(
        cli, ["export", "--organisation", str(organisation_id), "-o", str(path)]
    )
    assert result.exit_code == 0, result.output
    return organisation_import.read_archive(path)


def _submitted(db_session) -> Assessment:
    owner = factories.make_user(db_session, "boss@example.com", "Boss")
    org = factories.make_org(db_session, owner, "Acme 精密")
    q = flagship()
    done = assessments.start_assessment(db_session, org, q, owner, "2025")
    page = {
        "data.governance": assessments.PageAnswer("answered", 3),
        "technology.patents": assessments.PageAnswer("not_applicable", comment="none"),
    }
    assessments.save_answers(db_session, done, q, page, done.revision, owner)
    return assessments.submit(db_session, done, q, owner, confirm_incomplete=True)


def test_an_import_scores_submitted_assessments_as_submit_did(app, db_session, tmp_path) -> None:
    done = _submitted(db_session)
    expected = _summary(db_session, done.id)
    assert expected[2], "submit wrote score rows"
    data = _archive(app, done.organisation_id, tmp_path)
    imported = organisation_import.import_organisation(
        db_session, data, catalogue=app.extensions["catalogue"]
    )
    (copy,) = db_session.scalars(
        select(Assessment).where(Assessment.organisation_id == imported.id)
    )
    assert copy.id != done.id
    assert _summary(db_session, copy.id) == expected


def test_an_import_of_an_unknown_version_reads_the_result_document(
    app, db_session, tmp_path
) -> None:
    done = _submitted(db_session)
    overall, level, rows = _summary(db_session, done.id)
    data = _archive(app, done.organisation_id, tmp_path)
    imported = organisation_import.import_organisation(db_session, data)  # no catalogue
    (copy,) = db_session.scalars(
        select(Assessment).where(Assessment.organisation_id == imported.id)
    )
    got_overall, got_level, got_rows = _summary(db_session, copy.id)
    assert got_level == level and got_overall == round(overall, 1)
    assert [(k, key, lv) for k, key, _s, lv in got_rows] == [
        (k, key, lv) for k, key, _s, lv in rows
    ]
    assert [s for *_x, s, _l in got_rows] == [
        None if s is None else round(s, 1) for *_x, s, _l in rows
    ]


def test_the_import_command_writes_summaries(app, db_session, databases, tmp_path) -> None:
    done = _submitted(db_session)
    expected = _summary(db_session, done.id)
    archive = tmp_path / "org.zip"
    runner = app.test_cli_runner()
    result = runner.invoke(
        cli, ["export", "--organisation", str(done.organisation_id), "-o", str(archive)]
    )
    assert result.exit_code == 0, result.output
    with databases.empty() as url:
        migrate.upgrade(url)
        other = create_app(test_config(url))
        try:
            result = other.test_cli_runner().invoke(cli, ["import", str(archive)])
            assert result.exit_code == 0, result.output
            with get_sessionmaker(other)() as session:
                (copy,) = session.scalars(
                    select(Assessment).where(Assessment.status == "submitted")
                )
                assert _summary(session, copy.id) == expected
        finally:
            other.extensions["readiness.db"]["engine"].dispose()


def test_a_restore_fills_summaries_missing_from_the_backup(
    make_app, db_session, databases, tmp_path
) -> None:
    source = make_app(REPORT_CACHE_DIR=str(tmp_path / "cache-a"))
    done = _submitted(db_session)
    expected = _summary(db_session, done.id)
    # As an import before this fix left it: submitted, without a summary.
    db_session.execute(delete(AssessmentScore).where(AssessmentScore.assessment_id == done.id))
    db_session.get(Assessment, done.id).overall_score = None
    db_session.get(Assessment, done.id).overall_level = None
    db_session.commit()
    changed = db_session.get(Assessment, done.id).updated_at
    archive = tmp_path / "backup.tar.gz"
    result = source.test_cli_runner().invoke(cli, ["backup", "-o", str(archive)])
    assert result.exit_code == 0, result.output
    with databases.empty() as url:
        target = create_app(test_config(url, REPORT_CACHE_DIR=str(tmp_path / "cache-b")))
        try:
            result = target.test_cli_runner().invoke(cli, ["restore", str(archive)])
            assert result.exit_code == 0, result.output
            with get_sessionmaker(target)() as session:
                assert _summary(session, done.id) == expected
                assert session.get(Assessment, done.id).updated_at == changed, "not a change"
        finally:
            target.extensions["readiness.db"]["engine"].dispose()
