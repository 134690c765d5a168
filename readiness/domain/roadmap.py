"""The roadmap: actions not yet done, after their prerequisites, in capped horizons + a backlog."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from readiness.domain.priorities import TOP_LEVEL
from readiness.domain.priorities import Recommendation
from readiness.domain.priorities import actions_for
from readiness.domain.questionnaire import Action
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.scoring import ANSWERED
from readiness.domain.scoring import Scorecard

# (horizon id, first month, last month, most actions it holds). A 60-person firm cannot run a
# dozen changes at once: five in the first six months, eight in each later horizon, and the
# rest waits in a visible backlog.
HORIZONS = (("0-6", 0, 6, 5), ("6-18", 6, 18, 8), ("18-36", 18, 36, 8))
BACKLOG = "backlog"
# the roadmap plans the actions from the current level and the two levels above it
ROADMAP_STEPS = 3


@dataclass(frozen=True)
class RoadmapStep:
    """The actions of one measure that work from one level."""

    measure: str
    challenge_area: str
    from_level: int
    actions: tuple[Action, ...]


@dataclass(frozen=True)
class Horizon:
    """A time horizon (months from now; the backlog has no end) and its steps, in order."""

    id: str
    start_month: int
    end_month: int | None
    steps: tuple[RoadmapStep, ...]


def is_done(action: Action, scorecard: Scorecard | None) -> bool:
    """Whether the answers show the action is already done (any one `done_when` condition)."""
    if scorecard is None:
        return False
    for qid, condition in action.done_when.items():
        qr = scorecard.questions.get(qid)
        if qr is None or qr.status != ANSWERED:
            continue
        chosen = qr.answer if isinstance(qr.answer, list) else [qr.answer]
        if condition.options and any(o in chosen for o in condition.options):
            return True
        if condition.min_level is not None and qr.level >= condition.min_level:
            return True
        if condition.equals is not None and qr.answer is condition.equals:
            return True
    return False


def _home(questionnaire: Questionnaire) -> dict[str, tuple[str, str, Action]]:
    """action ID -> (measure, challenge area, action) for every action of the questionnaire."""
    area_of = {a.measure: a.id for a in questionnaire.challenge_areas}
    return {
        action.id: (m.id, area_of.get(m.id, m.id), action)
        for m in questionnaire.measures
        for action in m.actions
    }


def _queue(
    questionnaire: Questionnaire,
    recommendations: tuple[Recommendation, ...],
    profile: Mapping[str, object],
    scorecard: Scorecard | None,
) -> list[tuple[str, str, int, Action]]:
    """Actions in planning order, each after its prerequisites; done or unfit ones left out.

    Tier by tier (the current level of every measure, then +1, then +2), measures by priority;
    an action's unmet prerequisites join the queue just before it.
    """
    home = _home(questionnaire)
    queue: list[tuple[str, str, int, Action]] = []
    seen: set[str] = set()

    def add(action: Action, measure: str, area: str, depth: int = 0) -> None:
        if action.id in seen or is_done(action, scorecard) or depth > len(home):
            return
        seen.add(action.id)
        for required in action.requires:
            if required in home:
                r_measure, r_area, r_action = home[required]
                if r_action.applies_to(profile):
                    add(r_action, r_measure, r_area, depth + 1)
        queue.append((measure, area, action.from_level, action))

    for offset in range(ROADMAP_STEPS):
        for rec in recommendations:
            from_level = rec.level + offset
            if from_level < TOP_LEVEL:
                for action in actions_for(questionnaire, rec.measure, from_level, profile):
                    add(action, rec.measure, rec.challenge_area)
    return queue


def _steps(rows: list[tuple[str, str, int, Action]]) -> tuple[RoadmapStep, ...]:
    steps: list[RoadmapStep] = []
    for measure, area, from_level, action in rows:
        last = steps[-1] if steps else None
        if last is not None and (last.measure, last.from_level) == (measure, from_level):
            steps[-1] = RoadmapStep(measure, area, from_level, (*last.actions, action))
        else:
            steps.append(RoadmapStep(measure, area, from_level, (action,)))
    return tuple(steps)


def roadmap(
    questionnaire: Questionnaire,
    recommendations: tuple[Recommendation, ...],
    profile: Mapping[str, object],
    scorecard: Scorecard | None = None,
) -> tuple[Horizon, ...]:
    """Three capped horizons (at most 5, 8 and 8 actions) and a backlog with the rest.

    Each action goes, in queue order, to the earliest horizon with room that comes after the
    horizons of all its prerequisites; an action whose prerequisite waits in the backlog waits
    there too. Actions the answers show as done (`done_when`) are not offered.
    """
    placed: dict[str, int] = {}
    buckets: list[list[tuple[str, str, int, Action]]] = [[] for _ in range(len(HORIZONS) + 1)]
    for row in _queue(questionnaire, recommendations, profile, scorecard):
        action = row[3]
        earliest = max((placed[r] + 1 for r in action.requires if r in placed), default=0)
        slot = len(HORIZONS)
        for index in range(earliest, len(HORIZONS)):
            if len(buckets[index]) < HORIZONS[index][3]:
                slot = index
                break
        placed[action.id] = slot
        buckets[slot].append(row)
    horizons = [
        Horizon(hid, start, end, _steps(buckets[i]))
        for i, (hid, start, end, _limit) in enumerate(HORIZONS)
    ]
    horizons.append(Horizon(BACKLOG, HORIZONS[-1][2], None, _steps(buckets[-1])))
    return tuple(horizons)
