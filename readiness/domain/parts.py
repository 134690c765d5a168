"""Parts of a result and how the three methods (weighted mean, gated, minimum) aggregate them.

`scoring` builds the parts from the answers (questions of a pillar or an area, or the pillars
of the overall result) and reads each result's level three ways through `aggregate`: with the
unknowns as the lowest answers, left out, and as the best answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace
from typing import Any

from readiness.domain.aggregation.rules import EPSILON
from readiness.domain.questionnaire import Aggregation
from readiness.domain.questionnaire import Level


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


def fmt(x: float) -> str:
    return f"{x:.4g}" if x != int(x) else str(int(x))


def _mean_text(parts: Sequence[Part], total: float, mean: float) -> str:
    terms = " + ".join(f"{fmt(p.weight)}×{p.score:.1f}" for p in parts)
    return f"({terms}) / {fmt(total)} = {mean:.1f}"


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
        f"because {mean:.1f} ≥ {fmt(levels[by_score].min_score)}{cap_text}"
    )
    return mean, level, text, contributions


def known_only(parts: Sequence[Part]) -> list[Part]:
    """The parts with a "don't know" answer left out, as if not applicable (for the level)."""
    return [p if not p.dont_know else replace(p, score=None, level=None) for p in parts]


def best_case(parts: Sequence[Part], top: int) -> list[Part]:
    """The parts with a "don't know" answer taken as the best answer (for `level_high`).

    The best answer is full marks at the top level, not each question's own best option (which
    a questionnaire may declare lower): so `level_high` is never below the level read from the
    known answers alone, and it still rises whenever a known answer becomes unknown.
    """
    return [
        replace(p, score=100.0, level=top) if p.dont_know and p.score is not None else p
        for p in parts
    ]
