"""The flagship's results page shows the estimated MIIT 2024 level, in English and Chinese."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from readiness.services.crosswalks import CrosswalkSet
from tests.conftest import TEST_PASSWORD


@pytest.fixture
def editor(app: Flask, make_user: Any, make_org: Any) -> FlaskClient:
    """A signed-in owner of an organisation."""
    user = make_user(name="Mei")
    make_org(owner=user, name="Factory")
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.text
    return client


def _submitted(client: FlaskClient, answers: dict[str, str]) -> str:
    started = client.post(
        "/assessments/new",
        data={"questionnaire": "smart-manufacturing-readiness@1", "title": "Plant"},
    )
    assessment_id = int(re.search(r"/assessments/(\d+)/", started.location).group(1))
    saved = client.post(
        f"/assessments/{assessment_id}/pillars/infrastructure",
        data={"base_revision": "1", **answers},
    )
    assert saved.status_code == 302, saved.text
    done = client.post(f"/assessments/{assessment_id}/submit", data={"confirm_incomplete": "y"})
    assert done.location.endswith("/results"), done.text
    return done.location


def test_the_results_page_estimates_the_miit_level(editor: FlaskClient) -> None:
    url = _submitted(editor, {"q__infrastructure__equipment_connected": "35"})
    english = editor.get(url)
    assert english.status_code == 200
    text = english.text
    assert "Your estimated MIIT 2024 digital level from this questionnaire" in text
    # one settled item (networked equipment 3 of 6): worst 3 points → below level 1; best:
    # 100 - 3 = 97 with every scenario at its best → level 4
    assert "Level 4 at most; it may also be below the first level." in text
    assert "Score between 3 and 97 of 100." in text
    assert "Your answers settle 1 of its questions and narrow down 0; 30 stay open" in text
    assert "Share of production equipment that is networked · settled" in text
    chinese = editor.get(f"{url}?lang=zh").text
    assert "由本问卷答案估计工信部2024年版数字化水平" in chinese
    assert "最高为四级，也可能未达到最低等级" in chinese
    assert "生产设备联网率 · 已确定" in chinese


def test_without_a_crosswalk_no_section_is_shown(app: Flask, editor: FlaskClient) -> None:
    app.extensions["crosswalks"] = CrosswalkSet(())
    url = _submitted(editor, {"q__infrastructure__equipment_connected": "35"})
    assert "estimated MIIT" not in editor.get(url).text
