"""A crosswalk serves later versions of its source through the version's own ID map."""

from __future__ import annotations

import random
from dataclasses import replace
from types import MappingProxyType

import pytest

from readiness.domain.aggregation.crosswalk import estimate
from readiness.domain.aggregation.rebase import rebase
from readiness.domain.answers import AnswerSet
from readiness.domain.loading import load_questionnaire
from tests.domain.test_aggregation_legacy import _random_answer
from tests.domain.test_crosswalk import Q
from tests.domain.test_crosswalk import flagship  # noqa: F401  (a fixture)
from tests.domain.test_crosswalk import setting  # noqa: F401  (a fixture)


@pytest.fixture(scope="module")
def v2():
    return load_questionnaire(Q / "smart-manufacturing-readiness" / "2.yaml")


def test_every_mapping_carries_to_version_2(setting, flagship, v2) -> None:  # noqa: F811
    crosswalk, _miit = setting
    carried = rebase(crosswalk, flagship, v2)
    assert carried.source == ("smart-manufacturing-readiness", 2)
    assert len(carried.mappings) == len(crosswalk.mappings) == 14


@pytest.mark.parametrize("seed", range(10))
def test_the_same_answers_give_the_same_estimate(setting, flagship, v2, seed) -> None:  # noqa: F811
    """Answers valid in both versions (the mapped questions kept their IDs and scales)."""
    crosswalk, miit = setting
    rng = random.Random(seed)
    values = {}
    for question in flagship.questions:
        answer = _random_answer(question, rng)
        if answer is not None and v2.question(question.id) is not None:
            values[question.id] = answer
    before = estimate(crosswalk, miit, AnswerSet(values))
    after = estimate(rebase(crosswalk, flagship, v2), miit, AnswerSet(values))
    assert before.items == after.items
    assert before.low.overall == after.low.overall and before.high.overall == after.high.overall


def test_a_dropped_or_rescaled_question_leaves_its_item_unknown(setting, flagship, v2) -> None:  # noqa: F811
    crosswalk, _miit = setting
    mapped = crosswalk.mappings[0].question  # infrastructure.equipment_connected
    dropped = replace(
        v2, previous_questions=MappingProxyType({**v2.previous_questions, mapped: None})
    )
    assert mapped not in {m.question for m in rebase(crosswalk, flagship, dropped).mappings}
    question = v2.question(mapped)
    rescaled = replace(
        v2, questions=tuple(replace(q, max=50.0) if q is question else q for q in v2.questions)
    )
    assert mapped not in {m.question for m in rebase(crosswalk, flagship, rescaled).mappings}


def test_only_the_next_version_is_served(setting, flagship) -> None:  # noqa: F811
    crosswalk, _miit = setting
    assert rebase(crosswalk, flagship, flagship) is None
