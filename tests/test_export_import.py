"""Export an organisation, import it into an empty installation, export again: the same data."""

from __future__ import annotations

import json
import zipfile
from datetime import date

from jsonschema import Draft202012Validator
from sqlalchemy import select

from readiness import create_app
from readiness import migrate
from readiness.cli import cli
from readiness.db import get_sessionmaker
from readiness.domain.plan_links import candidates
from readiness.models import AuditEvent
from readiness.models import Organisation
from readiness.models import PlanAction
from readiness.models import User
from readiness.services import assessments
from readiness.services import comparisons
from readiness.services import onsite
from readiness.services import plans
from readiness.services.organisation_export import SCHEMA_PATH
from tests import factories
from tests.conftest import test_config
from tests.web.access_rules import flagship


def _firm(db_session, app):
    """A firm with three people, a submitted assessment, its repeat (a draft) and notes."""
    owner = factories.make_user(db_session, "boss@example.com", "Boss")
    editor = factories.make_user(db_session, "ed@example.com", "Ed", locale="zh")
    viewer = factories.make_user(db_session, "vi@example.com", "Vi")
    org = factories.make_org(
        db_session, owner, "Acme 精密", {editor: "editor", viewer: "viewer"}, {"sector": "process"}
    )
    q = flagship()
    first = assessments.start_assessment(db_session, org, q, owner, "2025")
    page = {
        "data.governance": assessments.PageAnswer("answered", 3, "注释", "ISO 9001"),
        "data.history": assessments.PageAnswer("dont_know"),
        "technology.patents": assessments.PageAnswer("not_applicable", comment="none"),
    }
    assessments.save_answers(db_session, first, q, page, first.revision, editor)
    assessments.submit(db_session, first, q, owner, confirm_incomplete=True)
    comparisons.repeat_assessment(db_session, org, editor, app.extensions["catalogue"], "2026")
    _plan(db_session, org, first, owner, editor)
    visit = assessments.start_assessment(db_session, org, q, editor, "On site", kind="on_site")
    page = {"data.governance": assessments.PageAnswer("answered", 2)}
    assessments.save_answers(db_session, visit, q, page, visit.revision, editor)
    assessments.submit(db_session, visit, q, editor, confirm_incomplete=True)
    onsite.review_answer(db_session, visit, owner, "data.governance", "confirmed", "")
    onsite.confirm(db_session, visit, owner)
    return org


def _plan(db_session, org, first, owner, editor) -> None:
    """Adopted and own actions, owned by a member and by an outside person, with history."""
    offered = candidates(flagship(), assessments.stored_result(db_session, first, "en"))
    adopted = plans.adopt(db_session, org, editor, first, offered[:2]).added
    fields = plans.ActionFields.of(adopted[0])
    fields.owner_id, fields.due_date, fields.status = editor.id, date(2026, 3, 1), "in_progress"
    plans.update_action(db_session, adopted[0], owner, fields, adopted[0].revision)
    plans.set_status(db_session, adopted[1], editor, "dropped", adopted[1].revision, "too dear")
    own = plans.ActionFields(
        "Schulung 培训",
        measure_id="6.4",
        challenge_area="5.4",
        question_ids=["talent.training_hours"],
        owner_name="Trainer outside",
        owner_email="trainer@example.org",
        start_date=date(2026, 1, 5),
        evidence_links=["https://example.org/plan"],
        indicator="hours",
        baseline="10",
        target="40",
    )
    action = plans.create_action(
        db_session, org, owner, own, questionnaire=("smart-manufacturing-readiness", 2)
    )
    plans.set_status(db_session, action, owner, "done", action.revision)


def _export(runner, org_id: int, path) -> dict:
    result = runner.invoke(cli, ["export", "--organisation", str(org_id), "-o", str(path)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(path) as archive:
        data = json.loads(archive.read("organisation.json"))
        names = set(archive.namelist())
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator(schema).validate(data)
    assert {
        "reports/a1-en.html",
        "reports/a1-zh.json",
        "schema/organisation-export-2.json",
    } <= names
    data.pop("exported_at")
    return data


def test_round_trip_into_an_empty_installation(app, db_session, databases, tmp_path) -> None:
    org = _firm(db_session, app)
    first = _export(app.test_cli_runner(), org.id, tmp_path / "one.zip")
    assert [a["previous"] for a in first["assessments"]] == [None, "a1", None]
    visit = first["assessments"][2]
    assert (visit["kind"], visit["confirmed_by"]) == ("on_site", "boss@example.com")
    plan = first["plan"]
    assert [a["status"] for a in plan] == ["in_progress", "dropped", "done"]
    assert plan[0]["owner"] == "ed@example.com" and plan[0]["source_assessment"] == "a1"
    assert plan[2]["owner"] is None and plan[2]["owner_email"] == "trainer@example.org"
    assert plan[0]["history"][-1]["changes"]["owner"] == [None, "ed@example.com"]
    assert plan[0]["history"][0]["changes"]["source_assessment"] == [None, "a1"]
    assert [c["by"] for c in plan[0]["history"]] == ["ed@example.com", "boss@example.com"]
    with databases.empty() as url:
        migrate.upgrade(url)
        other = create_app(test_config(url))
        try:
            runner = other.test_cli_runner()
            result = runner.invoke(cli, ["import", str(tmp_path / "one.zip")])
            assert result.exit_code == 0, result.output
            with get_sessionmaker(other)() as session:
                imported = session.scalars(select(Organisation)).one()
                assert (
                    session.scalar(select(User).where(User.email == "ed@example.com")).locale
                    == "zh"
                )
                actions = [e.action for e in session.scalars(select(AuditEvent))]
                assert actions == ["organisation_imported"]
                owned = session.scalars(select(PlanAction).order_by(PlanAction.id)).first()
                assert owned.owner.email == "ed@example.com"
                assert len(owned.changes) == 2 and owned.changes[1].user.email == "boss@example.com"
            again = _export(runner, imported.id, tmp_path / "two.zip")
        finally:
            other.extensions["readiness.db"]["engine"].dispose()
    assert again == first


def test_import_maps_people_by_email(app, db_session, tmp_path) -> None:
    org = _firm(db_session, app)
    runner = app.test_cli_runner()
    _export(runner, org.id, tmp_path / "a.zip")
    result = runner.invoke(cli, ["import", str(tmp_path / "a.zip")])
    assert result.exit_code == 0, result.output
    db_session.expire_all()
    assert len(db_session.scalars(select(User)).all()) == 3, "the same three people"
    orgs = db_session.scalars(select(Organisation)).all()
    assert len(orgs) == 2 and {o.name for o in orgs} == {"Acme 精密"}


def test_a_version_1_archive_still_imports(app, db_session, tmp_path) -> None:
    org = _firm(db_session, app)
    data = _export(app.test_cli_runner(), org.id, tmp_path / "a.zip")
    data.pop("plan")
    old = {**data, "version": 1, "exported_at": "2026-01-01T00:00:00.000000+00:00"}
    v1_schema = SCHEMA_PATH.with_name("organisation-export-1.json")
    Draft202012Validator(json.loads(v1_schema.read_text(encoding="utf-8"))).validate(old)
    (tmp_path / "old.json").write_text(json.dumps(old), encoding="utf-8")
    result = app.test_cli_runner().invoke(cli, ["import", str(tmp_path / "old.json")])
    assert result.exit_code == 0, result.output
    db_session.expire_all()
    imported = max(db_session.scalars(select(Organisation)).all(), key=lambda o: o.id)
    assert (
        db_session.scalars(
            select(PlanAction).where(PlanAction.organisation_id == imported.id)
        ).all()
        == []
    )
    bad = {**old, "plan": []}  # a version 1 file has no plan
    (tmp_path / "bad.json").write_text(json.dumps(bad), encoding="utf-8")
    result = app.test_cli_runner().invoke(cli, ["import", str(tmp_path / "bad.json")])
    assert result.exit_code == 1 and "plan" in result.output


def test_bad_archives_are_one_line(app, tmp_path) -> None:
    runner = app.test_cli_runner()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "readiness-organisation-export", "version": 9}))
    result = runner.invoke(cli, ["import", str(bad)])
    assert result.exit_code == 1 and "version 9" in result.output and "reads 1, 2" in result.output
    bad.write_text('{"format": "readiness-organisation-export", "version": 1, "members": []}')
    result = runner.invoke(cli, ["import", str(bad)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    result = runner.invoke(cli, ["export", "--organisation", "999", "-o", str(tmp_path / "x")])
    assert result.exit_code == 1
