"""A format-2 questionnaire (MIIT 2024) in the web app: start, fill over sittings, review, submit,
results, report in both languages, repeat and compare."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import TEST_PASSWORD
from tests.report_data import pdf_text

MIIT = "miit-sme-digital-2024@1"

# The answers and their points, worked by hand from the option points of the file.
FOUNDATION = {
    "q__foundation__network": ["b", "c"],  # 2 + 2 = 4 (cap 8)
    "q__foundation__equipment_digital": "d",  # 4.5
    "q__foundation__equipment_networked": "c",  # 3
    "q__foundation__data_collection": list("bcdefghijklmn"),  # 13 × 0.7 = 9.1
    "q__foundation__systems": "c",  # 5
    "q__foundation__network_security": list("bcde"),  # 5 (cap 5)
    "q__foundation__data_security": ["b"],  # 1.25
}  # 31.85
MANAGEMENT = {
    "q__management__planning": "c",  # 3
    "q__management__mechanisms": ["b", "c", "d"],  # 5.625
    "q__management__talent": ["b", "d"],  # 3
    "q__management__funding": "b",  # 1.875
}  # 13.5
RESULTS = {
    "q__results__energy": "down",  # 7
    "q__results__quality": "flat",  # 3.5
    "q__results__revenue_per_employee": "up",  # 3
    "q__results__cost_per_revenue": "flat",  # 1.5
}  # 15  → score 31.85 + 13.5 + 15 = 60.35
SCENARIOS = [
    "product_design", "process_design", "marketing", "after_sales", "planning",
    "production_control", "quality", "equipment", "safety", "energy", "purchasing", "warehouse",
    "finance", "hr", "office", "decision_support",
]  # fmt: skip


@pytest.fixture
def owner(app: Flask, make_user: Any, make_org: Any) -> FlaskClient:
    """A signed-in owner of an organisation."""
    user = make_user(name="Li")
    make_org(owner=user, name="Works")
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.text
    return client


def _start(client: FlaskClient, title: str = "MIIT 2024") -> int:
    started = client.post("/assessments/new", data={"questionnaire": MIIT, "title": title})
    assert started.status_code == 302, started.text
    assert started.location.endswith("/pillars/foundation"), started.location
    return int(re.search(r"/assessments/(\d+)/", started.location).group(1))


def _save(client: FlaskClient, aid: int, section: str, data: dict[str, Any]) -> None:
    page = client.get(f"/assessments/{aid}/pillars/{section}")
    revision = re.search(r'name="base_revision"[^>]*value="(\d+)"', page.text)
    revision = revision or re.search(r'value="(\d+)"[^>]*name="base_revision"', page.text)
    loaded = re.search(r'name="loaded"[^>]*value="([^"]*)"', page.text)
    form = {"base_revision": revision.group(1), **data}
    if loaded:
        form["loaded"] = loaded.group(1)
    saved = client.post(f"/assessments/{aid}/pillars/{section}", data=form)
    assert saved.status_code == 302, saved.text


def _fill(client: FlaskClient, aid: int, level: int = 2) -> None:
    _save(client, aid, "foundation", FOUNDATION)
    _save(client, aid, "management", MANAGEMENT)  # a later sitting: another page
    _save(client, aid, "results", RESULTS)
    _save(client, aid, "operations", {f"q__operations__{s}": str(level) for s in SCENARIOS})


def _submitted(client: FlaskClient, level: int = 2, title: str = "MIIT 2024") -> int:
    aid = _start(client, title)
    _fill(client, aid, level)
    done = client.post(f"/assessments/{aid}/submit", data={})
    assert done.location.endswith(f"/assessments/{aid}/results"), done.text
    return aid


def test_miit_is_offered_filled_over_sittings_and_reviewed(owner: FlaskClient) -> None:
    assert "中小企业数字化水平评测（2024年版·制造业）" in owner.get("/assessments/new?lang=zh").text
    aid = _start(owner)
    page = owner.get(f"/assessments/{aid}/pillars/foundation")
    assert "企业网络建设和连接情况（可多选）" in page.text  # ?lang=zh above chose Chinese
    assert f'href="/assessments/{aid}/pillars/operations"' in page.text  # its four sections
    _save(owner, aid, "foundation", FOUNDATION)  # a first sitting
    review = owner.get(f"/assessments/{aid}/review").text
    assert "生产设备数字化率" in review and "(40%, 60%]" in review  # answered in the first sitting
    # a later sitting: what was saved is shown again, the rest is still open
    again = owner.get(f"/assessments/{aid}/pillars/foundation").text
    assert re.search(r'value="d"[^>]*checked|checked[^>]*value="d"', again)
    _save(owner, aid, "management", MANAGEMENT)
    _save(owner, aid, "results", RESULTS)
    _save(owner, aid, "operations", {f"q__operations__{s}": "2" for s in SCENARIOS})
    # a scenario level outside the instrument's 0-4 is refused beside the field, nothing lost
    page = owner.get(f"/assessments/{aid}/pillars/operations").text
    revision = re.search(r'name="base_revision"[^>]*value="(\d+)"', page).group(1)
    scenarios = {f"q__operations__{s}": "2" for s in SCENARIOS}
    wrong = owner.post(
        f"/assessments/{aid}/pillars/operations",
        data={"base_revision": revision, **scenarios, "q__operations__office": "5"},
    )
    assert wrong.status_code == 200  # the page again, with the message beside the field
    assert 'name="q__operations__office" type="radio" value="5"' not in wrong.text
    done = owner.post(f"/assessments/{aid}/submit", data={})
    assert done.location.endswith("/results"), done.text


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            [
                "Level 2",
                'title="Exact value: 60.35">60.35</span>',
                "What each level needs",
                "Score at least 60; this assessment: 60.35.",
                "At least 10 of these 10 at Level 3 or above; this assessment: 0.",
                "Digital foundation · 31.85 / 50",
                "Unverified: Score bound from the 2022 edition",
            ],
        ),
        (
            "zh",
            [
                "二级",
                'title="精确值：60.35">60.35</span>',
                "各等级的判定条件",
                "评测得分至少 60；本次评估：60.35。",
                "以下 10 项中至少 10 项达到三级及以上；本次评估：0 项。",
                "数字化基础 · 31.85 / 50",
                "待核实：得分门槛沿用2022年版",
            ],
        ),
    ],
)
def test_results_show_native_scores_levels_and_conditions(
    owner: FlaskClient, lang: str, expected: list[str]
) -> None:
    aid = _submitted(owner)
    text = owner.get(f"/assessments/{aid}/results?lang={lang}").text
    for snippet in expected:
        assert snippet in text, snippet
    # three of ten mandatory scenarios at level 2 hold levels 1-2 (score 60.35 ≥ 60 alone
    # is not level 3: every mandatory scenario must be at level 3)
    assert text.count('class="holds"') == 5  # levels 1, 2 (both) and level 3's score


def test_reports_in_both_languages(owner: FlaskClient) -> None:
    aid = _submitted(owner)
    english = owner.get(f"/assessments/{aid}/report?lang=en")
    assert english.status_code == 200
    assert "Digital level" in english.text and "Level 2" in english.text
    chinese = owner.get(f"/assessments/{aid}/report?lang=zh").text
    assert "数字化水平" in chinese and "二级" in chinese and "各等级的判定条件" in chinese
    csv = owner.get(f"/assessments/{aid}/report.csv?lang=zh")
    assert csv.status_code == 200
    assert "node,miit,数字化水平,,60.35,60.35,100,2,二级" in csv.data.decode("utf-8-sig")
    document = owner.get(f"/assessments/{aid}/report.json?lang=en").get_json()
    assert document["result"]["overall"]["value"] == pytest.approx(60.35)
    assert document["answers"]["foundation.systems"]["value"] == "c"
    assert owner.get(f"/assessments/{aid}/report.docx").status_code == 404  # not offered
    assert "report.docx" not in owner.get(f"/assessments/{aid}/results").text


def test_the_pdf_report_in_both_languages(owner: FlaskClient, tmp_path: Path) -> None:
    aid = _submitted(owner)
    chinese = owner.get(f"/assessments/{aid}/report.pdf?lang=zh")
    assert chinese.status_code == 200 and chinese.data.startswith(b"%PDF")
    text = pdf_text(chinese.data, tmp_path).replace(" ", "")
    assert "各等级的判定条件" in text and "数字化基础" in text and "二级" in text
    english = pdf_text(owner.get(f"/assessments/{aid}/report.pdf?lang=en").data, tmp_path)
    assert "What each level needs" in english and "Digital foundation" in english


def test_repeat_and_compare_two_miit_assessments(owner: FlaskClient) -> None:
    first = _submitted(owner)
    repeat = owner.post("/compare/repeat", data={"title": "Again"})
    assert repeat.status_code == 302, repeat.text
    second = int(re.search(r"/assessments/(\d+)/", repeat.location).group(1))
    # the repeat starts with last time's answers: only the scenarios change
    _save(owner, second, "operations", {f"q__operations__{s}": "3" for s in SCENARIOS})
    assert owner.post(f"/assessments/{second}/submit", data={}).location.endswith("/results")
    assert "三级" in owner.get(f"/assessments/{second}/results?lang=zh").text
    page = owner.get(f"/compare/?ids={first}&ids={second}&lang=en")
    assert page.status_code == 200
    assert "Digital operations" in page.text
    assert '<span title="Exact value: 1.0">+1</span>' in page.text
    assert "Product design: which level does the firm reach?" in page.text  # changed answers
    chinese = owner.get(f"/compare/?ids={first}&ids={second}&lang=zh").text
    assert "有变化的答案" in chinese and "数字化经营" in chinese
    history = owner.get("/compare/history?lang=en")
    assert history.status_code == 200 and "Again" in history.text
    assert "Digital foundation" not in history.text  # native scales stay off the 0-100 chart
    csv = owner.get(f"/compare/report.csv?ids={first}&ids={second}").data.decode("utf-8-sig")
    assert "operations,数字化经营,2,3,1.0" in csv or "operations,Digital operations,2,3,1.0" in csv


def test_a_miit_and_a_flagship_assessment_do_not_compare(owner: FlaskClient) -> None:
    miit = _submitted(owner)
    started = owner.post(
        "/assessments/new",
        data={"questionnaire": "smart-manufacturing-readiness@2", "title": "Plant"},
    )
    flag = int(re.search(r"/assessments/(\d+)/", started.location).group(1))
    owner.post(f"/assessments/{flag}/submit", data={"confirm_incomplete": "y"})
    response = owner.get(f"/compare/?ids={miit}&ids={flag}&lang=en", follow_redirects=True)
    assert "Assessments of different questionnaires cannot be compared." in response.text


@pytest.mark.parametrize("version", [1, 2])
def test_one_click_prefills_miit_from_the_flagship(owner: FlaskClient, version: int) -> None:
    started = owner.post(
        "/assessments/new",
        data={"questionnaire": f"smart-manufacturing-readiness@{version}", "title": "Plant"},
    )
    flag = int(re.search(r"/assessments/(\d+)/", started.location).group(1))
    _save(owner, flag, "infrastructure", {"q__infrastructure__equipment_connected": "35"})
    owner.post(f"/assessments/{flag}/submit", data={"confirm_incomplete": "y"})
    results = owner.get(f"/assessments/{flag}/results?lang=zh")
    assert f'action="/assessments/{flag}/prefill/miit-sme-digital-2024"' in results.text
    assert "用这些答案预填，开始“中小企业数字化水平评测（2024年版·制造业）”评估" in results.text
    go = owner.post(f"/assessments/{flag}/prefill/miit-sme-digital-2024", data={})
    assert go.status_code == 302, go.text
    miit = int(re.search(r"/assessments/(\d+)/", go.location).group(1))
    page = owner.get(go.location).text
    assert "待核对的预填答案" in page
    source = "贵企业的生产设备中，联网并能自动上传数据的比例大约是多少？"
    assert f"此答案根据您对“{source}”的回答预填" in page
    # 35% networked → MIIT band (20%, 40%]: option c, chosen on the form
    card = page.split('id="q__foundation__equipment_networked-q"')[1].split("</section>")[0]
    assert re.search(r'checked[^>]*value="c"|value="c"[^>]*checked', card)
    review = owner.get(f"/assessments/{miit}/review").text
    assert review.count("unanswered") >= 1  # the unmapped items stay empty
    # saving the page confirms the prefilled answer: the mark goes
    _save(owner, miit, "foundation", {"q__foundation__equipment_networked": "c"})
    assert "待核对的预填答案" not in owner.get(go.location).text


def test_prefill_needs_a_crosswalk_and_a_submitted_assessment(owner: FlaskClient) -> None:
    miit = _submitted(owner)
    assert owner.post(f"/assessments/{miit}/prefill/miit-sme-digital-2024").status_code == 404
    flag = owner.post(
        "/assessments/new",
        data={"questionnaire": "smart-manufacturing-readiness@2", "title": "Draft"},
    )
    draft = int(re.search(r"/assessments/(\d+)/", flag.location).group(1))
    assert owner.post(f"/assessments/{draft}/prefill/miit-sme-digital-2024").status_code == 404
    assert owner.post(f"/assessments/{draft}/prefill/no-such-thing").status_code == 404
