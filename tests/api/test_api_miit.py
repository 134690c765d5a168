"""A format-2 questionnaire (MIIT 2024) through the JSON API: export, answer, submit, results,
reports and a comparison of two assessments."""

from __future__ import annotations

import json

MIIT = "miit-sme-digital-2024"
SCENARIOS = ("product_design", "marketing", "production_control", "quality", "equipment")


def _submitted(api, level: int) -> int:
    created = api.post("/assessments", json={"questionnaire_id": MIIT, "title": f"L{level}"})
    assert created.status_code == 201, created.get_json()
    path = f"/assessments/{created.get_json()['id']}"
    answers = {"foundation.systems": {"value": "e"}, "foundation.network": {"value": ["b", "c"]}}
    answers |= {f"operations.{s}": {"value": level} for s in SCENARIOS}
    saved = api.patch(path + "/answers", json={"answers": answers}, headers={"If-Match": "*"})
    assert saved.status_code == 200, saved.get_json()
    wrong = api.patch(
        path + "/answers",
        json={"answers": {"operations.office": {"value": 5}}},  # MIIT scenarios go to 4
        headers={"If-Match": "*"},
    )
    assert wrong.status_code == 422
    done = api.post(path + "/submit", json={"confirm_incomplete": True})
    assert done.status_code == 200, done.get_json()
    return created.get_json()["id"]


def test_miit_through_the_api(api) -> None:
    exported = api.get(f"/questionnaires/{MIIT}").get_json()
    assert exported["format"] == 2 and exported["root"] == "miit"
    first, second = _submitted(api, 1), _submitted(api, 2)
    results = api.get(f"/assessments/{first}/results?lang=zh").get_json()
    # systems 10 + network 4 = 14 points: below level 1's bound of 20
    assert results["overall"]["value"] == 14 and results["overall"]["level"] == 0
    assert results["conditions"][0]["conditions"][0]["holds"] is False
    for fmt in ("json", "csv", "html"):
        assert api.get(f"/assessments/{first}/report.{fmt}").status_code == 200, fmt
    assert api.get(f"/assessments/{first}/report.docx").status_code == 404
    report = json.loads(api.get(f"/assessments/{first}/report.json").get_data(as_text=True))
    assert report["answers"]["foundation.network"]["value"] == ["b", "c"]
    pair = api.get(f"/comparisons?ids={first}&ids={second}").get_json()
    assert pair["kind"] == "tree"
    rows = {r["id"]: r for r in pair["comparison"]["rows"]}
    assert rows["operations.lifecycle"]["change"] == 0.5  # two of four scenarios up by one
