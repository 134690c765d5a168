"""Conformance: each rule family on a small instrument, against examples worked out by hand.

The expected numbers were computed by hand from the published methods before the engine ran;
the arithmetic is in the comment beside each case.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from readiness.domain.aggregation.answers import parse_instrument_answers
from readiness.domain.aggregation.engine import evaluate
from readiness.domain.aggregation.engine import recommendations
from readiness.domain.loading import load_instrument

INSTRUMENTS = Path(__file__).resolve().parents[1] / "instruments"


def run(name: str, answers: dict) -> object:
    instrument = load_instrument(INSTRUMENTS / f"{name}.yaml")
    return instrument, evaluate(instrument, parse_instrument_answers(instrument, answers))


CASES = [
    # weighted mean of fractions × 100, weights 1, 2, 1: a=4/4, b=2/4, c=1/4
    # (1×1 + 2×0.5 + 1×0.25) / 4 × 100 = 2.25 / 4 × 100 = 56.25 → band ≥30, <60: level 1
    ("weighted-mean", {"a": "4", "b": "2", "c": "1"}, "overall", 56.25, 1),
    # (1×0 + 2×1 + 1×0.75) / 4 × 100 = 2.75 / 4 × 100 = 68.75 → level 2
    ("weighted-mean", {"a": "0", "b": "4", "c": "3"}, "overall", 68.75, 2),
    # IMPULS. f1: L1 yes, L2 yes, L3 no → 2; f2: L1 yes, L2 no, L3 yes → 1 (stops at L2)
    # d1 = min(2, 1) = 1; f3: all yes → 3, d2 = 3; f4: L1 no → 0, d3 = 0
    # overall = 0.52×1 + 0.32×3 + 0.16×0 = 0.52 + 0.96 = 1.48
    ("impuls", "IMPULS", "overall", 1.48, None),
    ("impuls", "IMPULS", "f2", 1.0, 1),
    ("impuls", "IMPULS", "d1", 1.0, 1),
    ("impuls", "IMPULS", "d2", 3.0, 3),
    ("impuls", "IMPULS", "d3", 0.0, 0),
    # gated, threshold 0.75, levels floor(fraction×5): a=5, b=4, c=3, d=1 → levels 5, 4, 3, 1
    # gate 1: 4/4; gate 2: 3/4 = 0.75 ✓; gate 3: 3/4 ✓; gate 4: 2/4 = 0.5 ✗ → level 3
    # value = (1 + 0.8 + 0.6 + 0.2) / 4 × 100 = 65
    ("gated", {"a": "5", "b": "4", "c": "3", "d": "1"}, "plain", 65.0, 3),
    # a=b=c=5, d=0. plain: every gate 3/4 = 0.75 ✓ → level 5; value (1+1+1+0)/4×100 = 75
    ("gated", {"a": "5", "b": "5", "c": "5", "d": "0"}, "plain", 75.0, 5),
    # capped: d counts from gate 3 (gates 1-2: 3/3), gates 3-5: 3/4 ✓ → 5, but max_lead 1
    # caps it at the weakest level 0 + 1 = 1
    ("gated", {"a": "5", "b": "5", "c": "5", "d": "0"}, "capped", 75.0, 1),
    # cumulative (GB/T 39117 style), threshold 0.8: L1 (1 + 0.8)/2 = 0.9 ✓ +1;
    # L2 (0.8 + 0.8)/2 = 0.8 ✓ +1; L3 (0.5 + 1)/2 = 0.75 ✗ → + 0.75 and stop: 2.75, level 2
    (
        "cumulative",
        {
            "r1a": "fully",
            "r1b": "mostly",
            "r2a": "mostly",
            "r2b": "mostly",
            "r3a": "partly",
            "r3b": "fully",
            "r4a": "fully",
            "r5a": "fully",
        },
        "overall",
        2.75,
        2,
    ),
    # L1 (0.5 + 0.5)/2 = 0.5 ✗ → 0.5 at once, level 0 (higher levels never count)
    ("cumulative", {"r1a": "partly", "r1b": "partly", "r2a": "fully"}, "overall", 0.5, 0),
    # points: five options of 2 = 10, capped at 8; plus 3 → 11
    ("points", {"network": ["b", "c", "d", "e", "f"], "systems": "all"}, "total", 11.0, None),
    # two options = 4, plus 1.5 → 5.5
    ("points", {"network": ["b", "c"], "systems": "some"}, "total", 5.5, None),
    # level rules: points 15 + 10 = 25; s1=2, s2=1, s3=3, s4=2
    # L1: 25 ≥ 10 ✓, 4 scenarios ≥1 ≥ 2 ✓, mandatory ≥1: s1, s2 = 2 ≥ 1 ✓ → 1
    # L2: 25 ≥ 20 ✓, ≥2: s1, s3, s4 = 3 ≥ 3 ✓, mandatory ≥2: s1 only = 1 < 2 ✗ → level 1
    (
        "level-rules",
        {"p1": "15", "p2": "10", "s1": 2, "s2": 1, "s3": 3, "s4": 2},
        "overall",
        25.0,
        1,
    ),
    # s2 = 2: L2 now ✓ (mandatory 2); L3: 25 < 30 ✗ → level 2
    (
        "level-rules",
        {"p1": "15", "p2": "10", "s1": 2, "s2": 2, "s3": 3, "s4": 2},
        "overall",
        25.0,
        2,
    ),
    # 20 + 20 = 40; all scenarios 3 → L3: 40 ≥ 30, 4 ≥ 4, mandatory 2 ≥ 2 → level 3
    (
        "level-rules",
        {"p1": "20", "p2": "20", "s1": 3, "s2": 3, "s3": 3, "s4": 3},
        "overall",
        40.0,
        3,
    ),
    # SAMM: p1: ML1 (1 + 0.5)/2 = 0.75, ML2 (0.25 + 0)/2 = 0.125, ML3 0 → 0.875
    # p2: ML1 1, ML2 0.5, ML3 (0.25 + 0)/2 = 0.125 → 1.625; function (0.875 + 1.625)/2 = 1.25
    ("samm", "SAMM", "p1", 0.875, None),
    ("samm", "SAMM", "p2", 1.625, None),
    ("samm", "SAMM", "function", 1.25, None),
]
NAMED = {
    "IMPULS": {
        "f1.l1": True,
        "f1.l2": True,
        "f1.l3": False,
        "f2.l1": True,
        "f2.l2": False,
        "f2.l3": True,
        "f3.l1": True,
        "f3.l2": True,
        "f3.l3": True,
        "f4.l1": False,
    },
    "SAMM": {
        "p1.a1": "most",
        "p1.b1": "half",
        "p1.a2": "some",
        "p1.b2": "no",
        "p1.a3": "no",
        "p1.b3": "no",
        "p2.a1": "most",
        "p2.b1": "most",
        "p2.a2": "half",
        "p2.b2": "half",
        "p2.a3": "some",
        "p2.b3": "no",
    },
}


@pytest.mark.parametrize(("name", "answers", "node", "value", "level"), CASES)
def test_rule_family_matches_the_hand_worked_example(name, answers, node, value, level) -> None:
    _, result = run(name, NAMED.get(answers, answers) if isinstance(answers, str) else answers)
    outcome = result.nodes[node]
    assert outcome.value == pytest.approx(value, abs=1e-12)
    assert outcome.level == level


def test_native_precision_beside_the_display_value() -> None:
    _, result = run("samm", NAMED["SAMM"])
    assert result.nodes["p1"].value == 0.875
    assert result.nodes["p1"].display == "0.875"  # decimals: 3
    _, result = run("impuls", NAMED["IMPULS"])
    assert result.overall.display == "1.48"
    _, result = run("points", {"network": ["b"], "systems": "some"})
    assert result.overall.display == "3.5"  # decimals: 1


def test_instruments_declare_their_own_levels() -> None:
    assert [lv.level for lv in load_instrument(INSTRUMENTS / "level-rules.yaml").levels] == [
        1,
        2,
        3,
    ]
    assert len(load_instrument(INSTRUMENTS / "cumulative.yaml").levels) == 5
    assert load_instrument(INSTRUMENTS / "samm.yaml").levels == ()


def test_recommendations_attach_to_a_node_below_its_bound() -> None:
    instrument, result = run("weighted-mean", {"a": "4", "b": "2", "c": "1"})  # level 1
    assert [(n.id, r.id) for n, r in recommendations(instrument, result)] == [
        ("overall", "reach-good")
    ]
    instrument, result = run("weighted-mean", {"a": "0", "b": "4", "c": "3"})  # level 2
    assert recommendations(instrument, result) == []


def test_missing_answers_count_as_the_lowest_and_not_applicable_is_left_out() -> None:
    _, result = run("weighted-mean", {"a": "4"})
    # b and c unanswered count 0: (1×1 + 0 + 0) / 4 × 100 = 25
    assert result.overall.value == pytest.approx(25.0)
    assert result.items["b"].status == "unanswered"
