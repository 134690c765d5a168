"""The flagship → MIIT 2024 crosswalk: settled, narrowed and unknown items, and the level range."""

from __future__ import annotations

import random

import pytest

from readiness.domain.aggregation.answers import parse_item_answer
from readiness.domain.aggregation.crosswalk import crosswalk_problems
from readiness.domain.aggregation.crosswalk import estimate
from readiness.domain.aggregation.engine import evaluate
from readiness.domain.answers import DONT_KNOW
from readiness.domain.answers import AnswerSet
from readiness.domain.loading import load_instrument
from readiness.domain.loading import load_questionnaire
from readiness.domain.reading import read_questionnaire_file
from tests.paths import ROOT

Q = ROOT / "readiness" / "questionnaires"
CROSSWALK = (
    ROOT
    / "readiness"
    / "crosswalks"
    / "smart-manufacturing-readiness-1_to_miit-sme-digital-2024-1.yaml"
)


@pytest.fixture(scope="module")
def flagship():
    return load_questionnaire(Q / "smart-manufacturing-readiness" / "1.yaml")


@pytest.fixture(scope="module")
def setting(flagship):
    miit = load_instrument(Q / "miit-sme-digital-2024" / "1.yaml")
    crosswalk, problems = crosswalk_problems(
        read_questionnaire_file(CROSSWALK).data, str(CROSSWALK), flagship, miit
    )
    assert problems == []
    return crosswalk, miit


def _items(setting, answers):
    crosswalk, miit = setting
    result = estimate(crosswalk, miit, AnswerSet(answers))
    return result, {e.item: e for e in result.items}


@pytest.mark.parametrize(
    ("share", "option"),
    [(0.0, "a"), (10.0, "a"), (10.5, "b"), (35.0, "c"), (60.0, "d"), (61.0, "e")],
)
def test_a_number_band_settles_the_item(setting, share: float, option: str) -> None:
    _, items = _items(setting, {"infrastructure.equipment_connected": share})
    found = items["foundation.equipment_networked"]
    assert (found.status, found.candidates) == ("settled", (option,))


def test_unanswered_and_dont_know_leave_the_item_unknown(setting) -> None:
    _, items = _items(setting, {"infrastructure.equipment_connected": DONT_KNOW})
    assert items["foundation.equipment_networked"].status == "unknown"
    assert items["results.energy"].status == "unknown"  # never mapped


def test_multiple_choice_shows_chosen_options_and_leaves_the_rest_open(setting) -> None:
    _, items = _items(setting, {"infrastructure.network_tech": ("five_g", "industrial_ethernet")})
    found = items["foundation.network"]
    assert found.status == "narrowed"
    assert found.candidates == (("d", "b"), ("d", "b", "c", "e"))


def test_the_level_range_worked_by_hand(setting) -> None:
    result, items = _items(
        setting,
        {
            "infrastructure.equipment_connected": 35.0,  # networked: c (3 of 6 points)
            "technology.systems": ("erp", "mes"),  # finance, purchasing, control ≥ 2
            "talent.strategy": 2,  # planning: c..f (3 to 7.5)
            "technology.digital_design": 3,  # product design: 3
        },
    )
    # low: every open item at its worst: 3 (networked) + 3 (planning) = 6 < 20 → level 0
    assert result.low.overall.value == pytest.approx(6.0)
    assert result.low.overall.level == 0
    # high: 100 - (6 - 3) = 97; level 4 needs all ten mandatory scenarios at 4, but product
    # design (mandatory) is settled at 3; level 3: 97 ≥ 60 and all ten at ≥ 3 → level 3
    assert result.high.overall.value == pytest.approx(97.0)
    assert result.high.overall.level == 3
    assert items["operations.product_design"].status == "settled"
    assert items["operations.finance"].candidates == (2, 3, 4)


def test_settled_answers_are_valid_miit_answers(setting) -> None:
    crosswalk, miit = setting
    result, _ = _items(
        setting, {"infrastructure.equipment_connected": 35.0, "technology.digital_design": 1}
    )
    prefill = result.settled_answers
    assert prefill == {"foundation.equipment_networked": "c", "operations.product_design": 1}
    for item_id, value in prefill.items():
        parse_item_answer(miit.item(item_id), list(value) if isinstance(value, tuple) else value)


def _completion(item, found, rng: random.Random):
    """A MIIT answer the source answers still allow for one item."""
    if found.status == "unknown":
        if item.type == "level":
            return rng.choice([lv.level for lv in item.levels])
        if item.type == "multiple_choice":
            plain = [o.id for o in item.options if not o.exclusive]
            return tuple(rng.sample(plain, rng.randint(0, len(plain))))
        return rng.choice(item.options).id
    if item.type == "multiple_choice":
        chosen, widest = found.candidates[0], found.candidates[-1]
        rest = [o for o in widest if o not in chosen]
        return chosen + tuple(rng.sample(rest, rng.randint(0, len(rest))))
    return rng.choice(found.candidates)


@pytest.mark.parametrize("seed", range(12))
def test_every_completion_lies_within_the_range(setting, flagship, seed: int) -> None:
    crosswalk, miit = setting
    rng = random.Random(seed)
    answers = {}
    for mapping in crosswalk.mappings:
        question = flagship.question(mapping.question)
        if question.type == "number":
            answers[question.id] = rng.uniform(question.min, min(question.max, 100))
        elif question.type == "level":
            answers[question.id] = rng.randint(0, 5)
        elif question.type == "multiple_choice":
            plain = [o.id for o in question.options if not o.exclusive]
            answers[question.id] = tuple(rng.sample(plain, rng.randint(0, len(plain))))
    result = estimate(crosswalk, miit, AnswerSet(answers))
    low, high = result.low.overall, result.high.overall
    by_item = {e.item: e for e in result.items}
    for _ in range(15):
        filled = {i.id: _completion(i, by_item[i.id], rng) for i in miit.items}
        actual = evaluate(miit, filled).overall
        assert low.value - 1e-9 <= actual.value <= high.value + 1e-9
        assert low.level <= actual.level <= high.level
