"""The result document's `gate` explanation, and the flagship's level rule and sized actions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from questionnaire_builders import GATED
from questionnaire_builders import GATED_LEAD
from questionnaire_builders import doc_block
from questionnaire_builders import q
from questionnaire_builders import questionnaire
from questionnaire_builders import scored
from questionnaire_builders import worked_example

from readiness.domain.answers import AnswerSet
from readiness.domain.answers import parse_answers
from readiness.domain.loading import load_questionnaire
from readiness.domain.questionnaire import Aggregation
from readiness.domain.recommendations import actions_for
from readiness.domain.recommendations import answer_for_level
from readiness.domain.results import result_document
from readiness.domain.scoring import Scorecard
from readiness.domain.scoring import score
from tests.paths import QUESTIONNAIRES

FLAGSHIP = (
    QUESTIONNAIRES / "smart-manufacturing-readiness" / "1.yaml"
)


def test_gate_of_the_worked_example() -> None:
    qn = worked_example()
    doc = result_document(qn, parse_answers(qn, doc_block("answers")), {})
    # technology: 86% at level >= 2, 2 / 3.5 = 57% at >= 3; score 48.6 alone would be level 2
    assert doc["pillars"]["technology"]["gate"] == {
        "threshold": 0.8,
        "blocked_at": 3,
        "share": 0.571,
        "score_level": 2,
        "capped": None,
    }
    # data: 50% at level >= 1 holds it at 0 although its score 50 is in the level-2 band
    data = doc["pillars"]["data"]
    assert (data["level"], data["gate"]["blocked_at"], data["gate"]["share"]) == (0, 1, 0.5)
    assert data["gate"]["score_level"] == 2 > data["level"]
    # weighted-mean results and a result that is not applicable have nothing to explain
    assert doc["overall"]["gate"] is None
    assert all(area["gate"] is None for area in doc["challenge_areas"].values())


def three_questions(pillar_rule: Aggregation = GATED, overall: Aggregation = GATED_LEAD):
    """technology a, b (weight 2), c (a requirement from level 3); data d."""
    return questionnaire(
        [
            q("technology.a", "technology"),
            q("technology.b", "technology", weight=2),
            q("technology.c", "technology", gate_level=3),
            q("data.d", "data", areas={"5.2": 1}),
        ],
        pillar_rule=pillar_rule,
        overall_rule=overall,
    )


@pytest.mark.parametrize(
    ("tech", "data", "pillar_gate", "overall_gate"),
    [
        # c (from level 3) at 1 does not hold back gates 1-2; gate 3 counts a, b, c: 3/4, so
        # technology is at 2 although its score (100 + 200 + 20) / 4 = 80 is in the level-4 band;
        # overall: only data (level 5) is at level >= 3: 1/2, below 80% -> 2 (score 90: band 5)
        ((5, 5, 1), 5, (3, 0.75, 4), (3, 0.5, 5)),
        # at the top: no gate left to block
        ((5, 5, 5), 5, (None, None, 5), (None, None, 5)),
        # b (weight 2) at 1: gate 2 counts a and b only: 1/3 -> technology at 1 (score 60: band
        # 3); overall: technology at 1 -> 1/2 at level >= 2 -> 1 (score 80: band 4)
        ((5, 1, 5), 5, (2, 0.333, 3), (2, 0.5, 4)),
    ],
)
def test_gate_names_the_first_gate_not_met(tech, data, pillar_gate, overall_gate) -> None:
    qn = three_questions()
    raw = dict(zip(("technology.a", "technology.b", "technology.c"), tech, strict=True))
    doc = result_document(qn, parse_answers(qn, {**raw, "data.d": data}), {})
    gate = doc["pillars"]["technology"]["gate"]
    assert (gate["blocked_at"], gate["share"], gate["score_level"]) == pillar_gate
    overall = doc["overall"]["gate"]
    assert (overall["blocked_at"], overall["share"], overall["score_level"]) == overall_gate
    assert overall["threshold"] == GATED_LEAD.threshold


def test_gate_reports_a_binding_cap() -> None:
    qn = three_questions(overall=Aggregation("gated", 0.5, max_lead=1))
    raw = {"technology.a": 5, "technology.b": 5, "technology.c": 5, "data.d": 0}
    doc = result_document(qn, parse_answers(qn, raw), {})
    # technology (level 5) alone carries half the weight of every gate: gated level 5; data at
    # level 0 caps the firm at 0 + 1 = 1
    assert doc["overall"]["level"] == 1
    assert doc["overall"]["gate"]["blocked_at"] is None
    assert doc["overall"]["gate"]["capped"] == {
        "level": 1,
        "part": "data",
        "part_level": 0,
        "max_lead": 1,
    }


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_gate_agrees_with_the_level_and_a_stored_scorecard(data) -> None:
    qn, answers = data.draw(scored())
    card = score(qn, answers)
    doc = result_document(qn, answers, {})
    stored = Scorecard.from_dict(card.to_dict())
    assert result_document(qn, answers, {}, scorecard=stored) == doc
    rows = [doc["overall"], *doc["pillars"].values(), *doc["challenge_areas"].values()]
    for row in rows:
        gate = row["gate"]
        if row["method"] != "gated" or not row["applicable"]:
            assert gate is None
            continue
        gated = 5 if gate["blocked_at"] is None else gate["blocked_at"] - 1
        capped = gate["capped"]
        assert row["level"] == (gated if capped is None else capped["level"])
        assert capped is None or capped["level"] < gated
        if gate["blocked_at"] is not None:
            assert gate["share"] < gate["threshold"]


def test_flagship_pillars_and_challenge_areas_follow_one_level_rule() -> None:
    qn = load_questionnaire(FLAGSHIP)
    assert qn.scoring.challenge_area == qn.scoring.pillar
    assert qn.scoring.pillar.method == "gated"
    # the infrastructure pillar and area 5.3 cannot be confused
    infrastructure = next(p for p in qn.pillars if p.id == "infrastructure")
    area = qn.challenge_area("5.3")
    for lang in ("en", "zh"):
        assert infrastructure.title.get(lang) != area.title.get(lang)
    assert "基础设施" not in area.title.get("zh")
    # every answer at exactly level 2 (or the least above): every pillar and area is at level 2
    values = {x.id: answer_for_level(x, 2) for x in qn.questions}
    answers = AnswerSet({k: v for k, v in values.items() if v is not None})
    doc = result_document(qn, answers, {"headcount": "20_99"})
    assert {r["level"] for r in doc["pillars"].values()} == {2}
    assert {r["level"] for r in doc["challenge_areas"].values()} == {2}
    assert {r["level"] for r in doc["recommendations"]} == {2}


HEAVY = {
    "6.1": "chain-rd-consortium",
    "6.2": "industrial-llm",
    "6.4": "research-workstation",
}
SMALL = {"6.1": "join-chain-consortium", "6.2": "cloud-llm-assistant", "6.4": "industry-professor"}


@pytest.mark.parametrize("headcount", ["under_20", "20_99", "100_299", "300_999", "1000_plus"])
def test_flagship_sizes_heavy_level_four_actions(headcount) -> None:
    qn = load_questionnaire(FLAGSHIP)
    large = headcount in ("300_999", "1000_plus")
    for measure, heavy in HEAVY.items():
        ids = [a.id for a in actions_for(qn, measure, 4, {"headcount": headcount})]
        assert (heavy in ids) == large
        assert (SMALL[measure] in ids) == (not large)
    # without a profile only the generic actions remain, and there are some for every level
    for measure in ("6.1", "6.2", "6.3", "6.4"):
        for level in range(5):
            generic = actions_for(qn, measure, level, {})
            assert generic and all(not a.when for a in generic)


def test_flagship_small_firm_first_horizon_holds_five_actions() -> None:
    qn = load_questionnaire(FLAGSHIP)
    values = {x.id: answer_for_level(x, 1) for x in qn.questions}
    answers = AnswerSet({k: v for k, v in values.items() if v is not None})
    doc = result_document(qn, answers, {"headcount": "20_99"})
    counts = [sum(len(s["actions"]) for s in h["steps"]) for h in doc["roadmap"]]
    # the current level alone has more than five actions, so the cap binds
    assert sum(len(r["actions"]) for r in doc["recommendations"]) > 5
    assert counts[0] == 5 and counts[1] == 8 and counts[2] > 0
