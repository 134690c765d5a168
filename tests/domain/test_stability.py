"""Stability of the flagship's levels over realistic generated firms (property tests).

A generated firm has a base level; each pillar sits within one level of it and each answer
within one level of its pillar, with a few "don't know" and "not applicable" answers - the
shape of real answer sets, unlike uniformly random ones. Then: no single answer change moves
the overall level by two or more, and no raise lowers any score, level or level range.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from readiness.domain.answers import DONT_KNOW
from readiness.domain.answers import NOT_APPLICABLE
from readiness.domain.answers import AnswerSet
from readiness.domain.answers import points
from readiness.domain.answers import question_level
from readiness.domain.lifts import _candidate_answers
from readiness.domain.loading import load_questionnaire
from readiness.domain.scoring import score
from tests.paths import QUESTIONNAIRES

FLAGSHIP = load_questionnaire(QUESTIONNAIRES / "smart-manufacturing-readiness" / "2.yaml")
KNOWN = {q.id: _candidate_answers(q, None) for q in FLAGSHIP.questions}
# 60 firms per property in the suite; benchmarks/stability.py runs thousands on demand
EXAMPLES = int(os.environ.get("READINESS_STABILITY_EXAMPLES", "60"))
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _closest(question, level: int):
    """Known answers of the question at the level nearest to `level` (the lower on ties)."""
    options = KNOWN[question.id]
    best = min(abs(question_level(question, a) - level) for a in options)
    return [a for a in options if abs(question_level(question, a) - level) == best]


@st.composite
def firms(draw) -> AnswerSet:
    """A realistic answer set of the flagship (see the module docstring)."""
    base = draw(st.integers(0, 5))
    values, comments = {}, {}
    pillar_level = {p.id: min(5, max(0, base + draw(st.integers(-1, 1)))) for p in FLAGSHIP.pillars}
    for question in FLAGSHIP.questions:
        special = draw(st.integers(0, 19))
        if special == 0 and question.dont_know:
            values[question.id] = DONT_KNOW
            continue
        if special == 1 and question.not_applicable:
            values[question.id] = NOT_APPLICABLE
            comments[question.id] = "does not apply to our plant"
            continue
        target = min(5, max(0, pillar_level[question.pillar] + draw(st.integers(-1, 1))))
        values[question.id] = draw(st.sampled_from(_closest(question, target)))
    return AnswerSet(values, comments)


def _every_answer(question):
    answers = list(KNOWN[question.id])
    if question.dont_know:
        answers.append(DONT_KNOW)
    if question.not_applicable:
        answers.append(NOT_APPLICABLE)
    return answers


@SETTINGS
@given(firm=firms(), data=st.data())
def test_no_single_answer_change_moves_the_overall_level_by_two(firm, data) -> None:
    question = data.draw(st.sampled_from(FLAGSHIP.questions))
    new = data.draw(st.sampled_from(_every_answer(question)))
    comments = {**firm.comments, question.id: "changed"}
    before = score(FLAGSHIP, firm).overall
    after = score(FLAGSHIP, AnswerSet({**firm.values, question.id: new}, comments)).overall
    assert abs(after.level - before.level) <= 1, (question.id, firm.get(question.id), new)


@SETTINGS
@given(firm=firms(), data=st.data())
def test_no_raise_lowers_any_score_level_or_range(firm, data) -> None:
    question = data.draw(st.sampled_from(FLAGSHIP.questions))
    old = firm.get(question.id)
    if old is NOT_APPLICABLE or old is DONT_KNOW:
        return  # neither is an answer with points to raise from
    better = [a for a in KNOWN[question.id] if points(question, a) >= points(question, old)]
    if question.type == "multiple_choice":  # a raise adds options, it never swaps them
        better = [a for a in better if set(old) <= set(a)]
    new = data.draw(st.sampled_from(better))
    before = score(FLAGSHIP, firm)
    after = score(FLAGSHIP, firm.replace({question.id: new}))
    pairs = [(before.overall, after.overall)]
    pairs += [(before.pillars[k], after.pillars[k]) for k in before.pillars]
    pairs += [(before.challenge_areas[k], after.challenge_areas[k]) for k in before.challenge_areas]
    for was, now in pairs:
        if was.applicable:
            assert now.score >= was.score - 1e-9, was.id
            assert now.level >= was.level, (was.id, question.id, old, new)
            assert now.level_range[0] >= was.level_range[0], was.id
