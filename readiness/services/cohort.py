"""A programme's cohort in numbers: counts over consenting firms' latest official results.

The cohort page reads the counts kept by readiness.services.cohort_pool (changed by every
change, so the first view after one is as fast as any). `compute` recounts them in SQL the
straightforward way, starting from `consenting(programme)`: the organisations whose
participation in the programme has a consent now. A firm that withdrew is in no count, no
table and no export from the moment its withdrawal is committed. Nothing here decodes a result
document; scores come from `assessments.overall_score` and `assessment_scores`.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy import and_
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import aliased

from readiness.models import Assessment
from readiness.models import AssessmentScore
from readiness.models import Programme
from readiness.services import cohort_pool
from readiness.services.cohort_pool import DIMENSIONS
from readiness.services.cohort_pool import ROUNDS
from readiness.services.cohort_pool import consenting
from readiness.services.cohort_pool import since
from readiness.services.official import official

PER_PAGE = 25


def latest_condition(programme: Programme, questionnaire_id: str) -> ColumnElement[bool]:
    """Consenting firms' latest submitted assessments of the questionnaire in the programme."""
    return and_(
        Assessment.is_latest.is_(True),
        Assessment.questionnaire_id == questionnaire_id,
        Assessment.organisation_id.in_(consenting(programme)),
        Assessment.submitted_at >= since(programme),
    )


def _rounded(column: Any) -> Any:
    return func.round(column)


@dataclass
class RoundStat:
    """One round (T0, T1 …) of the firms that repeated: how many firms and their mean score."""

    number: int
    firms: int
    mean: float | None


@dataclass
class Cohort:
    """The counts a cohort page is drawn from (scores rounded to whole points)."""

    questionnaire_id: str
    firms: int = 0
    overall: dict[float, int] = field(default_factory=dict)
    overall_levels: dict[int, int] = field(default_factory=dict)
    parts: dict[tuple[str, str], dict[float, int]] = field(default_factory=dict)
    part_levels: dict[tuple[str, str], dict[int, int]] = field(default_factory=dict)
    breakdowns: dict[str, dict[str, dict[float, int]]] = field(default_factory=dict)
    rounds: list[RoundStat] = field(default_factory=list)


def cohort(session: Session, programme: Programme, questionnaire_id: str) -> Cohort:
    """The distributions of a programme's cohort for one questionnaire (caller checks roles).

    Read from the counts kept up to date by readiness.services.cohort_pool (built and
    committed first if this is the first time they are asked for).
    """
    return decode(questionnaire_id, cohort_pool.ensure_built(session, programme, questionnaire_id))


def decode(questionnaire_id: str, counts: dict[str, Any]) -> Cohort:
    """The Cohort of kept counts (readiness.services.cohort_pool)."""

    def pair(key: str) -> tuple[str, str]:
        kind, name = key.split("|", 1)
        return kind, name

    return Cohort(
        questionnaire_id,
        counts["firms"],
        {float(s): n for s, n in counts["overall"].items()},
        {int(lv): n for lv, n in counts["overall_levels"].items()},
        {pair(k): {float(s): n for s, n in v.items()} for k, v in counts["parts"].items()},
        {pair(k): {int(lv): n for lv, n in v.items()} for k, v in counts["part_levels"].items()},
        {
            d: {g: {float(s): n for s, n in v.items()} for g, v in b.items()}
            for d, b in counts["breakdowns"].items()
        },
        [
            RoundStat(int(n), firms, total / cohort_pool.MICRO / scored if scored else None)
            for n, (firms, scored, total) in sorted(
                counts["rounds"].items(), key=lambda item: int(item[0])
            )
        ],
    )


def compute(session: Session, programme: Programme, questionnaire_id: str) -> Cohort:
    """The cohort's counts recounted in SQL (what the kept counts must equal; tests, benchmarks)."""
    result = Cohort(questionnaire_id)
    where = latest_condition(programme, questionnaire_id)
    breakdowns: dict[str, dict[str, dict[float, int]]] = {d: {} for d in DIMENSIONS}
    dims = [getattr(Assessment, d) for d in DIMENSIONS]
    for row in session.execute(
        select(
            *dims,
            _rounded(Assessment.overall_score),
            Assessment.overall_level,
            func.count(),
        )
        .where(where)
        .group_by(*dims, _rounded(Assessment.overall_score), Assessment.overall_level)
    ):
        *keys, score, level, count = row
        result.firms += count
        if score is not None:
            result.overall[float(score)] = result.overall.get(float(score), 0) + count
            for dim, key in zip(DIMENSIONS, keys, strict=True):
                group = breakdowns[dim].setdefault(key or "", {})
                group[float(score)] = group.get(float(score), 0) + count
        if level is not None:
            result.overall_levels[level] = result.overall_levels.get(level, 0) + count
    result.breakdowns = breakdowns
    scores = aliased(AssessmentScore)
    for kind, key, score, level, count in session.execute(
        select(scores.kind, scores.key, _rounded(scores.score), scores.level, func.count())
        .join(Assessment, Assessment.id == scores.assessment_id)
        .where(where)
        .group_by(scores.kind, scores.key, _rounded(scores.score), scores.level)
    ):
        if score is not None:
            counts = result.parts.setdefault((kind, key), {})
            counts[float(score)] = counts.get(float(score), 0) + count
        if level is not None:
            levels = result.part_levels.setdefault((kind, key), {})
            levels[level] = levels.get(level, 0) + count
    result.rounds = rounds(session, programme, questionnaire_id)
    return result


def rounds(session: Session, programme: Programme, questionnaire_id: str) -> list[RoundStat]:
    """Mean overall score per round (T0 → T1 → T2) of the consenting firms that repeated."""
    number = (
        func.row_number()
        .over(
            partition_by=Assessment.organisation_id,
            order_by=(Assessment.submitted_at, Assessment.id),
        )
        .label("number")
    )
    total = func.count().over(partition_by=Assessment.organisation_id).label("total")
    ranked = (
        select(Assessment.overall_score.label("score"), number, total)
        .where(
            Assessment.status == "submitted",
            official(),
            Assessment.questionnaire_id == questionnaire_id,
            Assessment.organisation_id.in_(consenting(programme)),
            Assessment.submitted_at >= since(programme),
        )
        .subquery()
    )
    rows = session.execute(
        select(ranked.c.number, func.count(), func.avg(ranked.c.score))
        .where(ranked.c.total >= 2, ranked.c.number <= ROUNDS)
        .group_by(ranked.c.number)
        .order_by(ranked.c.number)
    )
    return [
        RoundStat(n, firms, float(mean) if mean is not None else None) for n, firms, mean in rows
    ]
