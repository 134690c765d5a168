"""`upgrade`: a format-1 file rewritten as format 2 scores the same through the tree engine."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from readiness.domain.aggregation.engine import evaluate
from readiness.domain.aggregation.upgrade import not_carried
from readiness.domain.aggregation.upgrade import upgrade_document
from readiness.domain.answers import DONT_KNOW
from readiness.domain.answers import AnswerSet
from readiness.domain.loading import load_instrument
from readiness.domain.loading import load_questionnaire
from readiness.domain.scoring import score
from tests.domain.test_aggregation_legacy import _random_answer
from tests.paths import ROOT

FLAGSHIP = ROOT / "readiness" / "questionnaires" / "smart-manufacturing-readiness"


@pytest.fixture(scope="module", params=["1.yaml", "2.yaml"])
def both(request, tmp_path_factory):
    """A flagship version and its format-2 rewrite, loaded (and so validated) from a file."""
    questionnaire = load_questionnaire(FLAGSHIP / request.param)
    folder: Path = tmp_path_factory.mktemp("upgraded") / questionnaire.id
    folder.mkdir()
    path = folder / f"{questionnaire.version}.yaml"
    path.write_text(
        yaml.safe_dump(upgrade_document(questionnaire), allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    return questionnaire, load_instrument(path)


def _answers(questionnaire, seed: int, dont_know: bool) -> AnswerSet:
    rng = random.Random(seed)
    values = {}
    for question in questionnaire.questions:
        answer = _random_answer(question, rng)
        if answer is DONT_KNOW and not dont_know:
            answer = None
        if answer is not None:
            values[question.id] = answer
    return AnswerSet(values)


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("dont_know", [False, True])
def test_both_files_score_alike(both, seed: int, dont_know: bool) -> None:
    questionnaire, instrument = both
    answers = _answers(questionnaire, seed, dont_know)
    expected = score(questionnaire, answers)
    tree = evaluate(instrument, answers.values)
    pairs = [(expected.overall, tree.nodes["overall"])]
    pairs += [(r, tree.nodes[f"pillar.{k}"]) for k, r in expected.pillars.items()]
    pairs += [(r, tree.nodes[f"area.{k}"]) for k, r in expected.challenge_areas.items()]
    for old, new in pairs:
        assert old.applicable == (new.value is not None), new.id
        if not old.applicable:
            continue
        assert new.value == pytest.approx(old.score, abs=1e-9), new.id
        # format 2 counts "don't know" as the lowest answer: the lower end of format 1's range
        low = old.level if old.level_low is None else old.level_low
        assert new.level == (low if dont_know else old.level), (new.id, new.working)


def test_what_format_2_cannot_hold_is_named(both) -> None:
    questionnaire, _instrument = both
    lost = not_carried(questionnaire)
    assert any("measures" in line for line in lost)
    assert any("don't-know" in line for line in lost)
