"""MIIT 2024 (manufacturing) as shipped: its structure and a hand-worked evaluation."""

from __future__ import annotations

import pytest

from readiness.domain.aggregation.answers import parse_instrument_answers
from readiness.domain.aggregation.engine import evaluate
from readiness.domain.loading import load_instrument
from tests.paths import ROOT

MIIT = ROOT / "readiness" / "questionnaires" / "miit-sme-digital-2024" / "1.yaml"


@pytest.fixture(scope="module")
def miit():
    return load_instrument(MIIT)


def test_four_dimensions_four_levels_and_the_points_of_the_indicator(miit) -> None:
    best = {}
    for item in miit.items:
        if item.type == "level":
            best[item.id] = 4
        elif item.type == "multiple_choice":
            best[item.id] = tuple(o.id for o in item.options if not o.exclusive)
        else:
            best[item.id] = max(item.options, key=lambda o: o.points).id
    result = evaluate(miit, best)
    # the published weights: foundation 50, management 30, results 20 (100 points in all)
    assert {n: result.nodes[n].value for n in ("foundation", "management", "results")} == {
        "foundation": 50.0,
        "management": 30.0,
        "results": 20.0,
    }
    assert result.nodes["foundation.devices"].value == 20.0  # network 8 + 6 + 6
    assert result.overall.value == 100.0
    assert result.overall.level == 4
    assert [lv.level for lv in miit.levels] == [1, 2, 3, 4]
    assert [lv.name.get("zh") for lv in miit.levels] == ["一级", "二级", "三级", "四级"]
    assert len(miit.sets["scenarios"]) == 16
    assert len(miit.sets["mandatory"]) == 10
    assert {n.title.get("zh") for n in miit.nodes} >= {
        "数字化基础",
        "数字化经营",
        "数字化管理",
        "数字化成效",
    }


def test_an_empty_answer_set_reaches_no_level(miit) -> None:
    result = evaluate(miit, {})
    assert result.overall.value == 0.0
    assert result.overall.level == 0


def test_a_hand_worked_firm(miit) -> None:
    answers = parse_instrument_answers(
        miit,
        {
            "foundation.network": ["b", "c"],  # 2 + 2 = 4
            "foundation.equipment_digital": "c",  # 3
            "foundation.equipment_networked": "b",  # 1.5
            "foundation.data_collection": ["b", "f", "o"],  # 0.7 + 0.7 + 0.9 = 2.3
            "foundation.systems": "c",  # 5
            "foundation.network_security": ["b", "c"],  # 2.5
            "foundation.data_security": ["b"],  # 1.25
            "management.planning": "d",  # 4.5
            "management.mechanisms": ["b", "d"],  # 3.75
            "management.talent": ["b", "d", "e"],  # 4.5
            "management.funding": "b",  # 1.875
            "results.energy": "down",  # 7
            "results.quality": "flat",  # 3.5
            "results.revenue_per_employee": "up",  # 3
            "results.cost_per_revenue": "flat",  # 1.5
            "operations.marketing": 2,
            "operations.finance": 2,
            "operations.quality": 1,
            "operations.planning": 3,
        },
    )
    result = evaluate(miit, answers)
    # foundation 4 + 3 + 1.5 + 2.3 + 5 + 2.5 + 1.25 = 19.55; management 4.5 + 3.75 + 4.5 + 1.875
    # = 14.625; results 7 + 3.5 + 3 + 1.5 = 15; score 19.55 + 14.625 + 15 = 49.175
    assert result.nodes["foundation"].value == pytest.approx(19.55)
    assert result.nodes["management"].value == pytest.approx(14.625)
    assert result.nodes["results"].value == pytest.approx(15.0)
    assert result.overall.value == pytest.approx(49.175)
    assert result.overall.display == "49.18"  # two decimals, rounded half up
    # level 1: 49.175 ≥ 20 and mandatory at ≥1 (marketing, finance, quality) 3 ≥ 1
    # level 2: 49.175 ≥ 40 and mandatory at ≥2 (marketing, finance) 2 ≥ 1; level 3: < 60
    assert result.overall.level == 2
    # operations: (2 + 2 + 1 + 3) / 16 = 0.5
    assert result.nodes["operations"].value == pytest.approx(0.5)


def test_every_unverified_level_condition_is_marked(miit) -> None:
    rules = miit.node("miit").rule.levels
    assert len(rules) == 4
    assert all(r.note.get("zh") and r.note.get("en") for r in rules)
