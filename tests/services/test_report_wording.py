"""Report wording: statuses in words, questionnaire named by title, roadmap lists, gate reasons."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from datetime import date

import pytest
from docx import Document
from flask import Flask
from markupsafe import escape
from openpyxl import load_workbook

from readiness import create_app
from readiness.domain.answers import AnswerSet
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.recommendations import answer_for_level
from readiness.services import report_export
from readiness.services.report_model import ReportData
from readiness.services.report_render import render_html
from readiness.services.reports import report_data
from tests.report_data import complete_answers

RAW_STATUSES = {"answered", "dont_know", "not_applicable", "unanswered"}


@pytest.fixture(scope="module")
def report_app() -> Iterator[Flask]:
    """An app for rendering (templates, translations); no database needed."""
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x" * 32})
    with app.app_context():
        yield app


@pytest.fixture(scope="module")
def flagship(report_app: Flask) -> Questionnaire:
    """The flagship questionnaire of the app's catalogue."""
    return report_app.extensions["catalogue"].get(report_app.config["FLAGSHIP_QUESTIONNAIRE"])


def build(q: Questionnaire, lang: str, answers: AnswerSet | None = None) -> ReportData:
    """A report of `q` in `lang` (varied answers unless `answers` is given)."""
    return report_data(
        q, answers or complete_answers(q), {}, lang=lang, when=date(2026, 3, 1), organisation="X"
    )


def best_answers(q: Questionnaire) -> AnswerSet:
    """The level-5 answer to every question."""
    return AnswerSet({question.id: answer_for_level(question, 5) for question in q.questions})


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_xlsx_status_column_is_in_words(flagship, lang):
    book = load_workbook(io.BytesIO(report_export.to_xlsx(build(flagship, lang))))
    sheet = book.worksheets[0]
    statuses = {row[4] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert statuses and not statuses & RAW_STATUSES


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_questionnaire_is_named_by_title_and_version_not_id(flagship, lang):
    data = build(flagship, lang)
    html = render_html(data)
    docx = "\n".join(
        c.text for t in Document(io.BytesIO(report_export.to_docx(data))).tables for c in t._cells
    )
    for text in (html, docx):
        assert data.questionnaire_name in text
        assert flagship.id not in text


def test_report_dates_follow_the_language(flagship):
    assert "2026年3月1日" in render_html(build(flagship, "zh"))
    assert "March 1, 2026" in render_html(build(flagship, "en"))


def test_roadmap_actions_are_list_items(flagship):
    data = build(flagship, "en")
    html = render_html(data)
    roadmap = html[html.index('id="roadmap"') : html.index('id="methodology"')]
    for horizon in data.roadmap:
        for step in horizon["steps"]:
            for action in step["actions"]:
                assert re.search(r"<li>\s*" + re.escape(_escaped(action["text"])), roadmap)
    doc = Document(io.BytesIO(report_export.to_docx(data)))
    sub_items = [p.text for p in doc.paragraphs if p.style.name == "List Bullet 2"]
    first_step = data.roadmap[0]["steps"][0]
    assert [a["text"] for a in first_step["actions"]] == sub_items[: len(first_step["actions"])]


def _escaped(text: str) -> str:
    return str(escape(text))


def test_gated_levels_say_why(flagship):
    data = build(flagship, "en")
    blocked = [r for r in (*(s.result for s in data.pillars), *data.areas) if r.gate]
    blocked = [r for r in blocked if r.gate.get("blocked_at") is not None and not r.gate["capped"]]
    assert blocked and data.gated
    text = _text(render_html(data))
    gate = blocked[0].gate
    level = gate["blocked_at"]
    expected = (
        f"Level {level} needs {gate['threshold'] * 100:.0f}% of the weighted answers at level "
        f"{level} or above; you have {gate['share'] * 100:.0f}%."
    )
    assert expected in text
    assert "so a level can sit below the band its score falls in" in text


def test_areas_at_the_top_level_say_so(flagship):
    data = build(flagship, "en", best_answers(flagship))
    assert data.top_areas and not data.recommendations
    text = _text(render_html(data))
    assert "every challenge area is already at the highest level" in text
    for area in data.top_areas:
        assert area.title in text
    doc = "\n".join(p.text for p in Document(io.BytesIO(report_export.to_docx(data))).paragraphs)
    assert doc.count("Already at the highest level") == len(data.top_areas)


def test_json_export_labels_the_rule_as_technical_in_chinese(flagship):
    zh = json.loads(report_export.to_json(build(flagship, "zh")))
    en = json.loads(report_export.to_json(build(flagship, "en")))
    assert "rule" in zh["notes"] and "notes" not in en
