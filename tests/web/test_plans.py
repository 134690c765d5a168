"""The action plan: adopt from results, the plan page, changes with history, the loop, exports."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Callable
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.models import Assessment
from readiness.models import PlanAction
from readiness.models import PlanActionChange
from readiness.services import assessments as svc
from readiness.services.plan_loop import linked_by_question
from tests.assessment_data import write_questionnaires
from tests.conftest import test_config

LOW = {
    "technology.rd": 1,
    "technology.patents": False,
    "data.governance": "nobody",
    "talent.training_hours": 30,
}
HIGH = {
    "technology.rd": 4,
    "technology.patents": True,
    "data.governance": "nobody",
    "talent.training_hours": 30,
}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def app_config(database_url: str, tmp_path: Any) -> dict[str, Any]:
    directory = write_questionnaires(tmp_path / "questionnaires", extra_questions=0)
    return test_config(database_url, QUESTIONNAIRE_DIR=str(directory))


@pytest.fixture
def team(make_user: Any, make_org: Any) -> dict[str, Any]:
    owner, editor, viewer, stranger = (make_user(name=n) for n in ("Olga", "Eddie", "Vera", "Sam"))
    org = make_org(owner=owner, name="Acme", members={editor: "editor", viewer: "viewer"})
    return {
        "org": org,
        "owner": owner,
        "editor": editor,
        "viewer": viewer,
        "other": make_org(owner=stranger, name="Other"),
        "stranger": stranger,
    }


@pytest.fixture
def submitted(app: Flask, db_session: Session, team: dict[str, Any]) -> Callable[..., int]:
    """A submitted mini assessment of Acme (optionally repeating an earlier one)."""

    def make(answers: dict[str, Any], when: datetime, previous: int | None = None) -> int:
        q = app.extensions["catalogue"].get("mini", 1)
        assessment = svc.start_assessment(db_session, team["org"], q, team["owner"], "Check")
        assessment.previous_assessment_id = previous
        page = {qid: svc.PageAnswer("answered", v) for qid, v in answers.items()}
        page["infrastructure.network"] = svc.PageAnswer("not_applicable")
        svc.save_answers(db_session, assessment, q, page, assessment.revision, team["owner"])
        svc.submit(db_session, assessment, q, team["owner"], confirm_incomplete=True)
        assessment.submitted_at = when
        db_session.commit()
        return assessment.id

    return make


def _plan(org: Any) -> str:
    return f"/organisations/{org.id}/plan"


def test_adopt_chosen_actions_and_a_horizon_from_the_results(
    app, login, submitted, team, db_session
):
    first = submitted(LOW, datetime(2025, 1, 10, tzinfo=UTC))
    editor = login("editor")
    results = editor.get(f"/assessments/{first}/results").text
    assert 'name="keys" value="6.1|budget"' in results
    assert "Add this horizon to the plan" in results
    assert 'name="keys"' not in login("viewer").get(f"/assessments/{first}/results").text
    url = f"{_plan(team['org'])}/adopt/{first}"
    response = editor.post(url, data={"keys": ["6.1|budget", "6.2|pilot"]})
    assert response.status_code == 302
    actions = db_session.scalars(select(PlanAction).order_by(PlanAction.measure_id)).all()
    assert [(a.measure_id, a.source_id, a.challenge_area) for a in actions] == [
        ("6.1", "budget", "5.1"),
        ("6.2", "pilot", "5.2"),
    ]
    # the question its recommendation names as holding the area back, not the whole area
    assert actions[0].question_ids == ["technology.patents"]
    assert actions[0].source_texts["zh"] == "设立研发预算。"
    assert (actions[0].questionnaire_id, actions[0].questionnaire_version) == ("mini", 1)
    # a whole horizon: the ones already adopted stay as they are
    editor.post(url, data={"horizon": "0-6"})
    keys = [a.source_key for a in db_session.scalars(select(PlanAction))]
    assert len(keys) == len(set(keys)) > 2
    page = editor.get(f"/assessments/{first}/results").text
    assert "In the plan: Planned" in page
    # another organisation's assessment cannot be adopted from
    assert login("stranger").post(url, data={"keys": ["6.1|budget"]}).status_code == 404
    assert login("viewer").post(url, data={"keys": ["6.1|budget"]}).status_code == 403
    q = app.extensions["catalogue"].get("mini", 1)
    draft = svc.start_assessment(db_session, team["org"], q, team["owner"], "Draft")
    draft_url = f"{_plan(team['org'])}/adopt/{draft.id}"
    assert editor.post(draft_url, data={"horizon": "0-6"}).status_code == 404  # nothing to adopt


def _new(client: FlaskClient, org: Any, **fields: Any) -> Any:
    data = {"title": "Survey the network", "status": "planned", **fields}
    return client.post(f"{_plan(org)}/new", data=data)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": "dropped"}, "Please say why the action was dropped."),
        ({"evidence_links": "https://ok.example/x\njavascript:alert(1)"}, "Not a web address"),
        ({"start_date": "2026-03-01", "due_date": "2026-02-01"}, "The due date is before"),
        ({"owner": "outside"}, "Please enter the outside person"),
        ({"owner": "user:999"}, "Not a valid choice"),
        ({"title": ""}, "Please name the action."),
        ({"due_date": "31/02/2026"}, "Not a valid date value."),
    ],
)
def test_bad_action_fields_are_refused_with_a_message(login, team, fields, message) -> None:
    response = _new(login("editor"), team["org"], **fields, notes="kept as typed")
    assert response.status_code == 422
    assert message in response.text and "kept as typed" in response.text


def test_control_characters_are_dropped_on_input(login, team, db_session) -> None:
    response = _new(login("editor"), team["org"], title="Net\x00work", notes="a\x0bb\r\nc")
    assert response.status_code == 302  # PostgreSQL would refuse the NUL
    action = db_session.scalars(select(PlanAction)).one()
    assert (action.title, action.notes) == ("Network", "a\nb\nc")  # the shared input rule
    assert _new(login("editor"), team["org"], title="\x00\x0b").status_code == 422


def test_changes_are_recorded_and_a_stale_form_is_refused(login, team, db_session) -> None:
    editor = login("editor")
    due = (date.today() - timedelta(days=3)).isoformat()
    response = _new(
        editor,
        team["org"],
        due_date=due,
        owner=f"user:{team['editor'].id}",
        indicator="machines online",
        baseline="10%",
        target="60%",
        evidence_links="https://wiki.example.com/net",
    )
    action = db_session.scalars(select(PlanAction)).one()
    assert response.headers["Location"].endswith(f"/plan/{action.id}")
    page = editor.get(_plan(team["org"]) + "/").text
    assert 'class="overdue"' in page and "Overdue" in page  # highlighted in the list
    form = {
        "title": "Survey the whole network",
        "status": "dropped",
        "dropped_reason": "moved",
        "due_date": due,
        "owner": "outside",
        "owner_name": "Mr Wang",
        "base_revision": "1",
    }
    assert editor.post(f"{_plan(team['org'])}/{action.id}/edit", data=form).status_code == 302
    # the same stale form again: refused, nothing overwritten
    stale = editor.post(f"{_plan(team['org'])}/{action.id}/edit", data={**form, "title": "X"})
    assert stale.status_code == 409
    assert "nothing was saved" in stale.text and 'value="X"' in stale.text  # input kept
    garbled = editor.post(
        f"{_plan(team['org'])}/{action.id}/edit", data={**form, "base_revision": "1e9x"}
    )
    assert garbled.status_code == 409
    db_session.expire_all()
    action = db_session.get(PlanAction, action.id)
    assert action.title == "Survey the whole network" and action.revision == 2
    changes = db_session.scalars(select(PlanActionChange).order_by(PlanActionChange.id)).all()
    assert [c.kind for c in changes] == ["created", "updated"]
    assert changes[1].user_id == team["editor"].id
    assert changes[1].changes["status"] == ["planned", "dropped"]
    assert changes[1].changes["owner_id"] == [team["editor"].id, None]
    shown = _text(login("viewer").get(f"{_plan(team['org'])}/{action.id}").text)
    assert "Eddie" in shown and "from “Planned” to “Dropped”" in shown
    assert "from “Eddie” to “—”" in shown and "Why it was dropped moved" in shown
    assert "Change status" not in shown and "Delete" not in shown  # viewers read only


def test_board_filters_and_status_buttons(login, team, db_session) -> None:
    editor = login("editor")
    _new(
        editor,
        team["org"],
        title="Wire the shop floor",
        measure_id="6.3",
        pillar="infrastructure",
        due_date=(date.today() + timedelta(days=30)).isoformat(),
        start_date=date.today().isoformat(),
    )
    _new(
        editor,
        team["org"],
        title="Start training",
        measure_id="6.4",
        owner="outside",
        owner_name="Trainer Li",
        due_date=(date.today() - timedelta(days=1)).isoformat(),
    )
    wire, training = db_session.scalars(select(PlanAction).order_by(PlanAction.id)).all()
    status_url = f"{_plan(team['org'])}/{wire.id}/status"
    training_id = training.id
    editor.post(status_url, data={"status": "done", "base_revision": "1"})
    page = editor.get(_plan(team["org"]) + "/").text
    assert page.count('class="plan-timeline"') == 1 and page.count("<rect") == 2
    assert " style=" not in page and not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert "§6.3 Build infrastructure" in page  # progress per measure, with its title
    board = page[page.index("Board by status") : page.index("All actions")]
    done_column = board[board.index('id="col-done"') : board.index('id="col-dropped"')]
    assert "Wire the shop floor" in done_column and "Start training" not in done_column
    overdue = editor.get(_plan(team["org"]) + "/?overdue=1").text
    listed = overdue[overdue.index("All actions") :]
    assert "Start training" in listed and "Wire the shop floor" not in listed
    by_owner = editor.get(_plan(team["org"]) + "/?owner=name:Trainer Li").text
    assert "Wire the shop floor" not in by_owner[by_owner.index("All actions") :]
    by_measure = _text(editor.get(_plan(team["org"]) + "/?measure=6.3").text)
    assert "Start training" not in by_measure and "100%" in by_measure  # 6.3: 1 of 1 done
    # dropping from the board needs a reason
    editor.post(
        f"{_plan(team['org'])}/{training_id}/status",
        data={"status": "dropped", "base_revision": "1"},
    )
    db_session.expire_all()
    assert db_session.get(PlanAction, training_id).status == "planned"
    # only owners delete
    assert login("editor").post(f"{_plan(team['org'])}/{training_id}/delete").status_code == 403
    assert login("owner").post(f"{_plan(team['org'])}/{training_id}/delete").status_code == 302
    db_session.expire_all()
    assert db_session.get(PlanAction, training_id) is None
    assert (
        db_session.scalars(
            select(PlanActionChange).where(PlanActionChange.action_id == training_id)
        ).all()
        == []
    )


def test_an_own_action_links_its_measure_area_and_questions(
    login, team, db_session, submitted
) -> None:
    submitted(LOW, datetime(2025, 1, 10, tzinfo=UTC))  # mini: the questionnaire Acme uses
    _new(login("editor"), team["org"], title="Train operators", measure_id="6.4")
    _new(
        login("editor"),
        team["org"],
        title="Own pick",
        measure_id="6.1",
        question_ids=["technology.patents"],
    )
    train, pick = db_session.scalars(select(PlanAction).order_by(PlanAction.id)).all()
    assert (train.challenge_area, train.question_ids) == ("5.4", ["talent.training_hours"])
    assert (train.questionnaire_id, train.questionnaire_version) == ("mini", 1)
    assert (pick.challenge_area, pick.question_ids) == ("5.1", ["technology.patents"])
    page = login("viewer").get(f"{_plan(team['org'])}/{pick.id}").text
    assert "Do you hold patents?" in page and "How mature is your R&amp;D?" not in page


def test_an_action_of_another_organisation_is_not_found(login, team, db_session) -> None:
    _new(login("stranger"), team["other"], title="Theirs")
    theirs = db_session.scalars(select(PlanAction)).one()
    me = login("owner")
    assert me.get(f"{_plan(team['org'])}/{theirs.id}").status_code == 404
    assert me.get(f"{_plan(team['other'])}/{theirs.id}").status_code == 404
    assert me.post(f"{_plan(team['org'])}/{theirs.id}/delete").status_code == 404


def test_the_loop_repeat_shows_actions_and_comparison_says_what_moved(
    app, login, submitted, team, db_session
) -> None:
    first = submitted(LOW, datetime(2025, 1, 10, tzinfo=UTC))
    editor = login("editor")
    editor.post(f"{_plan(team['org'])}/adopt/{first}", data={"keys": ["6.1|budget", "6.2|pilot"]})
    partner, mes = db_session.scalars(select(PlanAction).order_by(PlanAction.measure_id)).all()
    editor.post(
        f"{_plan(team['org'])}/{partner.id}/status", data={"status": "done", "base_revision": "1"}
    )
    editor.post(
        f"{_plan(team['org'])}/{mes.id}/status",
        data={"status": "in_progress", "base_revision": "1"},
    )
    # the repeat's pages show the linked actions next to their questions
    repeat = editor.post("/compare/repeat", data={"title": "Again"})
    draft_id = int(re.search(r"/assessments/(\d+)/", repeat.headers["Location"]).group(1))
    page = _text(editor.get(f"/assessments/{draft_id}/pillars/technology").text)
    assert "Set an R&amp;D budget line. — Done done since the last assessment" in page
    db_session.expire_all()
    draft = db_session.get(Assessment, draft_id)
    links = linked_by_question(db_session, draft, app.extensions["catalogue"].get("mini", 1))
    assert {a.title for a in links["data.governance"]} == {"Run a pilot."}
    assert [a.done_since_last for a in links["technology.patents"]] == [True]
    chinese = editor.get(f"/assessments/{draft_id}/pillars/technology?lang=zh").text
    assert "上次评估后已完成" in chinese
    # after the repeat: done actions are left out of the recommendations, open ones marked
    second = submitted(HIGH, datetime.now(UTC) + timedelta(minutes=1), previous=first)
    results = _text(editor.get(f"/assessments/{second}/results?lang=en").text)
    assert "Set an R&amp;D budget line." not in results
    assert "In the plan: In progress" in results
    # the comparison page says per measure what was done and how the scores moved
    compare = _text(editor.get(f"/compare/?ids={first}&ids={second}").text)
    section = compare[compare.index("Action plan: did it help?") :]
    row = section[section.index("§6.1") : section.index("§6.2")]
    assert "Set an R&amp;D budget line." in row and "improved" in row and "1 rose, 0 fell" in row
    # each linked question with its answer and score before and after
    assert "Do you hold patents? No (score 0.0) → Yes (score 100.0)" in row
    assert "Run a pilot. (In progress)" in section
    report = _text(editor.get(f"/compare/report.html?ids={first}&ids={second}").text)
    assert "Action plan: did it help?" in report
    assert "Do you hold patents? No (score 0.0) → Yes (score 100.0)" in report
    chinese = _text(editor.get(f"/compare/?ids={first}&ids={second}&lang=zh").text)
    assert "否（得分0.0）→是（得分100.0）" in chinese.replace(" ", "")
    if shutil.which("pdftotext") is not None:  # the PDF comparison report says the same
        pdf = editor.get(f"/compare/report.pdf?ids={first}&ids={second}&lang=en").data
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        flat = " ".join(text.split())
        assert "Action plan: did it help?" in flat and "(score 100.0)" in flat, flat[-1500:]


def test_reports_and_exports_carry_the_plan_with_formula_text_neutralised(
    login, submitted, team
) -> None:
    from docx import Document
    from icalendar import Calendar
    from openpyxl import load_workbook

    first = submitted(LOW, datetime(2025, 1, 10, tzinfo=UTC))
    editor = login("editor")
    _new(
        editor,
        team["org"],
        title='=HYPERLINK("http://evil.example","click")',
        notes="@SUM(A1)",
        due_date="2026-12-24",
        measure_id="6.2",
    )
    _new(editor, team["org"], title="No date yet")
    book = load_workbook(io.BytesIO(editor.get(_plan(team["org"]) + "/plan.xlsx").data))
    sheet = book["Plan"]
    titles = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert titles[1] == "No date yet" and titles[0].startswith("'=HYPERLINK")
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    notes = [row[14].value for row in sheet.iter_rows(min_row=2)]
    assert "'@SUM(A1)" in notes
    calendar = Calendar.from_ical(editor.get(_plan(team["org"]) + "/plan.ics").data)
    events = [c for c in calendar.walk("VEVENT")]
    assert len(events) == 1 and events[0].decoded("dtstart") == date(2026, 12, 24)
    report = load_workbook(io.BytesIO(editor.get(f"/assessments/{first}/report.xlsx").data))
    assert "Plan" in report.sheetnames
    docx = Document(io.BytesIO(editor.get(f"/assessments/{first}/report.docx").data))
    assert "Action plan" in [p.text for p in docx.paragraphs]
    html = editor.get(f"/assessments/{first}/report").text
    assert 'id="plan"' in html and "No date yet" in html
    zh = editor.get(f"/assessments/{first}/report.xlsx?lang=zh")
    assert "计划" in load_workbook(io.BytesIO(zh.data)).sheetnames


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_the_pdf_report_has_the_plan_and_is_redone_when_the_plan_moves(
    login, submitted, team, db_session, tmp_path
) -> None:
    first = submitted(LOW, datetime(2025, 1, 10, tzinfo=UTC))
    editor = login("editor")
    _new(editor, team["org"], title="Cabling", due_date="2026-12-24")

    def pdf_text(name: str) -> str:
        path = tmp_path / name
        path.write_bytes(editor.get(f"/assessments/{first}/report.pdf").data)
        return subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout

    before = pdf_text("before.pdf")
    assert "Action plan" in before and "Cabling" in before and "Planned" in before
    action = db_session.scalars(select(PlanAction)).one()
    editor.post(
        f"{_plan(team['org'])}/{action.id}/status", data={"status": "done", "base_revision": "1"}
    )
    after = pdf_text("after.pdf")  # not the cached PDF of the plan before
    row = next(line for line in after.splitlines() if "Cabling" in line)
    assert "Done" in row and "Planned" not in row


def test_report_recommendations_carry_the_plan_status_like_the_results_page(
    login, submitted, team, db_session
) -> None:
    from docx import Document

    first = submitted(LOW, datetime(2025, 1, 10, tzinfo=UTC))
    editor = login("editor")
    editor.post(f"{_plan(team['org'])}/adopt/{first}", data={"keys": ["6.1|budget", "6.2|pilot"]})
    budget, pilot = db_session.scalars(select(PlanAction).order_by(PlanAction.measure_id)).all()
    base = _plan(team["org"])
    editor.post(f"{base}/{budget.id}/status", data={"status": "done", "base_revision": "1"})
    editor.post(f"{base}/{pilot.id}/status", data={"status": "in_progress", "base_revision": "1"})
    page = editor.get(f"/assessments/{first}/report?lang=en").text
    chapter = page[page.index('<section id="recommendations"') :]
    recommendations = _text(chapter[: chapter.index("</section>")])
    chapter = page[page.index('<section id="roadmap"') :]
    roadmap = _text(chapter[: chapter.index("</section>")])
    assert "Run a pilot. In the plan: In progress" in recommendations
    assert "Set an R&amp;D budget line." not in recommendations
    assert "already done in the plan and left out" in recommendations
    assert "Set an R&amp;D budget line. In the plan: Done" in roadmap
    docx = Document(io.BytesIO(editor.get(f"/assessments/{first}/report.docx?lang=en").data))
    texts = [p.text for p in docx.paragraphs]
    assert "Run a pilot. — In the plan: In progress" in texts
    assert "Set an R&D budget line. — In the plan: Done" in texts  # in the roadmap
    assert any("already done in the plan and left out" in t for t in texts)
    zh = Document(io.BytesIO(editor.get(f"/assessments/{first}/report.docx?lang=zh").data))
    assert "开展试点。 — 已在计划中：进行中" in [p.text for p in zh.paragraphs]
