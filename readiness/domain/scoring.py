"""Scoring: answers -> question results, then pillar, challenge-area and overall Results."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import replace
from types import MappingProxyType

from readiness.domain.answers import DONT_KNOW
from readiness.domain.answers import NOT_APPLICABLE
from readiness.domain.answers import AnswerSet
from readiness.domain.answers import fraction
from readiness.domain.answers import points
from readiness.domain.answers import question_level
from readiness.domain.answers import value_to_json
from readiness.domain.confidence import confidence
from readiness.domain.confidence import deciding_confidence
from readiness.domain.parts import Part
from readiness.domain.parts import aggregate
from readiness.domain.parts import best_case
from readiness.domain.parts import known_only
from readiness.domain.questionnaire import Aggregation
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.scorecard import Contribution
from readiness.domain.scorecard import QuestionResult
from readiness.domain.scorecard import Result
from readiness.domain.scorecard import Scorecard

ANSWERED, NOT_APPLICABLE_STATUS, DONT_KNOW_STATUS, UNANSWERED = (
    "answered",
    "not_applicable",
    "dont_know",
    "unanswered",
)


def _result(
    result_id: str,
    parts: Sequence[Part],
    rule: Aggregation,
    questionnaire: Questionnaire,
    dont_know_share: float | None = None,
    low_parts: Sequence[Part] | None = None,
    caps: Sequence[tuple[str, int, int, int]] = (),
    high: tuple[float | None, int | None] | None = None,
) -> Result:
    """One result. The level counts only known answers; level_low counts unknowns as lowest.

    The same for every method: the score (and `level_low`) count a "don't know" as the lowest
    answer; the level leaves it out, as if not applicable (gated: out of the gates; weighted
    mean: out of the mean the level band reads; minimum: out of the minimum). `low_parts` (for
    the overall result) are the pillars with their real scores at their lowest levels, `parts`
    the pillars with the score and level of their known answers; `caps` are (pillar, level,
    level_low, level_high) of the pillars a challenge area belongs to. `level_high` is the level
    with every unknown as the best answer (`high`: the (score, level) `aggregate` gives for it,
    when the caller has it already - the overall's reads the pillars at their best);
    the level lies between `level_low` and `level_high`, and the confidence is never high when
    they differ: the unknowns could then move the level, down or up.
    """
    score, level_low, text, contributions = aggregate(
        parts if low_parts is None else low_parts, rule, questionnaire.levels
    )
    typical = parts if low_parts is not None else known_only(parts)
    if low_parts is not None or any(p.dont_know and p.score is not None for p in parts):
        _s, level, known_text, _c = aggregate(typical, rule, questionnaire.levels)
        if level is None:  # every applicable part is unknown: nothing to read a level from
            level = level_low
        elif level != level_low or low_parts is None:
            text += f"; without the don't-know answers: {known_text}"
    else:
        level = level_low
    level_high = level
    if high is not None:
        level_high = high[1]
    elif any(p.dont_know and p.score is not None for p in parts):
        top = max(lv.level for lv in questionnaire.levels)
        level_high = aggregate(best_case(parts, top), rule, questionnaire.levels)[1]
    capped_by = None
    if level is not None and caps:
        pillar, cap = min(caps, key=lambda c: (c[1], c[0]))[:2]
        if cap < level:
            capped_by = pillar
            text += f"; held at the level {cap} of pillar {pillar}, which it belongs to"
        level = min(level, cap)
        level_low = min(level_low, min(c[2] for c in caps), level)
        level_high = min(level_high, min(c[3] for c in caps))
    # the working shows the real scores (an unknown as the lowest answer) and the levels read
    shown = parts
    if low_parts is not None:
        shown = [replace(p, score=q.score) for p, q in zip(parts, low_parts, strict=True)]
    used = [p for p in shown if p.score is not None]
    if dont_know_share is None:
        total = sum(p.weight for p in used)
        dont_know_share = sum(p.weight for p in used if p.dont_know) / total if total else 0.0
    rules = questionnaire.scoring
    working = tuple(
        Contribution(
            part=p.id,
            status=p.status,
            answer=p.answer,
            score=p.score,
            level=p.level,
            weight=p.weight,
            contribution=contributions.get(p.id, 0.0),
        )
        for p in shown
    )
    return Result(
        id=result_id,
        method=rule.method,
        threshold=rule.threshold if rule.method == "gated" else None,
        applicable=score is not None,
        score=score,
        level=level,
        level_name=None
        if level is None
        else MappingProxyType(dict(questionnaire.level(level).name.values)),
        dont_know_share=dont_know_share,
        confidence=None
        if score is None
        else confidence(
            1 - dont_know_share,
            rules.confidence_high,
            rules.confidence_medium,
            movable=level_low is not None and level_low < level_high,
        ),
        rule=text,
        working=working,
        level_low=level_low,
        level_high=level_high,
        capped_by_pillar=capped_by,
    )


def score_question(
    questionnaire: Questionnaire, answers: AnswerSet, question_id: str
) -> QuestionResult:
    """The result of one question under `answers`."""
    question = questionnaire.question(question_id)
    if question is None:
        raise KeyError(question_id)
    value = answers.get(question_id)
    if value is None:
        status = UNANSWERED
    elif value is NOT_APPLICABLE:
        status = NOT_APPLICABLE_STATUS
    elif value is DONT_KNOW:
        status = DONT_KNOW_STATUS
    else:
        status = ANSWERED
    frac = fraction(question, value)
    return QuestionResult(
        question_id=question.id,
        pillar=question.pillar,
        status=status,
        answer=None if value is None else value_to_json(value),
        points=points(question, value),
        max_points=question.max_points,
        fraction=frac,
        score=frac * 100,
        level=question_level(question, value),
        weight=float(question.weight),
    )


def _question_part(qr: QuestionResult, weight: float, gate_level: int = 1) -> Part:
    applicable = qr.status != NOT_APPLICABLE_STATUS
    return Part(
        id=qr.question_id,
        status=qr.status,
        answer=qr.answer,
        weight=float(weight),
        score=qr.score if applicable else None,
        level=qr.level if applicable else None,
        dont_know=qr.status == DONT_KNOW_STATUS,
        gate_level=gate_level,
    )


def _pillar_parts(
    questionnaire: Questionnaire, questions: Mapping[str, QuestionResult], pillar_id: str
) -> list[Part]:
    return [
        _question_part(questions[q.id], q.weight, q.gate_level)
        for q in questionnaire.questions_of(pillar_id)
    ]


def score_pillar(questionnaire: Questionnaire, answers: AnswerSet, pillar_id: str) -> Result:
    """One pillar's result under `answers`: what score() gives it, without scoring the rest.

    A pillar reads only its own questions, so searching for the answers that lift it (each
    step re-scored) need not score the other pillars, the challenge areas and the overall.
    """
    questions = {
        q.id: score_question(questionnaire, answers, q.id)
        for q in questionnaire.questions_of(pillar_id)
    }
    parts = _pillar_parts(questionnaire, questions, pillar_id)
    return _result(pillar_id, parts, questionnaire.scoring.pillar, questionnaire)


def score(questionnaire: Questionnaire, answers: AnswerSet) -> Scorecard:
    """Score an answer set with the aggregation rules the questionnaire declares."""
    rules = questionnaire.scoring
    questions = {
        q.id: score_question(questionnaire, answers, q.id) for q in questionnaire.questions
    }
    pillars: dict[str, Result] = {}
    known_scores: dict[str, float | None] = {}  # each pillar's score without its unknowns
    best_scores: dict[str, float | None] = {}  # ... and with its unknowns as the best answers
    top = max(lv.level for lv in questionnaire.levels)
    for pillar in questionnaire.pillars:
        parts = _pillar_parts(questionnaire, questions, pillar.id)
        known = aggregate(known_only(parts), rules.pillar, questionnaire.levels)
        known_scores[pillar.id] = known[0]
        high = None
        if any(p.dont_know and p.score is not None for p in parts):
            high = aggregate(best_case(parts, top), rules.pillar, questionnaire.levels)[:2]
        result = _result(pillar.id, parts, rules.pillar, questionnaire, high=high)
        pillars[pillar.id] = result
        best_scores[pillar.id] = result.score if high is None else high[0]
    areas: dict[str, Result] = {}
    for area in questionnaire.challenge_areas:
        parts = [
            _question_part(questions[q.id], q.weight * q.challenge_areas[area.id], q.gate_level)
            for q in questionnaire.questions
            if area.id in q.challenge_areas
        ]
        caps = [
            (pid, pillars[pid].level, pillars[pid].level_low, pillars[pid].level_high)
            for pid in area.pillars
            if pid in pillars and pillars[pid].applicable
        ]
        areas[area.id] = _result(area.id, parts, rules.challenge_area, questionnaire, caps=caps)
    pillar_parts = [
        Part(
            id=p.id,
            status="applicable" if pillars[p.id].applicable else NOT_APPLICABLE_STATUS,
            answer=None,
            weight=float(p.weight),
            score=pillars[p.id].score,
            level=pillars[p.id].level,
        )
        for p in questionnaire.pillars
    ]
    # what the overall level reads: each pillar's known answers (its score without unknowns)
    typical_parts = [
        part
        if part.score is None or known_scores[part.id] is None
        else replace(part, score=known_scores[part.id])
        for part in pillar_parts
    ]
    used = [(p, pillars[p.id]) for p in questionnaire.pillars if pillars[p.id].applicable]
    total = sum(p.weight for p, _ in used)
    overall_dk = sum(p.weight * r.dont_know_share for p, r in used) / total if total else 0.0
    low_parts = [
        replace(part, level=pillars[part.id].level_low) if part.score is not None else part
        for part in pillar_parts
    ]
    high_parts = [
        replace(part, score=best_scores[part.id], level=pillars[part.id].level_high)
        if part.score is not None
        else part
        for part in pillar_parts
    ]
    overall = _result(
        "overall",
        typical_parts,
        rules.overall,
        questionnaire,
        overall_dk,
        low_parts=low_parts,
        high=aggregate(high_parts, rules.overall, questionnaire.levels)[:2],
    )
    overall = replace(overall, confidence=deciding_confidence(overall, pillars))
    answered = sum(1 for qr in questions.values() if qr.status != UNANSWERED)
    return Scorecard(
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        questions=MappingProxyType(questions),
        pillars=MappingProxyType(pillars),
        challenge_areas=MappingProxyType(areas),
        overall=overall,
        coverage=answered / len(questions) if questions else 0.0,
        unanswered=tuple(qid for qid, qr in questions.items() if qr.status == UNANSWERED),
    )
