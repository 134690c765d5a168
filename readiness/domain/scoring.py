"""Scoring: answers -> question results, then pillar, challenge-area and overall Results."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from readiness.domain.answers import DONT_KNOW
from readiness.domain.answers import NOT_APPLICABLE
from readiness.domain.answers import AnswerSet
from readiness.domain.answers import fraction
from readiness.domain.answers import points
from readiness.domain.answers import question_level
from readiness.domain.answers import value_to_json
from readiness.domain.questionnaire import Aggregation
from readiness.domain.questionnaire import Level
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
CONFIDENCE_ORDER = ("high", "medium", "low")  # max() by this index picks the least certain
EPSILON = 1e-9  # float noise allowed when comparing a score with a threshold


@dataclass(frozen=True)
class Part:
    """One part of a result: a question (with its area or pillar weight) or a pillar."""

    id: str
    status: str
    answer: Any
    weight: float
    score: float | None  # None: not applicable, left out of the result
    level: int | None
    dont_know: bool = False
    gate_level: int = 1  # in a gated rule, the part counts towards gates gate_level..5 only


def level_for_score(levels: Sequence[Level], score: float) -> int:
    """The highest level whose min_score the score reaches."""
    reached = [lv.level for lv in levels if score + EPSILON >= lv.min_score]
    return max(reached, default=0)


def _fmt(x: float) -> str:
    return f"{x:.4g}" if x != int(x) else str(int(x))


def _mean_text(parts: Sequence[Part], total: float, mean: float) -> str:
    terms = " + ".join(f"{_fmt(p.weight)}×{p.score:.1f}" for p in parts)
    return f"({terms}) / {_fmt(total)} = {mean:.1f}"


def gated_level(parts: Sequence[Part], threshold: float) -> tuple[int, list[float | None]]:
    """The gated level and, per gate k, the weight share at level >= k of the parts it counts.

    Gate k counts the parts with gate_level <= k (the requirements of levels 1..k); a gate that
    counts no part is passed, as no requirement of that level can be missed.
    """
    shares: list[float | None] = []
    for k in range(6):
        counted = [p for p in parts if p.gate_level <= k]
        total = sum(p.weight for p in counted)
        shares.append(sum(p.weight for p in counted if p.level >= k) / total if total else None)
    level = 0
    for k in range(1, 6):
        share = shares[k]
        if share is not None and share + EPSILON < threshold:
            break
        level = k
    return level, shares


def _share_text(parts: Sequence[Part], shares: Sequence[float | None]) -> str:
    text = ", ".join(
        f"≥{k}: " + ("no part, passed" if shares[k] is None else f"{shares[k]:.0%}")
        for k in range(1, 6)
    )
    limited = sorted(f"{p.id} ≥{p.gate_level}" for p in parts if p.gate_level > 1)
    if limited:
        text += f" (gate k counts only parts with gate level ≤ k: {', '.join(limited)})"
    return text


def _cap(parts: Sequence[Part], rule: Aggregation, level: int) -> tuple[int, str]:
    """The level after the rule's max_lead cap, and a sentence on the cap ('' if none)."""
    if rule.max_lead is None:
        return level, ""
    lowest = min(parts, key=lambda p: (p.level, p.id))
    cap = lowest.level + rule.max_lead
    if level <= cap:
        return level, (
            f"; cap: at most the lowest part level {lowest.level} ({lowest.id}) + "
            f"{rule.max_lead} = {cap}, not binding"
        )
    return cap, (
        f"; capped at the lowest part level {lowest.level} ({lowest.id}) + {rule.max_lead} = {cap}"
    )


def aggregate(
    parts: Sequence[Part], rule: Aggregation, levels: Sequence[Level]
) -> tuple[float | None, int | None, str, dict[str, float]]:
    """Score, level, rule text and contributions of the applicable parts under `rule`."""
    used = [p for p in parts if p.score is not None]
    if not used:
        return None, None, "not applicable: every part is answered 'not applicable'", {}
    total = sum(p.weight for p in used)
    names = {lv.level: lv.name.get("en") for lv in levels}
    if rule.method == "minimum":
        low = min(used, key=lambda p: (p.score, p.id))
        weakest = min(used, key=lambda p: (p.level, p.id))
        text = (
            f"minimum of {len(used)} parts: score = lowest part score {low.score:.1f} ({low.id}); "
            f"level = lowest part level {weakest.level} ({weakest.id})"
        )
        return low.score, weakest.level, text, {low.id: low.score}
    mean = sum(p.weight * p.score for p in used) / total
    mean = min(100.0, max(0.0, mean))
    contributions = {p.id: p.weight * p.score / total for p in used}
    if rule.method == "gated":
        gated, shares = gated_level(used, rule.threshold)
        level, cap_text = _cap(used, rule, gated)
        text = (
            f"weighted mean {_mean_text(used, total, mean)}; gated at {rule.threshold:.0%}: "
            f"weight share of parts at level {_share_text(used, shares)}; level {gated} "
            f"({names[gated]}) is the highest level that it and every lower level reach"
            f"{cap_text}"
        )
        return mean, level, text, contributions
    if rule.method != "weighted_mean":
        raise ValueError(f"unknown aggregation method {rule.method!r}")
    by_score = level_for_score(levels, mean)
    level, cap_text = _cap(used, rule, by_score)
    text = (
        f"weighted mean {_mean_text(used, total, mean)}; level {by_score} ({names[by_score]}) "
        f"because {mean:.1f} ≥ {_fmt(levels[by_score].min_score)}{cap_text}"
    )
    return mean, level, text, contributions


def _confidence(
    share_known: float, high: float, medium: float, resting_on_unknowns: bool = False
) -> str:
    """high / medium / low from the known share; a level resting on unknowns is never high."""
    if share_known + EPSILON >= high and not resting_on_unknowns:
        return "high"
    if share_known + EPSILON >= medium:
        return "medium"
    return "low"


def _deciding_confidence(overall: Result, pillars: Mapping[str, Result]) -> str | None:
    """The overall confidence, never above that of a pillar at or below the overall level.

    Those pillars decide the overall level (the gate and the cap read them), so a firm level
    resting on an uncertain pillar is no more certain than that pillar.
    """
    if overall.confidence is None:
        return None
    deciding = [
        r.confidence
        for r in pillars.values()
        if r.applicable and r.confidence is not None and r.level <= overall.level
    ]
    return max([overall.confidence, *deciding], key=CONFIDENCE_ORDER.index)


def _known(parts: Sequence[Part]) -> list[Part]:
    """The parts with a "don't know" answer left out, as if not applicable (for the level)."""
    return [p if not p.dont_know else replace(p, score=None, level=None) for p in parts]


def _result(
    result_id: str,
    parts: Sequence[Part],
    rule: Aggregation,
    questionnaire: Questionnaire,
    dont_know_share: float | None = None,
    low_parts: Sequence[Part] | None = None,
    caps: Sequence[tuple[str, int, int]] = (),
) -> Result:
    """One result. The level counts only known answers; level_low counts unknowns as lowest.

    The same for every method: the score (and `level_low`) count a "don't know" as the lowest
    answer; the level leaves it out, as if not applicable (gated: out of the gates; weighted
    mean: out of the mean the level band reads; minimum: out of the minimum). `low_parts` (for
    the overall result) are the pillars with their real scores at their lowest levels, `parts`
    the pillars with the score and level of their known answers; `caps` are (pillar, level,
    level_low) of the pillars a challenge area belongs to.
    """
    score, level_low, text, contributions = aggregate(
        parts if low_parts is None else low_parts, rule, questionnaire.levels
    )
    typical = parts if low_parts is not None else _known(parts)
    if low_parts is not None or any(p.dont_know and p.score is not None for p in parts):
        _s, level, known_text, _c = aggregate(typical, rule, questionnaire.levels)
        if level is None:  # every applicable part is unknown: nothing to read a level from
            level = level_low
        elif level != level_low or low_parts is None:
            text += f"; without the don't-know answers: {known_text}"
    else:
        level = level_low
    capped_by = None
    if level is not None and caps:
        pillar, cap, cap_low = min(caps, key=lambda c: (c[1], c[0]))
        if cap < level:
            capped_by = pillar
            text += f"; held at the level {cap} of pillar {pillar}, which it belongs to"
        level = min(level, cap)
        level_low = min(level_low, min(c[2] for c in caps), level)
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
        else _confidence(
            1 - dont_know_share,
            rules.confidence_high,
            rules.confidence_medium,
            resting_on_unknowns=level_low is not None and level_low < level,
        ),
        rule=text,
        working=working,
        level_low=level_low,
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
    for pillar in questionnaire.pillars:
        parts = _pillar_parts(questionnaire, questions, pillar.id)
        pillars[pillar.id] = _result(pillar.id, parts, rules.pillar, questionnaire)
        known_scores[pillar.id] = aggregate(_known(parts), rules.pillar, questionnaire.levels)[0]
    areas: dict[str, Result] = {}
    for area in questionnaire.challenge_areas:
        parts = [
            _question_part(questions[q.id], q.weight * q.challenge_areas[area.id], q.gate_level)
            for q in questionnaire.questions
            if area.id in q.challenge_areas
        ]
        caps = [
            (pid, pillars[pid].level, pillars[pid].level_low)
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
    overall = _result(
        "overall", typical_parts, rules.overall, questionnaire, overall_dk, low_parts=low_parts
    )
    overall = replace(overall, confidence=_deciding_confidence(overall, pillars))
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
