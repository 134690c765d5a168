"""A programme's cohort in numbers: SQL aggregates over consenting firms' summary columns.

Every query here starts from `consenting(programme)`: the organisations whose participation
in the programme has a consent now. A firm that withdrew is in no aggregate, no table and no
export from the moment its withdrawal is committed. Nothing here decodes a result document;
scores come from `assessments.overall_score` and `assessment_scores`.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from datetime import time
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy import Select
from sqlalchemy import and_
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm import aliased

from readiness.models import Assessment
from readiness.models import AssessmentScore
from readiness.models import Participation
from readiness.models import Programme

DIMENSIONS = ("sector", "industry", "size_band", "region")
PER_PAGE = 25
ROUNDS = 3  # T0, T1, T2


def consenting(programme: Programme) -> Select[Any]:
    """The IDs of the organisations that share their results with the programme now."""
    return select(Participation.organisation_id).where(
        Participation.programme_id == programme.id,
        Participation.consent.is_not(None),
        Participation.organisation_id.is_not(None),
    )


def since(programme: Programme) -> datetime:
    """The start of the programme as a UTC timestamp: assessments count from then on."""
    return datetime.combine(programme.starts_on, time.min, tzinfo=UTC)


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

    Kept on the programme with the revision they were computed at: recomputed (and stored,
    committing) only when a consent or a member firm's results changed since.
    """
    revision, cache = session.execute(
        select(Programme.revision, Programme.cohort_cache).where(Programme.id == programme.id)
    ).one()
    kept = (cache or {}).get(questionnaire_id)
    if kept is not None and kept.get("revision") == revision:
        return _decode(questionnaire_id, kept["data"])
    result = compute(session, programme, questionnaire_id)
    fresh = dict(cache or {})
    fresh[questionnaire_id] = {"revision": revision, "data": _encode(result)}
    # Only if no change came in meanwhile: a stale result is never kept as current.
    session.execute(
        update(Programme)
        .where(Programme.id == programme.id, Programme.revision == revision)
        .values(cohort_cache=fresh)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return result


def _encode(c: Cohort) -> dict[str, Any]:
    return {
        "firms": c.firms,
        "overall": list(c.overall.items()),
        "overall_levels": list(c.overall_levels.items()),
        "parts": [[k, key, list(v.items())] for (k, key), v in c.parts.items()],
        "part_levels": [[k, key, list(v.items())] for (k, key), v in c.part_levels.items()],
        "breakdowns": {
            d: [[g, list(v.items())] for g, v in b.items()] for d, b in c.breakdowns.items()
        },
        "rounds": [[r.number, r.firms, r.mean] for r in c.rounds],
    }


def _decode(questionnaire_id: str, data: dict[str, Any]) -> Cohort:
    return Cohort(
        questionnaire_id,
        data["firms"],
        {float(s): n for s, n in data["overall"]},
        {int(lv): n for lv, n in data["overall_levels"]},
        {(k, key): {float(s): n for s, n in v} for k, key, v in data["parts"]},
        {(k, key): {int(lv): n for lv, n in v} for k, key, v in data["part_levels"]},
        {d: {g: {float(s): n for s, n in v} for g, v in b} for d, b in data["breakdowns"].items()},
        [RoundStat(n, f, m) for n, f, m in data["rounds"]],
    )


def compute(session: Session, programme: Programme, questionnaire_id: str) -> Cohort:
    """The cohort's distributions computed afresh in SQL (what `cohort` keeps)."""
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
