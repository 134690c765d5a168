"""Recommendations: measures by weighted gap, the next-level lift per pillar, and a roadmap."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from readiness.domain.answers import AnswerSet
from readiness.domain.answers import AnswerValue
from readiness.domain.answers import parse_value
from readiness.domain.answers import question_level
from readiness.domain.answers import value_to_json
from readiness.domain.questionnaire import Action
from readiness.domain.questionnaire import Question
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.scoring import NOT_APPLICABLE_STATUS
from readiness.domain.scoring import UNANSWERED
from readiness.domain.scoring import Scorecard
from readiness.domain.scoring import score

TOP_LEVEL = 5
# (horizon id, first month, last month, most actions it holds; None: no limit). A firm cannot
# start a dozen changes at once: the first six months take the five most urgent actions.
HORIZONS = (("0-6", 0, 6, 5), ("6-18", 6, 18, 8), ("18-36", 18, 36, None))
# the roadmap plans the actions from the current level and the two levels above it
ROADMAP_STEPS = 3


@dataclass(frozen=True)
class Recommendation:
    """A measure for one challenge area, its priority, the gap behind it and the next actions."""

    measure: str
    challenge_area: str
    paper: str
    priority: int
    gap: float
    score: float
    level: int
    actions: tuple[Action, ...]


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


@dataclass(frozen=True)
class RoadmapStep:
    """The actions of one measure that work from one level."""

    measure: str
    challenge_area: str
    from_level: int
    actions: tuple[Action, ...]


@dataclass(frozen=True)
class Horizon:
    """A time horizon of the roadmap (months from now) and its steps, most urgent measure first."""

    id: str
    start_month: int
    end_month: int
    steps: tuple[RoadmapStep, ...]


@dataclass(frozen=True)
class Plan:
    """Recommendations, next-level lifts per pillar and a three-horizon roadmap."""

    recommendations: tuple[Recommendation, ...]
    next_level: Mapping[str, Lift]
    roadmap: tuple[Horizon, ...]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict (action texts in every language)."""
        return {
            "recommendations": [
                {**_fields(r), "actions": [action_dict(a) for a in r.actions]}
                for r in self.recommendations
            ],
            "next_level": {
                pid: {**_fields(lift), "changes": [_fields(c) for c in lift.changes]}
                for pid, lift in self.next_level.items()
            },
            "roadmap": [
                {
                    **_fields(h),
                    "steps": [
                        {**_fields(s), "actions": [action_dict(a) for a in s.actions]}
                        for s in h.steps
                    ],
                }
                for h in self.roadmap
            ],
        }


def _fields(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__dataclass_fields__}


def action_dict(action: Action, lang: str | None = None) -> dict[str, Any]:
    """An action as JSON: its text in `lang`, or in every language when lang is None."""
    return {
        "id": action.id,
        "from_level": action.from_level,
        "pillar": action.pillar,
        "when": {k: list(v) for k, v in action.when.items()},
        "tailored": bool(action.when),
        "text": dict(action.text.values) if lang is None else action.text.get(lang),
    }


def actions_for(
    questionnaire: Questionnaire, measure_id: str, level: int, profile: Mapping[str, object]
) -> tuple[Action, ...]:
    """The measure's actions from `level` that fit the profile, profile-tailored ones first."""
    measure = questionnaire.measure(measure_id)
    if measure is None or level >= TOP_LEVEL:
        return ()
    fitting = [a for a in measure.actions if a.from_level == level and a.applies_to(profile)]
    return tuple(sorted(fitting, key=lambda a: not a.when))  # stable: file order within each group


def area_weights(questionnaire: Questionnaire, scorecard: Scorecard) -> dict[str, float]:
    """Per challenge area: the summed weight (question x mapping) of its applicable questions."""
    weights = {a.id: 0.0 for a in questionnaire.challenge_areas}
    for question in questionnaire.questions:
        if scorecard.questions[question.id].status == NOT_APPLICABLE_STATUS:
            continue
        for area_id, mapping_weight in question.challenge_areas.items():
            weights[area_id] = weights.get(area_id, 0.0) + question.weight * mapping_weight
    return weights


def prioritise(
    questionnaire: Questionnaire, scorecard: Scorecard, profile: Mapping[str, object]
) -> tuple[Recommendation, ...]:
    """One recommendation per applicable challenge area below the top level, largest gap first.

    gap = (100 - area score) x (area weight / total weight of all applicable areas); ties go to
    the lower level, then the lower measure ID. An area already at level 5 gets no entry: there
    is no higher level to recommend actions for.
    """
    weights = area_weights(questionnaire, scorecard)
    total = sum(w for aid, w in weights.items() if scorecard.challenge_areas[aid].applicable)
    rows = []
    for area in questionnaire.challenge_areas:
        result = scorecard.challenge_areas[area.id]
        if not result.applicable or result.level >= TOP_LEVEL:
            continue
        gap = (100.0 - result.score) * weights[area.id] / total
        rows.append((area, result, gap))
    rows.sort(key=lambda r: (-round(r[2], 9), r[1].level, r[0].measure, r[0].id))
    recommendations = []
    for priority, (area, result, gap) in enumerate(rows, start=1):
        measure = questionnaire.measure(area.measure)
        recommendations.append(
            Recommendation(
                measure=area.measure,
                challenge_area=area.id,
                paper=measure.paper if measure else area.measure,
                priority=priority,
                gap=gap,
                score=result.score,
                level=result.level,
                actions=actions_for(questionnaire, area.measure, result.level, profile),
            )
        )
    return tuple(recommendations)


def roadmap(
    questionnaire: Questionnaire,
    recommendations: tuple[Recommendation, ...],
    profile: Mapping[str, object],
) -> tuple[Horizon, ...]:
    """Three horizons of at most 5, 8 and any number of actions, most urgent first.

    The actions from each measure's current level come first, then those from the next level,
    then from the level after (never beyond the step from 4 to 5); within a level, by measure
    priority, each measure's actions profile-tailored first. They fill 0-6 months up to 5
    actions, then 6-18 months up to 8, and the rest go to 18-36 months.
    """
    queue: list[tuple[Recommendation, int, Action]] = []
    for offset in range(ROADMAP_STEPS):
        for rec in recommendations:
            from_level = rec.level + offset
            if from_level < TOP_LEVEL:
                actions = actions_for(questionnaire, rec.measure, from_level, profile)
                queue.extend((rec, from_level, action) for action in actions)
    horizons = []
    for hid, start, end, limit in HORIZONS:
        taken, queue = (queue, []) if limit is None else (queue[:limit], queue[limit:])
        steps: list[RoadmapStep] = []
        for rec, from_level, action in taken:
            last = steps[-1] if steps else None
            if last is not None and (last.measure, last.from_level) == (rec.measure, from_level):
                steps[-1] = RoadmapStep(
                    last.measure, last.challenge_area, from_level, (*last.actions, action)
                )
            else:
                steps.append(RoadmapStep(rec.measure, rec.challenge_area, from_level, (action,)))
        horizons.append(Horizon(hid, start, end, tuple(steps)))
    return tuple(horizons)


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
    first (each change adds that much, so the largest first needs the fewest); gated: raise the
    heaviest questions below the next level that count towards its gate (gate_level <= it) to
    it; minimum: raise every question below it. With a max_lead cap m, every question below
    the next level - m must rise first (the cap needs them all). Each step is re-scored, so the
    suggestion is checked against the real scoring.
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
    candidates: list[tuple[tuple[int, float, int], Question, AnswerValue]] = []
    for question in questionnaire.questions_of(pillar_id):
        qr = scorecard.questions[question.id]
        if qr.status == NOT_APPLICABLE_STATUS:
            continue  # changing N/A would change the denominator, not raise an answer
        current = answers.get(question.id)
        needed = 0 if qr.level < floor else 1  # 0: the cap needs it, so it goes first
        if method == "weighted_mean":
            if qr.fraction >= 1:
                continue
            key = (needed, -question.weight * (1 - qr.fraction), order[question.id])
            suggestion = answer_for_level(question, TOP_LEVEL, current)
        else:
            counts = method == "minimum" or question.gate_level <= target
            if qr.level >= target or not (counts or needed == 0):
                continue
            key = (needed, -question.weight, order[question.id])
            suggestion = answer_for_level(question, target if counts else floor, current)
        if suggestion is not None:
            candidates.append((key, question, suggestion))
    candidates.sort(key=lambda c: c[0])
    changes: dict[str, AnswerValue] = {}
    rescored = scorecard
    for _key, question, suggestion in candidates:
        changes[question.id] = suggestion
        rescored = score(questionnaire, answers.replace(changes))
        if rescored.pillars[pillar_id].level >= target:
            break
    new = rescored.pillars[pillar_id]
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


def recommend(
    questionnaire: Questionnaire, scorecard: Scorecard, profile: Mapping[str, object]
) -> Plan:
    """Prioritised measures with actions, next-level lifts per pillar and the roadmap."""
    recommendations = prioritise(questionnaire, scorecard, profile)
    answers = answers_of(questionnaire, scorecard)
    lifts = {p.id: lift(questionnaire, answers, scorecard, p.id) for p in questionnaire.pillars}
    return Plan(
        recommendations=recommendations,
        next_level=MappingProxyType(lifts),
        roadmap=roadmap(questionnaire, recommendations, profile),
    )
