"""The flagship report carries the estimated MIIT 2024 level; other questionnaires' do not."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from readiness import create_app
from readiness.domain.answers import AnswerSet
from readiness.domain.loading import load_questionnaire
from readiness.services.report_render import render_html
from readiness.services.reports import report_data
from tests.assessment_data import MINI


@pytest.fixture(scope="module")
def report_app() -> Iterator[Flask]:
    """An app for rendering; no database needed."""
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x" * 32})
    with app.app_context():
        yield app


def test_the_flagship_report_has_the_miit_estimate_in_both_languages(report_app: Flask) -> None:
    flagship = report_app.extensions["catalogue"].get("smart-manufacturing-readiness", 1)
    answers = AnswerSet({"infrastructure.equipment_connected": 35.0})
    english = report_data(flagship, answers, {}, lang="en")
    (section,) = english.crosswalks
    assert section["settled"] == ["Share of production equipment that is networked"]
    assert (section["low"]["level"], section["high"]["level"]) == (0, 4)
    html = render_html(english)
    assert "Your estimated MIIT 2024 digital level from this questionnaire" in html
    chinese = render_html(report_data(flagship, answers, {}, lang="zh"))
    assert "最高为四级，也可能未达到最低等级" in chinese


def test_a_questionnaire_without_a_crosswalk_has_no_section(report_app: Flask) -> None:
    mini = load_questionnaire(MINI)
    data = report_data(mini, AnswerSet({}), {}, lang="en")
    assert data.crosswalks == ()
    assert "estimated MIIT" not in render_html(data)
