"""Report data and formats: content of ReportData, the radar chart, PDF, CSV, JSON, xlsx, docx."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC
from datetime import date
from datetime import datetime
from typing import Any

import pytest
from docx import Document
from flask import Flask
from openpyxl import load_workbook

from readiness import create_app
from readiness.domain.charts import Series
from readiness.domain.charts import radar_svg
from readiness.domain.loading import load_questionnaire
from readiness.domain.questionnaire import Questionnaire
from readiness.services import report_export
from readiness.services.report_model import ReportData
from readiness.services.report_render import cache_key
from readiness.services.report_render import cached_pdf
from readiness.services.report_render import render_html
from readiness.services.report_render import render_pdf
from readiness.services.reports import answer_text
from readiness.services.reports import report_data
from tests.assessment_data import MINI
from tests.report_data import ORG_NAME
from tests.report_data import complete_answers
from tests.report_data import pdf_fonts
from tests.report_data import pdf_text

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def report_app() -> Iterator[Flask]:
    """An app for rendering (templates, translations); the reports here need no database."""
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x" * 32})
    with app.app_context():
        yield app


@pytest.fixture(scope="module")
def flagship(report_app: Flask) -> Questionnaire:
    """The flagship questionnaire of the app's catalogue."""
    return report_app.extensions["catalogue"].get(report_app.config["FLAGSHIP_QUESTIONNAIRE"])


def build(q: Questionnaire, lang: str = "en") -> ReportData:
    """A complete report of `q` in `lang`."""
    return report_data(
        q,
        complete_answers(q),
        {},
        lang=lang,
        organisation=ORG_NAME,
        when=date(2026, 3, 1),
        filled_in_by="Ada Lovelace",
    )


@pytest.fixture(scope="module")
def english(flagship: Questionnaire) -> ReportData:
    """The flagship report in English."""
    return build(flagship, "en")


@pytest.fixture(scope="module")
def english_pdf(english: ReportData) -> bytes:
    """The English flagship report as PDF (rendered once for the module)."""
    return render_pdf(english)


def test_report_data_summary_follows_the_result_document(english: ReportData, flagship):
    doc = english.document
    assert english.overall.level == doc["overall"]["level"]
    assert english.overall_description == flagship.level(english.overall.level).description.get(
        "en"
    )
    scores = [s.result.score for s in english.pillars if s.result.score is not None]
    assert english.strongest_pillar.score == max(scores)
    assert english.weakest_pillar.score == min(scores)
    area_scores = [a.score for a in english.areas if a.score is not None]
    assert english.strongest_area.score == max(area_scores)
    assert english.weakest_area.score == min(area_scores)
    assert list(english.urgent) == doc["recommendations"][:3]
    assert [h["horizon"] for h in english.roadmap] == ["0-6", "6-18", "18-36", "backlog"]
    assert len({r["paper"] for r in english.recommendations}) == len(english.recommendations)


def test_every_question_is_in_its_pillar_with_answer_text_and_notes(english, flagship):
    rows = {
        row.id: (section.result.id, row) for section in english.pillars for row in section.questions
    }
    assert set(rows) == {q.id for q in flagship.questions}
    answers = complete_answers(flagship)
    for question in flagship.questions:
        pillar, row = rows[question.id]
        assert pillar == question.pillar
        assert row.answer_text and row.answer_text != "Not answered"
        assert row.comment == answers.comments.get(question.id, "")
    assert any(row.status == "not_applicable" and row.level is None for _, row in rows.values())


@pytest.mark.parametrize(
    ("qid", "answer", "status", "lang", "expected"),
    [
        ("technology.rd", 3, "answered", "en", "3 – Budgeted."),
        ("technology.rd", 3, "answered", "zh", "3 – 有预算。"),
        ("data.governance", "it", "answered", "zh", "IT部门"),
        ("infrastructure.network", ["wired", "fiveg"], "answered", "en", "Wired; 5G"),
        ("infrastructure.network", [], "answered", "en", "None of these"),
        ("talent.training_hours", 12, "answered", "zh", "12小时"),  # CJK unit: no space
        ("technology.patents", True, "answered", "en", "Yes"),
        ("technology.patents", None, "unanswered", "en", "Not answered"),
        ("infrastructure.network", None, "not_applicable", "en", "Not applicable"),
        ("technology.rd", "dont_know", "dont_know", "en", "Don't know"),
    ],
)
def test_answer_text(report_app, qid, answer, status, lang, expected):
    question = load_questionnaire(MINI).question(qid)
    assert answer_text(question, answer, status, lang) == expected


def test_radar_chart_is_valid_escaped_svg_readable_in_black_and_white():
    svg = radar_svg(
        ["A & <B>", "数据", "Infrastructure and security", "Talent"],
        [Series("now <1>", (1.0, 2.0, None, 5.0)), Series("next", (2.0, 3.0, 1.0, 5.0))],
    )
    root = ET.fromstring(svg)  # well-formed: every text is escaped
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "A & <B>" in texts and "now <1>" in texts
    # gridlines carry their numbers where no marker can cover them (the outer rings at least)
    assert "5" in set(texts)
    polygons = [p for p in root.iter(f"{SVG}polygon") if p.get("stroke-width") == "2"]
    assert len(polygons) == 2
    assert polygons[0].get("stroke-dasharray") is None and polygons[1].get("stroke-dasharray")
    assert len(list(root.iter(f"{SVG}circle"))) == 4 + 1  # a marker per value, one in the legend
    markers = [r for r in root.iter(f"{SVG}rect") if r.get("class") != "backdrop"]
    assert len(markers) == 4 + 1  # (the other rects are white backdrops of the ring numbers)


@pytest.mark.parametrize(
    ("labels", "series"),
    [(["a", "b"], []), (["a", "b", "c"], [Series("x", (1.0, 2.0))])],
)
def test_radar_chart_refuses_bad_input(labels, series):
    with pytest.raises(ValueError):
        radar_svg(labels, series)


def test_html_has_every_section_and_escapes_user_text(english: ReportData, flagship):
    html = render_html(english)
    for anchor in (
        "summary",
        "charts",
        "answers",
        "gaps",
        "recommendations",
        "roadmap",
        "methodology",
    ):
        assert f'id="{anchor}"' in html and f'href="#{anchor}"' in html
    assert "Präzisionsteile Müller &amp; Söhne" in html
    assert "Note &lt;0&gt; &amp; evidence" in html
    assert html.count("<svg") == 2
    for pillar in flagship.pillars:
        assert pillar.title.get("en") in html


def test_pdf_is_real_with_names_page_numbers_and_embedded_fonts(english_pdf, flagship, tmp_path):
    assert english_pdf.startswith(b"%PDF")
    text = pdf_text(english_pdf, tmp_path)
    assert ORG_NAME in text
    for pillar in flagship.pillars:
        assert pillar.title.get("en") in text
    pages = text.count("\f")
    assert re.search(rf"\b1 / {pages}\b", text) or re.search(rf"\b2 / {pages}\b", text)
    toc = re.search(r"Executive summary\s*\.{3,}\s*(\d+)", text)
    assert toc and 1 < int(toc.group(1)) <= pages  # the contents carry page numbers
    fonts = pdf_fonts(english_pdf, tmp_path)
    assert fonts and all(row[-5] == "yes" for row in fonts), fonts


def test_chinese_pdf_has_the_chinese_pillar_titles(flagship, tmp_path):
    pdf = render_pdf(build(flagship, "zh"))
    text = re.sub(r"\s+", "", pdf_text(pdf, tmp_path))
    for pillar in flagship.pillars:
        assert re.sub(r"\s+", "", pillar.title.get("zh")) in text
    fonts = pdf_fonts(pdf, tmp_path)
    assert any("CJK" in row[0] for row in fonts)
    assert all(row[-5] == "yes" for row in fonts), fonts


def test_csv_and_json_carry_every_question(english: ReportData, flagship):
    rows = list(csv.DictReader(io.StringIO(report_export.to_csv(english).lstrip("\ufeff"))))
    questions = {r["id"]: r for r in rows if r["kind"] == "question"}
    assert set(questions) == {q.id for q in flagship.questions}
    assert {r["id"] for r in rows if r["kind"] == "pillar"} == {p.id for p in flagship.pillars}
    assert [r["kind"] for r in rows].count("overall") == 1
    first = flagship.questions[0].id
    assert questions[first]["comment"] == "Note <0> & evidence"
    data = json.loads(report_export.to_json(english))
    assert data["organisation"] == ORG_NAME
    assert set(data["result"]["questions"]) == {q.id for q in flagship.questions}
    answered = {qid for qid, a in data["answers"].items() if a["status"] != "unanswered"}
    assert answered == {q.id for q in flagship.questions}


def test_xlsx_has_answers_scores_and_recommendations_sheets(english: ReportData, flagship):
    book = load_workbook(io.BytesIO(report_export.to_xlsx(english)))
    assert book.sheetnames == ["Answers", "Scores", "Recommendations"]
    answers = list(book["Answers"].iter_rows(values_only=True))
    assert len(answers) == 1 + len(flagship.questions)
    assert {row[1] for row in answers[1:]} == {q.id for q in flagship.questions}
    scores = list(book["Scores"].iter_rows(values_only=True))
    assert len(scores) == 1 + len(flagship.pillars) + len(flagship.challenge_areas) + 1
    recs = list(book["Recommendations"].iter_rows(values_only=True))
    assert [r[1] for r in recs[1:]] == [r["measure"] for r in english.recommendations]


def test_docx_opens_with_the_report_headings(english: ReportData, flagship):
    doc = Document(io.BytesIO(report_export.to_docx(english)))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    for expected in (
        "Executive summary",
        "Answers by pillar",
        "Gap analysis",
        "Recommendations",
        "Roadmap",
        "Methodology",
    ):
        assert expected in headings
    for pillar in flagship.pillars:
        assert any(h.startswith(pillar.title.get("en")) for h in headings)
    assert headings[0] == ORG_NAME


def test_render_format_refuses_unknown_formats(english: ReportData):
    with pytest.raises(ValueError, match="unknown report format"):
        report_export.render_format(english, "odt")


def test_pdf_cache_builds_once_per_key(tmp_path):
    calls: list[int] = []

    def build_pdf() -> bytes:
        calls.append(1)
        return b"%PDF-" + str(len(calls)).encode()

    key = cache_key(7, datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), "en", "Acme")
    assert cached_pdf(key, build_pdf, tmp_path) == b"%PDF-1"
    assert cached_pdf(key, build_pdf, tmp_path) == b"%PDF-1"
    assert len(calls) == 1
    others: list[Any] = [
        cache_key(7, datetime(2026, 1, 2, 3, 4, 6, tzinfo=UTC), "en", "Acme"),
        cache_key(7, datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), "zh", "Acme"),
        cache_key(8, datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), "en", "Acme"),
        cache_key(7, datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), "en", "Other name"),
    ]
    assert len({key, *others}) == 5


def test_storing_a_pdf_deletes_the_ones_it_supersedes(tmp_path):
    first, second = (datetime(2026, 1, 2, 3, 4, s, tzinfo=UTC) for s in (5, 6))
    stale = [
        cache_key(7, first, "en", "Acme"),  # the earlier submission, either language
        cache_key(7, first, "zh", "Acme"),
        cache_key(7, second, "en", "Old name"),  # this submission before a rename
    ]
    kept = [
        cache_key(7, second, "zh", "Acme"),  # this submission in the other language
        cache_key(8, first, "en", "Acme"),  # another assessment
        cache_key(70, first, "en", "Acme"),  # another assessment whose id starts alike
        "notes.txt",
    ]
    for name in stale + kept:
        (tmp_path / name).write_bytes(b"%PDF-old")
    key = cache_key(7, second, "en", "Acme")
    assert cached_pdf(key, lambda: b"%PDF-new", tmp_path) == b"%PDF-new"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([key, *kept])
