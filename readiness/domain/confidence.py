"""Confidence: how far a level can be trusted, from its unknowns and the pillars deciding it.

Every rule here reads quantities that move one way only when an answer becomes "don't know":
the share of unknowns grows, `level_low` falls and `level_high` rises. So saying "don't know"
never raises a confidence (docs/methodology.md, "Confidence from the answers that decide the
level"; `tests/domain/test_scoring.py` checks it on random questionnaires).
"""

from __future__ import annotations

from collections.abc import Mapping

from readiness.domain.aggregation.rules import EPSILON
from readiness.domain.scorecard import Result

CONFIDENCE_ORDER = ("high", "medium", "low")  # max() by this index picks the least certain


def confidence(share_known: float, high: float, medium: float, movable: bool = False) -> str:
    """high / medium / low from the known share; a level the unknowns could move is never high."""
    if share_known + EPSILON >= high and not movable:
        return "high"
    if share_known + EPSILON >= medium:
        return "medium"
    return "low"


def deciding_confidence(overall: Result, pillars: Mapping[str, Result]) -> str | None:
    """The overall confidence, never above that of a pillar that could decide the overall level.

    A pillar decides the overall level when it is at or below it (the gate and the cap read
    it). With unknowns, that is possible whenever the pillar's lowest level (its unknowns as the
    lowest answers) is at or below the overall's highest (the firm's unknowns as the best): so a
    firm level that may rest on an uncertain pillar is no more certain than that pillar. Both
    ends move only outwards as answers become unknown, so an unknown never raises a confidence.
    """
    if overall.confidence is None:
        return None
    top = overall.level if overall.level_high is None else overall.level_high
    deciding = [
        r.confidence
        for r in pillars.values()
        if r.applicable and r.confidence is not None and r.level_range[0] <= top
    ]
    return max([overall.confidence, *deciding], key=CONFIDENCE_ORDER.index)
