"""`readiness report`: every format from an answers file or a stored assessment, one-line errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from flask import Flask
from openpyxl import load_workbook

from readiness import create_app
from readiness.cli import cli
from readiness.domain.loading import load_questionnaire
from readiness.services import assessments
from tests.assessment_data import MINI
from tests.assessment_data import write_questionnaires
from tests.conftest import test_config
from tests.report_data import ORG_NAME
from tests.report_data import pdf_text
from tests.report_data import submitted_assessment

GOOD = {
    "answers": {
        "technology.rd": {"value": 3, "comment": "budget line since 2023"},
        "technology.patents": True,
        "data.governance": "it",
        "infrastructure.network": None,
        "talent.training_hours": 30,
    },
    "profile": {"sector": "process"},
}


@pytest.fixture
def cli_app(tmp_path: Path) -> Flask:
    """An app without a database whose catalogue holds the mini questionnaire."""
    directory = write_questionnaires(tmp_path / "questionnaires", extra_questions=0)
    return create_app(
        {
            "TESTING": True,
            "QUESTIONNAIRE_DIR": str(directory),
            "SECRET_KEY": "test",
            "DATABASE_URL": "sqlite://",
        }
    )


def run_report(app: Flask, tmp_path: Path, content: dict | str, *args: str) -> Any:
    """Run `readiness report` on an answers document; return the click result."""
    path = tmp_path / "answers.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return app.test_cli_runner().invoke(cli, ["report", str(path), *args])


def test_pdf_from_an_answers_file(cli_app, tmp_path):
    out = tmp_path / "report.pdf"
    result = run_report(
        cli_app,
        tmp_path,
        GOOD,
        "--questionnaire",
        "mini",
        "--lang",
        "zh",
        "--organisation",
        ORG_NAME,
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    text = pdf_text(out.read_bytes(), tmp_path).replace(" ", "")
    assert ORG_NAME.replace(" ", "") in text
    for pillar in load_questionnaire(MINI).pillars:
        assert pillar.title.get("zh") in text


@pytest.mark.parametrize("fmt", ["html", "csv", "json", "xlsx", "docx"])
def test_other_formats_from_an_answers_file(cli_app, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    result = run_report(
        cli_app,
        tmp_path,
        GOOD,
        "--questionnaire",
        "mini",
        "--format",
        fmt,
        "--organisation",
        ORG_NAME,
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    ids = {q.id for q in load_questionnaire(MINI).questions}
    body = out.read_bytes()
    if fmt == "html":
        assert "<style>" in body.decode() and "Müller &amp; Söhne" in body.decode()
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
        assert {r["id"] for r in rows if r["kind"] == "question"} == ids
        assert next(r for r in rows if r["id"] == "technology.rd")["comment"] == (
            "budget line since 2023"
        )
    elif fmt == "json":
        assert set(json.loads(body)["result"]["questions"]) == ids
    elif fmt == "xlsx":
        book = load_workbook(io.BytesIO(body))
        assert len(list(book["Answers"].iter_rows())) == 1 + len(ids)
    else:
        assert Document(io.BytesIO(body)).paragraphs[0].text == ORG_NAME


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (
            {"answers": {"technology.rd": 9}},
            ["--questionnaire", "mini"],
            "Error: question technology.rd: level must be between 0 and 5 (got 9)",
        ),
        (
            {"answers": {"nope": 1}},
            ["--questionnaire", "mini"],
            "Error: question nope: unknown question (not in mini@1)",
        ),
        (
            "{not json",
            ["--questionnaire", "mini"],
            "Error: the answers file is not valid JSON: Expecting property name enclosed in double "
            "quotes (line 1, column 2)",
        ),
        (GOOD, ["--questionnaire", "unknown"], "Error: unknown questionnaire: unknown"),
        (
            {"answers": {}, "profile": {"sector": "mining"}},
            ["--questionnaire", "mini"],
            "Error: profile field sector: unknown option 'mining'",
        ),
    ],
)
def test_bad_input_gives_the_score_commands_one_line_errors(
    cli_app, tmp_path, content, args, message
):
    result = run_report(cli_app, tmp_path, content, *args, "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert result.output.strip() == message
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize(
    "args",
    [["-o", "x.pdf"], ["a.json", "--assessment", "1", "-o", "x.pdf"], ["a.json", "-o", "x.pdf"]],
)
def test_usage_errors(cli_app, args):
    result = cli_app.test_cli_runner().invoke(cli, ["report", *args])
    assert result.exit_code == 2
    assert "Error:" in result.output and "Traceback" not in result.output


def test_report_of_a_stored_assessment(database_url, tmp_path, make_org, make_user, db_session):
    directory = write_questionnaires(tmp_path / "questionnaires", extra_questions=0)
    app = create_app(test_config(database_url, QUESTIONNAIRE_DIR=str(directory)))
    q = app.extensions["catalogue"].get("mini", 1)
    owner = make_user(name="Olga Owner")
    org = make_org(owner=owner, name=ORG_NAME)
    done = submitted_assessment(db_session, org, owner, q)
    draft = assessments.start_assessment(db_session, org, q, owner, "Draft")
    runner = app.test_cli_runner()
    out = tmp_path / "stored.json"
    result = runner.invoke(
        cli, ["report", "--assessment", str(done.id), "--format", "json", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["organisation"] == ORG_NAME and data["filled_in_by"] == "Olga Owner"
    assert data["result"] == done.result["en"]  # the stored result, not a fresh one
    refused = runner.invoke(cli, ["report", "--assessment", str(draft.id), "-o", str(out)])
    assert refused.exit_code == 1 and "is not submitted yet" in refused.output
    missing = runner.invoke(cli, ["report", "--assessment", "9999", "-o", str(out)])
    assert missing.output.strip() == "Error: no assessment 9999"
    for number in ("9" * 30, str(2**63), str(2**31), "-5", "0"):  # one line, not a traceback
        huge = runner.invoke(cli, ["report", "--assessment", number, "-o", str(out)])
        assert huge.exit_code == 1 and huge.output.strip() == f"Error: no assessment {number}"
    app.extensions["readiness.db"]["engine"].dispose()


def test_a_miit_2024_report_from_an_answers_file(cli_app, tmp_path):
    """A format-2 questionnaire's report: native score, its levels, HTML/CSV/JSON; no Word."""
    answers = {"answers": {"foundation.systems": "e", "operations.quality": 2}}
    out = tmp_path / "miit.html"
    result = run_report(
        cli_app, tmp_path, answers, "--questionnaire", "miit-sme-digital-2024",
        "--format", "html", "--lang", "zh", "-o", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "各等级的判定条件" in page and "评测得分至少 20；本次评估：10。" in page
    csv = tmp_path / "miit.csv"
    result = run_report(
        cli_app, tmp_path, answers, "--questionnaire", "miit-sme-digital-2024",
        "--format", "csv", "-o", str(csv),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "node,foundation,Digital foundation,,10.0,10,50,," in csv.read_text("utf-8-sig")
    word = run_report(
        cli_app, tmp_path, answers, "--questionnaire", "miit-sme-digital-2024",
        "--format", "docx", "-o", str(tmp_path / "miit.docx"),
    )  # fmt: skip
    assert word.exit_code != 0
    assert "the docx report is not offered for this questionnaire" in word.output
