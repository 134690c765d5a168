"""Recommendations: prioritised measures with reasons, next-level suggestions and the roadmap.

The parts live in their own modules - priorities.py (which measure first, and why), lifts.py
(the fewest answer changes to a pillar's or the firm's next level, checked by re-scoring) and
roadmap.py (actions in capped horizons after their prerequisites) - and are re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from readiness.domain.lifts import Change
from readiness.domain.lifts import Lift
from readiness.domain.lifts import answer_for_level
from readiness.domain.lifts import answers_of
from readiness.domain.lifts import lift
from readiness.domain.lifts import overall_lift
from readiness.domain.priorities import TOP_LEVEL
from readiness.domain.priorities import Reason
from readiness.domain.priorities import Recommendation
from readiness.domain.priorities import actions_for
from readiness.domain.priorities import prioritise
from readiness.domain.questionnaire import Action
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.roadmap import BACKLOG
from readiness.domain.roadmap import HORIZONS
from readiness.domain.roadmap import Horizon
from readiness.domain.roadmap import RoadmapStep
from readiness.domain.roadmap import roadmap
from readiness.domain.scoring import Scorecard

__all__ = [
    "BACKLOG",
    "HORIZONS",
    "TOP_LEVEL",
    "Change",
    "Horizon",
    "Lift",
    "Plan",
    "Reason",
    "Recommendation",
    "RoadmapStep",
    "action_dict",
    "actions_for",
    "answer_for_level",
    "answers_of",
    "lift",
    "overall_lift",
    "prioritise",
    "recommend",
    "roadmap",
]


@dataclass(frozen=True)
class Plan:
    """Recommendations, next-level lifts per pillar and overall, and the roadmap."""

    recommendations: tuple[Recommendation, ...]
    next_level: Mapping[str, Lift]
    roadmap: tuple[Horizon, ...]
    overall_next: Lift | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict (action texts in every language)."""
        return {
            "recommendations": [
                {
                    **_fields(r),
                    "reason": None if r.reason is None else _fields(r.reason),
                    "actions": [action_dict(a) for a in r.actions],
                }
                for r in self.recommendations
            ],
            "next_level": {
                pid: {**_fields(lift), "changes": [_fields(c) for c in lift.changes]}
                for pid, lift in self.next_level.items()
            },
            "overall_next": None
            if self.overall_next is None
            else {
                **_fields(self.overall_next),
                "changes": [_fields(c) for c in self.overall_next.changes],
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
    """An action as JSON: its texts in `lang`, or in every language when lang is None."""
    indicator = action.indicator
    return {
        "id": action.id,
        "from_level": action.from_level,
        "pillar": action.pillar,
        "when": {k: list(v) for k, v in action.when.items()},
        "tailored": bool(action.when),
        "text": dict(action.text.values) if lang is None else action.text.get(lang),
        "requires": list(action.requires),
        "effort": action.effort,
        "cost": action.cost,
        "owner": action.owner,
        "indicator": (dict(indicator.values) if lang is None else indicator.get(lang))
        if indicator.values
        else None,
    }


def recommend(
    questionnaire: Questionnaire, scorecard: Scorecard, profile: Mapping[str, object]
) -> Plan:
    """Prioritised measures with reasons, next-level lifts (per pillar, overall) and the roadmap."""
    recommendations = prioritise(questionnaire, scorecard, profile)
    answers = answers_of(questionnaire, scorecard)
    lifts = {p.id: lift(questionnaire, answers, scorecard, p.id) for p in questionnaire.pillars}
    return Plan(
        recommendations=recommendations,
        next_level=MappingProxyType(lifts),
        roadmap=roadmap(questionnaire, recommendations, profile, scorecard),
        overall_next=overall_lift(questionnaire, answers, scorecard),
    )
