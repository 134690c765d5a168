"""Priorities: which measure comes first, and why - what caps the overall level, then the gap."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from readiness.domain.questionnaire import Action
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.scoring import NOT_APPLICABLE_STATUS
from readiness.domain.scoring import Scorecard

TOP_LEVEL = 5
CAPS, HOLDS, GAP = "caps", "holds", "gap"  # why a measure ranks where it does
REASON_ORDER = {CAPS: 0, HOLDS: 1, GAP: 2}


@dataclass(frozen=True)
class Reason:
    """Why a measure ranks where it does.

    kind: "caps" - its area holds answers of the lowest pillar below the next overall level;
    "holds" - of another pillar below the next overall level; "gap" - neither, ranked by its
    normalised gap. `share` is the area's share of those blocking answers (0-1); `questions`
    names them (heaviest first, at most five).
    """

    kind: str
    pillars: tuple[str, ...]
    share: float
    questions: tuple[str, ...]


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
    reason: Reason | None = None


def actions_for(
    questionnaire: Questionnaire, measure_id: str, level: int, profile: Mapping[str, object]
) -> tuple[Action, ...]:
    """The measure's actions from `level` that fit the profile, profile-tailored ones first."""
    measure = questionnaire.measure(measure_id)
    if measure is None or level >= TOP_LEVEL:
        return ()
    fitting = [a for a in measure.actions if a.from_level == level and a.applies_to(profile)]
    return tuple(sorted(fitting, key=lambda a: not a.when))  # stable: file order within each group


def blocking_questions(
    questionnaire: Questionnaire, scorecard: Scorecard, pillar_id: str
) -> list[tuple[str, float]]:
    """(question, weight) of a pillar's questions below its next level that count for that gate.

    These are the answers that hold the pillar at its level; "don't know" answers are among
    them (an unknown cannot show the next level is met).
    """
    result = scorecard.pillars[pillar_id]
    if not result.applicable or result.level >= TOP_LEVEL:
        return []
    target = result.level + 1
    rows = []
    for question in questionnaire.questions_of(pillar_id):
        qr = scorecard.questions[question.id]
        if qr.status == NOT_APPLICABLE_STATUS or question.gate_level > target:
            continue
        if qr.status == "dont_know" or qr.level < target:
            rows.append((question.id, question.weight))
    return rows


def binding_pillars(scorecard: Scorecard) -> tuple[list[str], list[str]]:
    """(capping, holding): the lowest pillars below the next overall level, and the others."""
    overall = scorecard.overall
    if not overall.applicable or overall.level >= TOP_LEVEL:
        return [], []
    target = overall.level + 1
    below = {
        pid: r.level for pid, r in scorecard.pillars.items() if r.applicable and r.level < target
    }
    if not below:
        return [], []
    lowest = min(below.values())
    capping = [pid for pid, level in below.items() if level == lowest]
    return capping, [pid for pid in below if pid not in capping]


def _area_shares(
    questionnaire: Questionnaire, scorecard: Scorecard, pillars: list[str]
) -> tuple[dict[str, float], dict[str, list[tuple[float, str]]]]:
    """Per area: its share of the blocking answers of `pillars` (each pillar counts once)."""
    shares: dict[str, float] = {}
    named: dict[str, list[tuple[float, str]]] = {}
    for pillar_id in pillars:
        rows = blocking_questions(questionnaire, scorecard, pillar_id)
        total = sum(weight for _, weight in rows)
        for qid, weight in rows:
            mapping = questionnaire.question(qid).challenge_areas
            spread = sum(mapping.values())
            for area_id, mapped in mapping.items():
                part = weight * mapped / spread / total / len(pillars)
                shares[area_id] = shares.get(area_id, 0.0) + part
                named.setdefault(area_id, []).append((part, qid))
    return shares, named


def prioritise(
    questionnaire: Questionnaire, scorecard: Scorecard, profile: Mapping[str, object]
) -> tuple[Recommendation, ...]:
    """One recommendation per applicable challenge area below the top level, most binding first.

    First the areas holding the answers of the lowest pillar(s) below the next overall level
    (they cap the firm), largest share first; then those holding answers of the other pillars
    below it; then the rest. Ties and the rest go by the normalised gap (100 - area score) /
    number of applicable areas - every area weighs the same, however many questions map to it.
    """
    capping, holding = binding_pillars(scorecard)
    cap_shares, cap_named = _area_shares(questionnaire, scorecard, capping)
    hold_shares, hold_named = _area_shares(questionnaire, scorecard, holding)
    applicable = [
        a for a in questionnaire.challenge_areas if scorecard.challenge_areas[a.id].applicable
    ]
    rows = []
    for area in applicable:
        result = scorecard.challenge_areas[area.id]
        if result.level >= TOP_LEVEL:
            continue
        gap = (100.0 - result.score) / len(applicable)
        if cap_shares.get(area.id, 0.0) > 1e-9:
            kind, pillars, share, named = CAPS, capping, cap_shares[area.id], cap_named[area.id]
        elif hold_shares.get(area.id, 0.0) > 1e-9:
            kind, pillars, share, named = HOLDS, holding, hold_shares[area.id], hold_named[area.id]
        else:
            kind, pillars, share, named = GAP, [], 0.0, []
        top = tuple(dict.fromkeys(q for _, q in sorted(named, key=lambda n: -n[0])))[:5]
        reason = Reason(kind, tuple(pillars), share, top)
        rows.append((area, result, gap, reason))
    rows.sort(
        key=lambda r: (
            REASON_ORDER[r[3].kind],
            -round(r[3].share, 9),
            -round(r[2], 9),
            r[1].level,
            r[0].measure,
        )
    )
    recommendations = []
    for priority, (area, result, gap, reason) in enumerate(rows, start=1):
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
                reason=reason,
            )
        )
    return tuple(recommendations)
