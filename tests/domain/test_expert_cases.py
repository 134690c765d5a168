"""Expert cases: realistic firms scored against the flagship, as a consultant expects them."""

from __future__ import annotations

import json

import pytest

from readiness.domain.answers import parse_answers
from readiness.domain.answers import parse_value
from readiness.domain.loading import load_questionnaire
from readiness.domain.recommendations import recommend
from readiness.domain.scoring import score
from tests.paths import QUESTIONNAIRES
from tests.paths import ROOT

CASES = sorted((ROOT / "tests" / "expert_cases").glob("*.json"))
FLAGSHIP = load_questionnaire(QUESTIONNAIRES / "smart-manufacturing-readiness" / "2.yaml")


def _case(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    answers = parse_answers(FLAGSHIP, data["answers"])
    scorecard = score(FLAGSHIP, answers)
    return data, answers, scorecard, recommend(FLAGSHIP, scorecard, data["profile"])


def test_there_are_at_least_ten_cases_with_a_story() -> None:
    assert len(CASES) >= 10
    for path in CASES:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert len(data["story"]) > 100, path.name
        # every case answers every question: a level must not rest on unanswered questions
        assert set(data["answers"]) == {q.id for q in FLAGSHIP.questions}, path.name


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_level_band_first_measure_and_confidence(path) -> None:
    data, _answers, scorecard, plan = _case(path)
    expect = data["expect"]
    low, high = expect["overall_level"]
    assert low <= scorecard.overall.level <= high, scorecard.overall.rule
    assert plan.recommendations, "a firm below level 5 always gets a measure"
    first = plan.recommendations[0]
    assert first.measure in expect["first_measure"], [r.measure for r in plan.recommendations]
    assert scorecard.confidence in expect["confidence"]
    if expect.get("range"):
        ranged = [r for r in (scorecard.overall, *scorecard.pillars.values()) if r.applicable]
        assert any(r.level_range[0] < r.level_range[1] for r in ranged)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_one_story_areas_never_above_their_pillars(path) -> None:
    _data, _answers, scorecard, plan = _case(path)
    for area in FLAGSHIP.challenge_areas:
        result = scorecard.challenge_areas[area.id]
        for pillar_id in area.pillars:
            assert result.level <= scorecard.pillars[pillar_id].level, (area.id, pillar_id)
    # the measure ranked first belongs to an area holding answers of the lowest pillar
    first = plan.recommendations[0]
    assert first.reason.kind in ("caps", "gap")
    if scorecard.overall.level < 5:
        lowest = min(r.level for r in scorecard.pillars.values() if r.applicable)
        assert all(scorecard.pillars[p].level == lowest for p in first.reason.pillars)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_the_overall_next_step_is_checked_by_rescoring(path) -> None:
    _data, answers, scorecard, plan = _case(path)
    step = plan.overall_next
    if scorecard.overall.level == 5:
        assert not step.changes
        return
    assert step.reachable, step.rule
    changed = answers.replace(
        {c.question_id: _parse(c.question_id, c.suggested) for c in step.changes}
    )
    assert score(FLAGSHIP, changed).overall.level >= scorecard.overall.level + 1


def _parse(question_id, raw):
    return parse_value(FLAGSHIP.question(question_id), raw)
