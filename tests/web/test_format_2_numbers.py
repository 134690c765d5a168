"""A format-2 questionnaire of one's own (QUESTIONNAIRE_DIR) with a number item, in the web app:
the number is asked with its unit, checked against its range, scored by its bands."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import TEST_PASSWORD

INSTRUMENT = {
    "format": 2,
    "id": "tiny",
    "version": 1,
    "languages": ["en", "zh"],
    "title": {"en": "Tiny instrument", "zh": "小工具"},
    "levels": [{"level": 1, "name": {"en": "Good", "zh": "良好"}}],
    "items": [
        {
            "id": "share",
            "type": "number",
            "text": {"en": "Share of networked machines", "zh": "联网设备占比"},
            "unit": {"en": "%", "zh": "%"},
            "min": 0,
            "max": 100,
            "bands": [
                {"min": 0, "points": 0},
                {"min": 20, "points": 1.5},
                {"min": 60, "points": 3},
            ],
        },
        {
            "id": "plan",
            "type": "yes_no",
            "text": {"en": "Is there a plan?", "zh": "有规划吗？"},
            "yes_points": 2,
        },
    ],
    "nodes": [
        {
            "id": "total",
            "title": {"en": "Total", "zh": "总分"},
            "children": ["share", "plan"],
            "rule": {"method": "sum", "bands": [{"level": 1, "min": 4}]},
        }
    ],
    "root": "total",
}


@pytest.fixture
def client(make_app: Any, tmp_path: Path, make_user: Any, make_org: Any) -> FlaskClient:
    """A signed-in owner of an app whose only questionnaire is the tiny instrument."""
    folder = tmp_path / "questionnaires" / "tiny"
    folder.mkdir(parents=True)
    (folder / "1.yaml").write_text(yaml.safe_dump(INSTRUMENT, allow_unicode=True), "utf-8")
    app: Flask = make_app(QUESTIONNAIRE_DIR=str(tmp_path / "questionnaires"))
    user = make_user(name="Tian")
    make_org(owner=user, name="Tiny works")
    client = app.test_client()
    signed_in = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert signed_in.status_code == 302
    return client


def test_a_number_item_is_asked_checked_and_scored(client: FlaskClient) -> None:
    started = client.post("/assessments/new", data={"questionnaire": "tiny@1", "title": "T"})
    assert started.status_code == 302, started.text
    page_url = started.location
    aid = int(re.search(r"/assessments/(\d+)/", page_url).group(1))
    page = client.get(page_url).text
    assert "Share of networked machines" in page
    revision = re.search(r'name="base_revision"[^>]*value="(\d+)"', page).group(1)
    wrong = client.post(page_url, data={"base_revision": revision, "q__share": "140"})
    assert wrong.status_code == 200 and "140" in wrong.text  # kept as typed, not saved
    saved = client.post(
        page_url, data={"base_revision": revision, "q__share": "35", "q__plan": "yes"}
    )
    assert saved.status_code == 302, saved.text
    done = client.post(f"/assessments/{aid}/submit", data={})
    assert done.location.endswith("/results"), done.text
    results = client.get(done.location + "?lang=en").text
    # 35% reaches the 20% band: 1.5 points, plus 2 for the plan = 3.5, below level 1's 4
    assert 'title="Exact value: 3.5">3.5</span>' in results
    assert "35%" in results
