"""`readiness backup` then `readiness restore` into an empty installation: every table equal."""

from __future__ import annotations

import json
import tarfile
from datetime import date

import pytest
from sqlalchemy import text

from readiness import create_app
from readiness.cli import cli
from readiness.db import make_engine
from readiness.models import Base
from readiness.models import ParticipationRecord
from readiness.services import assessments
from readiness.services import audit
from readiness.services import cohort
from readiness.services import onsite
from readiness.services import organisations
from readiness.services import plans
from readiness.services import programmes
from readiness.services import respondents
from readiness.services import share_links
from readiness.services import tokens
from readiness.services.backup import public_config
from tests import factories
from tests.conftest import test_config
from tests.web.access_rules import flagship

TABLES = [t.name for t in Base.metadata.sorted_tables] + ["alembic_version"]


def _snapshot(url: str) -> dict[str, list[tuple]]:
    """Every row of every table as plain tuples, in a total order (a table's first column need
    not be unique, and PostgreSQL returns ties in any order)."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {
                name: sorted(
                    (tuple(r) for r in conn.execute(text(f"SELECT * FROM {name}"))), key=repr
                )
                for name in TABLES
            }
    finally:
        engine.dispose()


def _installation(db_session) -> None:
    """Rows in every table: people, a firm, assessments, answers, links, tokens, the log."""
    owner, editor = factories.make_user(db_session), factories.make_user(db_session, locale="zh")
    org = factories.make_org(
        db_session, owner, "精密 Ltd", {editor: "editor"}, {"sector": "discrete"}
    )
    q = flagship()
    done = assessments.start_assessment(db_session, org, q, owner, "Done")
    page = {"data.governance": assessments.PageAnswer("answered", 3, "注释", "ISO")}
    assessments.save_answers(db_session, done, q, page, done.revision, editor)
    assessments.submit(db_session, done, q, owner, confirm_incomplete=True)
    assessments.start_assessment(db_session, org, q, editor, "Draft")
    share_links.create_share_link(db_session, done, owner, "secret")
    tokens.create_token(db_session, owner, org.id, "ERP", "read")
    organisations.create_invitation(db_session, owner, org.id, "viewer")
    audit.record(db_session, "sign_in", actor=owner, origin=audit.Origin("10.0.0.1", "test"))
    plans.create_action(db_session, org, owner, plans.ActionFields("网络改造", owner_id=editor.id))
    visit = assessments.start_assessment(db_session, org, q, editor, "On site", kind="on_site")
    assessments.save_answers(db_session, visit, q, page, visit.revision, editor)
    assessments.submit(db_session, visit, q, editor, confirm_incomplete=True)
    onsite.review_answer(db_session, visit, owner, "data.governance", "disputed", "仅一条产线")
    team = assessments.start_assessment(db_session, org, q, owner, "Team", kind="respondents")
    respondents.assign(db_session, team, owner, {editor.id: ["data"]})
    part = respondents.respondent_for(db_session, team, editor)
    respondents.save_own_answers(db_session, part, q, page, part.revision, editor)
    given = assessments.PageAnswer("answered", 2)
    respondents.settle(db_session, team, q, owner, "data.governance", given, "见现场")
    # a programme the firm joined: participations, and the firm in the benchmark pool
    operator = factories.make_user(db_session)
    park = factories.make_org(db_session, operator, "园区")
    programme = programmes.create_programme(
        db_session, operator, park.id, "试点", [q.id], date(2026, 1, 1)
    )
    _participation, token = programmes.invite_firm(db_session, operator, programme)
    programmes.join(db_session, owner, token, org.id, "results")
    assert cohort.cohort(db_session, programme, q.id).firms == 1  # its kept counts and share
    # a participation that arrived with an imported organisation (only import makes them)
    record = {"name": "旧项目", "operator": "Park", "questionnaire_ids": [q.id]}
    db_session.add(
        ParticipationRecord(organisation_id=org.id, programme=record, status="withdrawn")
    )
    db_session.commit()


def test_round_trip_compares_every_table(make_app, db_session, databases, tmp_path) -> None:
    source = make_app(REPORT_CACHE_DIR=str(tmp_path / "cache-a"))
    (tmp_path / "cache-a").mkdir()
    (tmp_path / "cache-a" / "assessment-1-x-en-abc.pdf").write_bytes(b"%PDF-1.7 cached")
    _installation(db_session)
    before = _snapshot(source.config["DATABASE_URL"])
    assert all(before[name] for name in TABLES), [n for n in TABLES if not before[n]]
    archive = tmp_path / "backup.tar.gz"
    result = source.test_cli_runner().invoke(cli, ["backup", "-o", str(archive)])
    assert result.exit_code == 0, result.output
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        config = json.loads(tar.extractfile("config.json").read())
    assert "reports/assessment-1-x-en-abc.pdf" in names
    assert "SECRET_KEY" not in config and "test-secret" not in json.dumps(config)
    with databases.empty() as url:
        target = create_app(test_config(url, REPORT_CACHE_DIR=str(tmp_path / "cache-b")))
        try:
            result = target.test_cli_runner().invoke(cli, ["restore", str(archive)])
            assert result.exit_code == 0, result.output
            after = _snapshot(url)
            restored = [r for r in after["audit_events"] if "backup_restored" in r]
            assert len(restored) == 1, "a restore is recorded, and new rows can be inserted"
            after["audit_events"] = [r for r in after["audit_events"] if r not in restored]
            assert after == before
            copied = tmp_path / "cache-b" / "assessment-1-x-en-abc.pdf"
            assert copied.read_bytes() == b"%PDF-1.7 cached"
            # A second restore would overwrite data: refused.
            again = target.test_cli_runner().invoke(cli, ["restore", str(archive)])
            assert again.exit_code == 1 and "not empty" in again.output
        finally:
            target.extensions["readiness.db"]["engine"].dispose()


def test_a_damaged_archive_is_refused(make_app, tmp_path) -> None:
    app = make_app()
    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(b"not a tar file")
    result = app.test_cli_runner().invoke(cli, ["restore", str(bad)])
    assert result.exit_code == 1 and "not a backup archive" in result.output


@pytest.mark.parametrize(
    ("name", "kept"),
    [("SECRET_KEY", False), ("MAIL_PASSWORD", False), ("LANGUAGES", True), ("MAIL_SERVER", True)],
)
def test_public_config_keeps_no_secret(name: str, kept: bool) -> None:
    config = {name: "x", "DATABASE_URL": "postgresql+psycopg://u:pw@h/db"}
    safe = public_config(config)
    assert (name in safe) == kept
    assert "pw" not in safe["DATABASE_URL"]
