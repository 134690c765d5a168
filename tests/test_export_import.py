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
from readiness.models import Assessment
from readiness.models import AuditEvent
from readiness.models import OnSiteReview
from readiness.models import Organisation
from readiness.models import Participation
from readiness.models import ParticipationRecord
from readiness.models import PlanAction
from readiness.models import Programme
from readiness.models import RespondentAnswer
from readiness.models import Settlement
from readiness.models import User
from readiness.services import assessments
from readiness.services import comparisons
from readiness.services import onsite
from readiness.services import organisations
from readiness.services import plans
from readiness.services import programmes
from readiness.services import respondents
from readiness.services.organisation_export import SCHEMA_PATH
from tests import factories
from tests.conftest import test_config
from tests.web.access_rules import flagship


def _firm(db_session, app):
    """A firm with three people, a submitted assessment, its repeat (a draft) and notes.

    Also an on-site evaluation the firm reviewed (one answer confirmed, one disputed), a draft
    answered by two respondents (one has left since) with a settled disagreement, and a
    programme the firm joined, changed its consent for, and left, and one it operates itself.
    """
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
    page = {
        "data.governance": assessments.PageAnswer("answered", 2),
        "data.history": assessments.PageAnswer("answered", 3),
    }
    assessments.save_answers(db_session, visit, q, page, visit.revision, editor)
    assessments.submit(db_session, visit, q, editor, confirm_incomplete=True)
    onsite.review_answer(db_session, visit, owner, "data.governance", "confirmed", "")
    onsite.review_answer(db_session, visit, owner, "data.history", "disputed", "5 years = 五年")
    onsite.confirm(db_session, visit, owner)
    _respondents(db_session, org, q, owner, editor, viewer)
    _programme(db_session, org, owner)
    return org


def _respondents(db_session, org, q, owner, editor, viewer) -> None:
    team = assessments.start_assessment(db_session, org, q, owner, "Team", kind="respondents")
    respondents.assign(db_session, team, owner, {editor.id: None, viewer.id: ["data"]})
    for who, level in ((editor, 1), (viewer, 4)):
        part = respondents.respondent_for(db_session, team, who)
        page = {"data.governance": assessments.PageAnswer("answered", level, f"by {who.name}")}
        respondents.save_own_answers(db_session, part, q, page, part.revision, who)
        respondents.submit_part(db_session, part, who)
    settled = assessments.PageAnswer("answered", 2)
    respondents.settle(db_session, team, q, owner, "data.governance", settled, "=walked the floor")
    organisations.remove_member(
        db_session, viewer, org.id, viewer.id
    )  # Vi leaves, her answers stay


def _programme(db_session, org, owner) -> None:
    operator = factories.make_user(db_session, "op@example.com", "Op")
    park = factories.make_org(db_session, operator, "Park 园区")
    programme = programmes.create_programme(
        db_session,
        operator,
        park.id,
        "Pilot 试点",
        ["smart-manufacturing-readiness"],
        date(2026, 1, 1),
    )
    invitation, token = programmes.invite_firm(db_session, operator, programme)
    programmes.join(db_session, owner, token, org.id, "answers")
    programmes.set_consent(db_session, owner, org.id, invitation.id, "results")
    programmes.set_consent(db_session, owner, org.id, invitation.id, None)
    own = programmes.create_programme(
        db_session,
        owner,
        org.id,
        "Suppliers 供应商",
        ["smart-manufacturing-readiness"],
        date(2026, 2, 1),
        date(2026, 12, 31),
        "discrete",
        90,
    )
    programmes.invite_firm(db_session, owner, own, "supplier@example.com")  # not exported


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
        "schema/organisation-export-3.json",
    } <= names
    data.pop("exported_at")
    return data


def test_round_trip_into_an_empty_installation(app, db_session, databases, tmp_path) -> None:
    org = _firm(db_session, app)
    first = _export(app.test_cli_runner(), org.id, tmp_path / "one.zip")
    assert [a["previous"] for a in first["assessments"]] == [None, "a1", None, None]
    visit, team = first["assessments"][2:]
    assert (visit["kind"], visit["confirmed_by"]) == ("on_site", "boss@example.com")
    assert [
        (r["question_id"], r["verdict"], r["note"], r["reviewed_by"]) for r in visit["reviews"]
    ] == [
        ("data.governance", "confirmed", "", "boss@example.com"),
        ("data.history", "disputed", "5 years = 五年", "boss@example.com"),
    ]
    assert [
        (r["email"], r["pillars"], [a["value"] for a in r["answers"]]) for r in team["respondents"]
    ] == [
        ("ed@example.com", None, [1]),
        ("vi@example.com", ["data"], [4]),
    ]
    assert all(r["submitted_at"] for r in team["respondents"])
    [settled] = team["settlements"]
    assert (settled["value"], settled["note"], settled["settled_by"]) == (
        2,
        "=walked the floor",
        "boss@example.com",
    )
    [operated] = first["programmes"]
    assert (operated["name"], operated["ends_on"], operated["created_by"]) == (
        "Suppliers 供应商",
        "2026-12-31",
        "boss@example.com",
    )
    [joined] = first["participations"]
    assert (
        joined["programme"]["name"] == "Pilot 试点"
        and joined["programme"]["operator"] == "Park 园区"
    )
    assert (joined["status"], joined["consent"]) == ("withdrawn", None) and joined["withdrawn_at"]
    assert [(h["event"], h["from"], h["to"], h["by"]) for h in joined["history"]] == [
        ("joined", None, "answers", "boss@example.com"),
        ("changed", "answers", "results", "boss@example.com"),
        ("withdrawn", "results", None, "boss@example.com"),
    ]
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
                # the programme does not exist here: a record of the firm, no live participation
                own = session.scalars(select(Programme)).one()  # starts without firms
                assert (own.organisation_id, own.participations) == (imported.id, [])
                assert session.scalars(select(Participation)).all() == []
                record = session.scalars(select(ParticipationRecord)).one()
                assert (record.organisation_id, record.consent) == (imported.id, None)
                assert record.programme["name"] == "Pilot 试点" and len(record.history) == 3
                assert (
                    session.scalar(select(User).where(User.email == "vi@example.com")).name == "Vi"
                )
                disputed = session.scalars(
                    select(OnSiteReview).where(OnSiteReview.verdict == "disputed")
                ).one()
                assert disputed.reviewed_by.email == "boss@example.com"
                assert len(session.scalars(select(RespondentAnswer)).all()) == 2
                assert (
                    session.scalars(select(Settlement)).one().settled_by.email == "boss@example.com"
                )
                assert "kept as a record" in result.output and "without firms" in result.output
            again = _export(runner, imported.id, tmp_path / "two.zip")
        finally:
            other.extensions["readiness.db"]["engine"].dispose()
    assert again == first


def _as_version(data: dict, version: int) -> dict:
    """The export as an older format version would have written it."""
    v3_keys = ("reviews", "respondents", "settlements")
    old = {k: v for k, v in data.items() if k not in ("participations", "programmes")}
    old["assessments"] = [
        {key: value for key, value in a.items() if key not in v3_keys} for a in data["assessments"]
    ]
    if version == 1:
        old.pop("plan")
    old_schema = SCHEMA_PATH.with_name(f"organisation-export-{version}.json")
    old = {**old, "version": version, "exported_at": "2026-01-01T00:00:00.000000+00:00"}
    Draft202012Validator(json.loads(old_schema.read_text(encoding="utf-8"))).validate(old)
    return old


def _import(app, tmp_path, data: dict):
    path = tmp_path / "file.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return app.test_cli_runner().invoke(cli, ["import", str(path)])


def test_older_versions_import_people_by_email_and_bad_references_are_refused(
    app, db_session, tmp_path
) -> None:
    org = _firm(db_session, app)
    data = _export(app.test_cli_runner(), org.id, tmp_path / "a.zip")
    data["exported_at"] = "2026-01-01T00:00:00.000000+00:00"
    people = len(db_session.scalars(select(User)).all())
    for version, actions in ((1, 0), (2, 3)):
        result = _import(app, tmp_path, _as_version(data, version))
        assert result.exit_code == 0, result.output
        db_session.expire_all()
        imported = max(db_session.scalars(select(Organisation)).all(), key=lambda o: o.id)
        mine = select(PlanAction).where(PlanAction.organisation_id == imported.id)
        assert len(db_session.scalars(mine).all()) == actions
        record = select(ParticipationRecord).where(
            ParticipationRecord.organisation_id == imported.id
        )
        assert db_session.scalars(record).all() == []
    # into the same installation: people are matched by e-mail address, none is added
    assert len(db_session.scalars(select(User)).all()) == people == 4
    orgs = db_session.scalars(select(Organisation).where(Organisation.name != "Park 园区")).all()
    assert len(orgs) == 3 and {o.name for o in orgs} == {"Acme 精密"}
    bad = {**_as_version(data, 1), "plan": []}  # a version 1 file has no plan
    result = _import(app, tmp_path, bad)
    assert result.exit_code == 1 and "plan" in result.output
    counts = [len(db_session.scalars(select(t)).all()) for t in (Organisation, User, Assessment)]
    self_review = json.loads(json.dumps(data))
    self_review["assessments"][0]["reviews"] = self_review["assessments"][2]["reviews"]
    stranger = json.loads(json.dumps(data))
    stranger["assessments"][3]["settlements"][0]["settled_by"] = "nobody@example.com"
    v2_with_records = {**_as_version(data, 2), "participations": data["participations"]}
    bad_day = json.loads(json.dumps(data))
    bad_day["programmes"][0]["starts_on"] = "soon"
    twice = json.loads(json.dumps(data))
    twice["assessments"][3]["respondents"][1]["email"] = "ED@example.com"
    for refused, message in (
        (self_review, "a1: reviews belong to on-site evaluations, this one is self"),
        (stranger, "a4: settlements data.governance: nobody@example.com is not a member"),
        (v2_with_records, "'participations' was unexpected"),
        (bad_day, "programmes/0/starts_on: 'soon' is not a 'date'"),
        (twice, "a4: respondents: the same email twice"),
    ):
        result = _import(app, tmp_path, refused)
        assert result.exit_code == 1 and message in result.output, result.output
        assert "Traceback" not in result.output
        assert json.loads((tmp_path / "file.json").read_text(encoding="utf-8")) == refused
    db_session.expire_all()
    after = [len(db_session.scalars(select(t)).all()) for t in (Organisation, User, Assessment)]
    assert after == counts, "a refused file changes nothing"


def test_bad_archives_are_one_line(app, tmp_path) -> None:
    runner = app.test_cli_runner()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "readiness-organisation-export", "version": 9}))
    result = runner.invoke(cli, ["import", str(bad)])
    assert (
        result.exit_code == 1 and "version 9" in result.output and "reads 1, 2, 3" in result.output
    )
    bad.write_text('{"format": "readiness-organisation-export", "version": 1, "members": []}')
    result = runner.invoke(cli, ["import", str(bad)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    result = runner.invoke(cli, ["export", "--organisation", "999", "-o", str(tmp_path / "x")])
    assert result.exit_code == 1
