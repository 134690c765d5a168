"""Format 1 read by the tree engine gives the same scores and levels as format-1 scoring."""

from __future__ import annotations

import random

import pytest

from readiness.domain.aggregation.legacy import evaluate_format_1
from readiness.domain.aggregation.legacy import tree_of
from readiness.domain.answers import DONT_KNOW
from readiness.domain.answers import NOT_APPLICABLE
from readiness.domain.answers import AnswerSet
from readiness.domain.loading import load_questionnaire
from readiness.domain.questionnaire import Question
from readiness.domain.scoring import score
from tests.paths import ROOT

FLAGSHIP = ROOT / "readiness" / "questionnaires" / "smart-manufacturing-readiness"


@pytest.fixture(scope="module", params=["1.yaml", "2.yaml"])
def questionnaire(request):
    """Both flagship versions: v1 (no areas held to pillars) and v2 (areas held, declared
    option levels, gate levels)."""
    return load_questionnaire(FLAGSHIP / request.param)


def _random_answer(question: Question, rng: random.Random) -> object:
    roll = rng.random()
    if roll < 0.08:
        return None  # unanswered
    if roll < 0.14 and question.not_applicable:
        return NOT_APPLICABLE
    if roll < 0.2 and question.dont_know:
        return DONT_KNOW
    if question.type == "level":
        return rng.randint(0, 5)
    if question.type == "single_choice":
        return rng.choice(question.options).id
    if question.type == "multiple_choice":
        plain = [o.id for o in question.options if not o.exclusive]
        return tuple(rng.sample(plain, rng.randint(0, len(plain))))
    if question.type == "number":
        return rng.uniform(question.min, question.max)
    return rng.random() < 0.5


@pytest.mark.parametrize("seed", range(30))
def test_the_flagship_scores_the_same_through_the_tree(questionnaire, seed: int) -> None:
    rng = random.Random(seed)
    values = {}
    for question in questionnaire.questions:
        answer = _random_answer(question, rng)
        if answer is not None:
            values[question.id] = answer
    answers = AnswerSet(values)
    expected = score(questionnaire, answers)
    tree = evaluate_format_1(questionnaire, answers)
    pairs = [(expected.overall, tree.nodes["overall"])]
    pairs += [(r, tree.nodes[f"pillar.{k}"]) for k, r in expected.pillars.items()]
    pairs += [(r, tree.nodes[f"area.{k}"]) for k, r in expected.challenge_areas.items()]
    for old, new in pairs:
        assert old.applicable == new.applicable
        if old.applicable:
            assert new.value == pytest.approx(old.score, abs=1e-9), new.id
            # the same level range: the level from the known answers, and the level with
            # every "don't know" counted as the lowest answer
            assert new.level == old.level, (new.id, new.working)
            low = old.level if old.level_low is None else old.level_low
            assert (new.level if new.level_low is None else new.level_low) == low, new.id


def test_the_flagship_tree_has_pillars_under_the_root_and_areas_beside_it(questionnaire) -> None:
    tree = tree_of(questionnaire)
    assert tree.node("overall").children[0].id == f"pillar.{questionnaire.pillars[0].id}"
    assert len(tree.nodes) == 1 + len(questionnaire.pillars) + len(questionnaire.challenge_areas)


def test_the_random_answers_exercise_the_level_range(questionnaire) -> None:
    """The comparison above would prove little if no answer set gave a range at all."""
    ranges = 0
    for seed in range(30):
        rng = random.Random(seed)
        values = {}
        for question in questionnaire.questions:
            answer = _random_answer(question, rng)
            if answer is not None:
                values[question.id] = answer
        tree = evaluate_format_1(questionnaire, AnswerSet(values))
        ranges += sum(o.level_low is not None for o in tree.nodes.values())
    assert ranges > 10
