"""The results page and the report explain a level: range, blockers, next step, reasons."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from readiness.services import assessments as service
from tests import factories
from tests.paths import ROOT
from tests.test_i18n import compiled_catalogs  # noqa: F401  (the .mo files the pages need)

CASE = ROOT / "tests" / "expert_cases" / "10_auto_parts_outsourced_it_dont_know.json"
EMAIL = "qa@example.com"


@pytest.fixture
def submitted(app: Flask, db_session: Session) -> dict[str, Any]:
    """The outsourced-IT auto-parts firm (several "don't know" answers), submitted on v2."""
    data = json.loads(CASE.read_text(encoding="utf-8"))
    questionnaire = app.extensions["catalogue"].get("smart-manufacturing-readiness", 2)
    owner = factories.make_user(db_session, EMAIL, "Quality Manager")
    org = factories.make_org(db_session, owner, "Tier Two Stamping", {}, data["profile"])
    assessment = service.start_assessment(db_session, org, questionnaire, owner, "2026")
    page = {}
    for qid, raw in data["answers"].items():
        comment = ""
        if isinstance(raw, dict):
            raw, comment = raw["value"], raw["comment"]
        if raw is None:
            page[qid] = service.PageAnswer(service.NOT_APPLICABLE, None, comment)
        elif raw == "dont_know":
            page[qid] = service.PageAnswer(service.DONT_KNOW)
        else:
            page[qid] = service.PageAnswer(service.ANSWERED, raw, comment)
    service.save_answers(db_session, assessment, questionnaire, page, assessment.revision, owner)
    service.submit(db_session, assessment, questionnaire, owner)
    client = app.test_client()
    client.post("/login", data={"email": EMAIL, "password": factories.DEFAULT_PASSWORD})
    return {"client": client, "id": assessment.id}


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        (
            "en",
            [
                "Level range",
                "Held back by:",
                "unknown: answering it may settle the level",
                "Next step for the whole firm",
                "checked by scoring them again",
                "Ranked here because",
                "Owner:",
                "Backlog",
            ],
        ),
        (
            "zh",
            [
                "等级区间",
                "制约因素：",
                "未知：作答后可确定等级",
                "企业整体的下一步",
                "排在此处的原因",
                "负责人：",
                "待办储备",
            ],
        ),
    ],
)
def test_results_page_and_report_explain_the_level(submitted, lang, texts) -> None:
    client = submitted["client"]
    headers = {"Accept-Language": "zh-CN,zh;q=0.9" if lang == "zh" else "en"}
    page = client.get(f"/assessments/{submitted['id']}/results", headers=headers)
    assert page.status_code == 200
    report = client.get(f"/assessments/{submitted['id']}/report?lang={lang}", headers=headers)
    assert report.status_code == 200
    for text in texts:
        assert text in page.text, text
        assert text in report.text, text
