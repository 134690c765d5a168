"""Next-level suggestions: the fewest answer changes that lift a pillar, or the whole firm."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from readiness.domain.answers import AnswerSet
from readiness.domain.answers import AnswerValue
from readiness.domain.answers import parse_value
from readiness.domain.answers import question_level
from readiness.domain.answers import value_to_json
from readiness.domain.questionnaire import Question
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.scoring import NOT_APPLICABLE_STATUS
from readiness.domain.scoring import UNANSWERED
from readiness.domain.scoring import Scorecard
from readiness.domain.scoring import score
from readiness.domain.scoring import score_pillar

TOP_LEVEL = 5
# an overall suggestion lifts one pillar one level at a time; this bounds the search
MAX_PILLAR_STEPS = 12


@dataclass(frozen=True)
class Change:
    """One answer to change: from its current JSON form (status says why) to the suggestion."""

    question_id: str
    status: str
    current: Any
    suggested: Any


@dataclass(frozen=True)
class Lift:
    """The fewest answer changes that take a pillar to its next level, checked by re-scoring."""

    pillar: str
    current_level: int | None
    target_level: int | None
    reachable: bool
    changes: tuple[Change, ...]
    new_score: float | None
    new_level: int | None
    rule: str


def answers_of(questionnaire: Questionnaire, scorecard: Scorecard) -> AnswerSet:
    """The AnswerSet a scorecard was computed from (its questions keep each answer's JSON form)."""
    values = {
        qid: parse_value(questionnaire.question(qid), qr.answer)
        for qid, qr in scorecard.questions.items()
        if qr.status != UNANSWERED and questionnaire.question(qid) is not None
    }
    return AnswerSet(values)


def _candidate_answers(question: Question, current: AnswerValue | None) -> list[AnswerValue]:
    """Every answer worth suggesting, each at least as good as `current` for multiple choice."""
    if question.type == "level":
        return list(range(6))
    if question.type == "single_choice":
        return [o.id for o in question.options]
    if question.type == "multiple_choice":
        # an exclusive option ("none of these") cannot be combined: build on the others only
        alone = {o.id for o in question.options if o.exclusive}
        chosen = set(current) - alone if isinstance(current, tuple) else set()
        extra = sorted(
            (o for o in question.options if o.id not in chosen and o.id not in alone),
            key=lambda o: -o.score,
        )
        answers = []
        for option in [None, *extra]:
            if option is not None:
                chosen.add(option.id)
            answers.append(tuple(o.id for o in question.options if o.id in chosen))
        return answers
    if question.type == "number":
        return [band.min for band in question.bands]
    return [question.yes_scores]


def answer_for_level(
    question: Question, level: int, current: AnswerValue | None = None
) -> AnswerValue | None:
    """The answer with the fewest points that reaches `level` (None if none does)."""
    fitting = [
        a for a in _candidate_answers(question, current) if question_level(question, a) >= level
    ]
    if not fitting:
        return None
    return min(fitting, key=lambda a: question_level(question, a))


def lift(
    questionnaire: Questionnaire, answers: AnswerSet, scorecard: Scorecard, pillar_id: str
) -> Lift:
    """The fewest answer changes that raise one pillar to its next level.

    weighted_mean: raise to full marks the questions with the largest weight x (1 - fraction)
    first (each change adds that much, so the largest first needs the fewest); gated: raise to
    it the questions below the next level that count towards its gate (gate_level <= it), the
    largest gain to that gate's share first (a known answer: its weight; an unknown: 1 -
    threshold of it, as it joins the gate); minimum: raise every question below it. With a
    max_lead cap m, every question below the next level - m must rise first (the cap needs them
    all). Each step is re-scored, so the suggestion is checked against the real scoring.
    """
    result = scorecard.pillars[pillar_id]
    rule = questionnaire.scoring.pillar
    method = rule.method
    if not result.applicable or result.level >= TOP_LEVEL:
        why = "not applicable" if not result.applicable else "already at the top level"
        return Lift(pillar_id, result.level, None, False, (), result.score, result.level, why)
    target = result.level + 1
    floor = -1 if rule.max_lead is None or method == "minimum" else target - rule.max_lead
    order = {q.id: i for i, q in enumerate(questionnaire.questions)}
    candidates: list[tuple[tuple[float, ...], Question, AnswerValue]] = []
    # gates and cap skip unknowns unless every applicable answer is unknown (see scoring)
    some_known = any(
        scorecard.questions[q.id].status not in (NOT_APPLICABLE_STATUS, "dont_know")
        for q in questionnaire.questions_of(pillar_id)
    )
    for question in questionnaire.questions_of(pillar_id):
        qr = scorecard.questions[question.id]
        if qr.status == NOT_APPLICABLE_STATUS:
            continue  # changing N/A would change the denominator, not raise an answer
        current = answers.get(question.id)
        # the level leaves a "don't know" out (unless every applicable answer is unknown), and
        # so do the gates and the cap: 0 = the cap needs it, so it goes first
        skipped = qr.status == "dont_know" and some_known
        needed = 0 if qr.level < floor and not skipped else 1
        if method == "weighted_mean":
            if qr.fraction >= 1 and not skipped:
                continue
            # what a change adds towards the target's min_score T on the mean of known answers:
            # a known answer w × (1 − fraction); an unknown answered in full joins the mean,
            # w × (1 − T/100) - both linear, so the largest first needs the fewest changes
            gain = 1 - questionnaire.levels[target].min_score / 100 if skipped else 1 - qr.fraction
            key = (needed, 0, -question.weight * gain, order[question.id])
            suggestion = answer_for_level(question, TOP_LEVEL, current)
        elif method == "minimum" and skipped:
            continue  # the minimum of the known answers does not read it
        else:
            counts = method == "minimum" or question.gate_level <= target
            if qr.level >= target or not (counts or needed == 0):
                continue
            # the gates below the target pass already, so only the target's gate falls short,
            # and the largest gains first need the fewest changes: a known answer raised adds
            # its weight to the share at the target; a "don't know" answered joins the gate,
            # adding its weight to both sides of the share, a net (1 - threshold) of it. So a
            # heavy unknown can beat light known answers; on a tie the known answer goes first
            unknown = int(qr.status == "dont_know")
            gain = question.weight * (1 - rule.threshold if unknown and method == "gated" else 1)
            key = (needed, -gain, unknown, order[question.id])
            suggestion = answer_for_level(question, target if counts else floor, current)
        if suggestion is not None:
            candidates.append((key, question, suggestion))
    candidates.sort(key=lambda c: c[0])
    changes: dict[str, AnswerValue] = {}
    new = result
    for _key, question, suggestion in candidates:
        changes[question.id] = suggestion
        new = score_pillar(questionnaire, answers.replace(changes), pillar_id)
        if new.level >= target:
            break
    reached = new.level is not None and new.level >= target
    return Lift(
        pillar=pillar_id,
        current_level=result.level,
        target_level=target,
        reachable=reached,
        changes=tuple(
            Change(
                qid,
                scorecard.questions[qid].status,
                scorecard.questions[qid].answer,
                value_to_json(value),
            )
            for qid, value in changes.items()
        ),
        new_score=new.score,
        new_level=new.level,
        rule=f"{method}: {len(changes)} change(s) re-scored to level {new.level}",
    )


def _changes(scorecard: Scorecard, changes: dict[str, AnswerValue]) -> tuple[Change, ...]:
    return tuple(
        Change(
            qid,
            scorecard.questions[qid].status,
            scorecard.questions[qid].answer,
            value_to_json(value),
        )
        for qid, value in changes.items()
    )


def overall_lift(questionnaire: Questionnaire, answers: AnswerSet, scorecard: Scorecard) -> Lift:
    """The fewest answer changes (found greedily) that raise the overall level by one.

    Pillars whose level the overall rule's max_lead cap holds below the target rise first (the
    cap needs them all); then, one level at a time, the pillar below the target whose next
    level needs the fewest changes. Every step is re-scored with the real scoring, so the
    suggestion is checked: `reachable` says whether the re-scored overall level reaches it.
    """
    result = scorecard.overall
    if not result.applicable or result.level >= TOP_LEVEL:
        why = "not applicable" if not result.applicable else "already at the top level"
        return Lift("overall", result.level, None, False, (), result.score, result.level, why)
    target = result.level + 1
    rule = questionnaire.scoring.overall
    floor = -1 if rule.max_lead is None else target - rule.max_lead
    changes: dict[str, AnswerValue] = {}
    current, current_answers = scorecard, answers
    for _step in range(MAX_PILLAR_STEPS):
        if current.overall.level >= target:
            break
        below = [
            p.id
            for p in questionnaire.pillars
            if current.pillars[p.id].applicable and current.pillars[p.id].level < target
        ]
        capped = [pid for pid in below if current.pillars[pid].level < floor]
        best: Lift | None = None
        for pid in capped or below:
            candidate = lift(questionnaire, current_answers, current, pid)
            if candidate.reachable and (best is None or len(candidate.changes) < len(best.changes)):
                best = candidate
        if best is None:
            break
        for change in best.changes:
            question = questionnaire.question(change.question_id)
            changes[change.question_id] = parse_value(question, change.suggested)
        current_answers = answers.replace(changes)
        current = score(questionnaire, current_answers)
    new = current.overall
    return Lift(
        pillar="overall",
        current_level=result.level,
        target_level=target,
        reachable=new.level is not None and new.level >= target,
        changes=_changes(scorecard, changes),
        new_score=new.score,
        new_level=new.level,
        rule=f"{rule.method}: {len(changes)} change(s) re-scored to overall level {new.level}",
    )
