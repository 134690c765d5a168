"""A series of assessments over time: a table of overall, pillar and area results with steps."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from readiness.domain.answers import AnswerSet
from readiness.domain.comparison import Comparison
from readiness.domain.comparison import Delta
from readiness.domain.comparison import compare
from readiness.domain.comparison import delta_dict
from readiness.domain.comparison import rounded
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.scoring import Result
from readiness.domain.scoring import Scorecard


@dataclass(frozen=True)
class SeriesPoint:
    """One assessment of a series: a label (e.g. its date), its questionnaire and scorecard."""

    label: str
    questionnaire: Questionnaire
    scorecard: Scorecard


@dataclass(frozen=True)
class SeriesRow:
    """One result over time: score and level per assessment, and the step from the one before."""

    kind: str
    id: str
    scores: tuple[float | None, ...]
    levels: tuple[int | None, ...]
    steps: tuple[Delta | None, ...]  # steps[0] is None; steps[i] compares point i-1 with i
    net: Delta  # first assessment compared with the last


@dataclass(frozen=True)
class Series:
    """A table over time: one row for overall, each pillar and each challenge area."""

    labels: tuple[str, ...]
    questionnaires: tuple[str, ...]
    rows: tuple[SeriesRow, ...]

    def row(self, kind: str, row_id: str) -> SeriesRow | None:
        """The row of one result, or None."""
        return next((r for r in self.rows if r.kind == kind and r.id == row_id), None)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict (scores rounded to one decimal)."""
        return {
            "labels": list(self.labels),
            "questionnaires": list(self.questionnaires),
            "rows": [
                {
                    "kind": r.kind,
                    "id": r.id,
                    "scores": [rounded(s) for s in r.scores],
                    "levels": list(r.levels),
                    "trends": [None if s is None else s.trend for s in r.steps],
                    "comparable": [None if s is None else s.comparable for s in r.steps],
                    "net": delta_dict(r.net),
                }
                for r in self.rows
            ],
        }


def compare_series(points: Sequence[SeriesPoint]) -> Series:
    """Overall, pillar and challenge-area results of several assessments, oldest first."""
    if len(points) < 2:
        raise ValueError("a series needs at least two assessments")
    pairs = [
        compare(
            a.questionnaire, a.scorecard, AnswerSet(), b.questionnaire, b.scorecard, AnswerSet()
        )
        for a, b in zip(points, points[1:], strict=False)
    ]
    first, last = points[0], points[-1]
    net = compare(
        first.questionnaire,
        first.scorecard,
        AnswerSet(),
        last.questionnaire,
        last.scorecard,
        AnswerSet(),
    )
    keys: list[tuple[str, str]] = [("overall", "overall")]
    for point in points:
        keys += [("pillar", p.id) for p in point.questionnaire.pillars]
    for point in points:
        keys += [("challenge_area", a.id) for a in point.questionnaire.challenge_areas]
    keys = list(dict.fromkeys(keys))
    rows = []
    for kind, rid in keys:
        results = [_result_of(p.scorecard, kind, rid) for p in points]
        steps: list[Delta | None] = [None]
        for pair in pairs:
            steps.append(_delta_of(pair, kind, rid))
        rows.append(
            SeriesRow(
                kind=kind,
                id=rid,
                scores=tuple(r.score if r is not None else None for r in results),
                levels=tuple(r.level if r is not None else None for r in results),
                steps=tuple(steps),
                net=_delta_of(net, kind, rid),
            )
        )
    return Series(
        labels=tuple(p.label for p in points),
        questionnaires=tuple(p.questionnaire.key for p in points),
        rows=tuple(rows),
    )


def _result_of(card: Scorecard, kind: str, rid: str) -> Result | None:
    if kind == "overall":
        return card.overall
    return (card.pillars if kind == "pillar" else card.challenge_areas).get(rid)


def _delta_of(comparison: Comparison, kind: str, rid: str) -> Delta:
    if kind == "overall":
        return comparison.overall
    deltas = comparison.pillars if kind == "pillar" else comparison.challenge_areas
    return next(d for d in deltas if d.id == rid)
