"""The repeat of a version-1 flagship assessment in version 2, through the web client.

The fill page's "Last time" hints and the prefill both follow version 2's map of the
version-1 question IDs: a renamed question shows its old answer, read against the question it
answered; a question that now asks something else (`previous.changed_meaning`) says so and is
never prefilled.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from sqlalchemy import select

from readiness.models import Answer
from readiness.models import Assessment
from readiness.services import assessments as svc
from tests.conftest import TEST_PASSWORD

FLAGSHIP = "smart-manufacturing-readiness"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", html)))


def test_last_time_and_prefill_follow_the_version_map(app, db_session, make_user, make_org) -> None:
    owner = make_user(name="Olga")
    org = make_org(owner=owner, name="Acme")
    v1 = app.extensions["catalogue"].get(FLAGSHIP, 1)
    first = svc.start_assessment(db_session, org, v1, owner, "2024")
    page: dict[str, Any] = {
        "technology.roadmap": svc.PageAnswer("answered", 2, "kept by the plant manager", ""),
        "infrastructure.security_incident": svc.PageAnswer("answered", False),
        "talent.recruitment": svc.PageAnswer("answered", "long_delay"),
    }
    svc.save_answers(db_session, first, v1, page, first.revision, owner)
    svc.submit(db_session, first, v1, owner, confirm_incomplete=True)

    client = app.test_client()
    login = client.post("/login", data={"email": owner.email, "password": TEST_PASSWORD})
    assert login.status_code == 302
    response = client.post("/compare/repeat", data={"title": "On version 2"})
    assert response.status_code == 302
    new_id = int(re.search(r"/assessments/(\d+)/", response.location).group(1))
    db_session.expire_all()
    assert db_session.get(Assessment, new_id).questionnaire_version == 2
    rows = {
        a.question_id: a
        for a in db_session.scalars(select(Answer).where(Answer.assessment_id == new_id))
    }
    # prefill: a kept question is copied with its comment; the two redefined ones are not
    assert (rows["technology.roadmap"].value, rows["technology.roadmap"].comment) == (
        2,
        "kept by the plant manager",
    )
    assert set(rows) == {"technology.roadmap"}

    fill = f"/assessments/{new_id}/pillars"
    technology = _text(client.get(f"{fill}/technology").text)
    rung = v1.question("technology.roadmap").levels[2].text.get("en")
    assert f"Last time: 2 — {rung}" in technology

    infrastructure = _text(client.get(f"{fill}/infrastructure").text)
    asked = v1.question("infrastructure.security_incident").text.get("en")
    assert f"Last time: No (to a question asked differently: {asked})" in infrastructure

    talent = _text(client.get(f"{fill}/talent?lang=zh").text)
    option = v1.question("talent.recruitment").options[1].text.get("zh")
    asked_zh = v1.question("talent.recruitment").text.get("zh")
    assert f"{option}（针对表述不同的题目：{asked_zh}）" in talent


def test_the_compare_page_says_when_a_question_changed_meaning(
    app, db_session, make_user, make_org
) -> None:
    owner = make_user(name="Olga")
    org = make_org(owner=owner, name="Acme")
    ids = []
    for version, answers in (
        (1, {"talent.recruitment": "long_delay", "technology.roadmap": 2}),
        (2, {"talent.recruiting": 3, "technology.roadmap": 3}),
    ):
        q = app.extensions["catalogue"].get(FLAGSHIP, version)
        assessment = svc.start_assessment(db_session, org, q, owner, f"v{version}")
        page = {k: svc.PageAnswer("answered", v) for k, v in answers.items()}
        svc.save_answers(db_session, assessment, q, page, assessment.revision, owner)
        svc.submit(db_session, assessment, q, owner, confirm_incomplete=True)
        ids.append(assessment.id)
    client = app.test_client()
    client.post("/login", data={"email": owner.email, "password": TEST_PASSWORD})
    url = f"/compare/?ids={ids[0]}&ids={ids[1]}"
    english = client.get(url)
    assert english.status_code == 200
    rows = re.findall(r'<tr class="answer-(\w+)">(.*?)</tr>', english.text, re.S)
    kinds = {kind for kind, row in rows if "talent.recruiting" in row or "find people" in row}
    assert kinds == {"redefined"}
    assert "question changed meaning" in english.text
    assert "题目含义已改变" in client.get(url + "&lang=zh").text
