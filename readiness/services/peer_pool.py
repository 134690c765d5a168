"""The benchmark pool: sharing firms' latest scores (peer_scores) and their bins per peer group.

A firm is in the pool with the overall and pillar scores of its latest submitted assessment of
each questionnaire while it shares its results with at least one programme. `peer_bins` counts
the pool's scores per 0.1-point bin for each peer group (industry and size band, industry,
sector, all), kept in the same transaction as `peer_scores`, so that a percentile sums bins.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete
from sqlalchemy import insert
from sqlalchemy import literal
from sqlalchemy import select
from sqlalchemy import true
from sqlalchemy import update
from sqlalchemy.orm import Session

from readiness.models import Assessment
from readiness.models import AssessmentScore
from readiness.models import Participation
from readiness.models import PeerBin
from readiness.models import PeerScore

# A peer group: its scope and the pool columns that must match, narrowest first.
SCOPES = (
    ("industry_size", ("industry", "size_band")),
    ("industry", ("industry",)),
    ("sector", ("sector",)),
    ("all", ()),
)


BIN_KEY = ("questionnaire_id", "questionnaire_version", "metric", "scope", "group_key", "bin")


def score_bin(score: float) -> int:
    """The 0.1-point bin of a score."""
    return round(score * 10)


def group_key(values: dict[str, Any], columns: tuple[str, ...]) -> str | None:
    """The group of a row (or an assessment) in a scope; None when a column has no value."""
    parts = [values.get(c) for c in columns]
    if any(p is None for p in parts):
        return None
    return "|".join(str(p) for p in parts)


def _bins(rows: Sequence[Any]) -> Counter[tuple[str, int, str, str, str, int]]:
    """Bin counts of pool rows by (questionnaire, version, metric, scope, group, bin)."""
    counts: Counter[tuple[str, int, str, str, str, int]] = Counter()
    for row in rows:
        values = {"sector": row.sector, "industry": row.industry, "size_band": row.size_band}
        for scope, columns in SCOPES:
            key = group_key(values, columns)
            if key is not None:
                counts[
                    (
                        row.questionnaire_id,
                        row.questionnaire_version,
                        row.metric,
                        scope,
                        key,
                        score_bin(row.score),
                    )
                ] += 1
    return counts


def _pool_rows(session: Session, organisation_ids: Sequence[int] | None) -> list[Any]:
    where = (
        PeerScore.organisation_id.in_(organisation_ids) if organisation_ids is not None else true()
    )
    return session.execute(
        select(
            PeerScore.questionnaire_id,
            PeerScore.questionnaire_version,
            PeerScore.metric,
            PeerScore.sector,
            PeerScore.industry,
            PeerScore.size_band,
            PeerScore.score,
        ).where(where)
    ).all()


def _add_bins(session: Session, counts: Counter[Any], sign: int) -> None:
    """Add (sign=1, creating missing bins) or take away (sign=-1) bin counts.

    Adding is an upsert (INSERT … ON CONFLICT DO UPDATE, on SQLite and PostgreSQL alike), so
    two transactions adding to the same new bin both count.
    """
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert
    for key, n in counts.items():
        values = dict(zip(BIN_KEY, key, strict=True))
        if sign > 0:
            statement = upsert(PeerBin).values(**values, count=n)
            session.execute(
                statement.on_conflict_do_update(
                    index_elements=list(BIN_KEY), set_={"count": PeerBin.count + n}
                )
            )
        else:
            session.execute(
                update(PeerBin)
                .where(*(getattr(PeerBin, name) == value for name, value in values.items()))
                .values(count=PeerBin.count - n)
                .execution_options(synchronize_session=False)
            )


def refresh_peers(session: Session, organisation_ids: Sequence[int] | None = None) -> None:
    """Rewrite the organisations' pool rows and bins (None: the whole pool; caller commits).

    Callers hold the organisation's row lock (mark_latest) or the participation's, so that one
    organisation's rows are rewritten by one transaction at a time.
    """
    if organisation_ids is None:
        session.execute(delete(PeerBin))
    else:
        _add_bins(session, _bins(_pool_rows(session, organisation_ids)), -1)
    mine = (
        PeerScore.organisation_id.in_(organisation_ids) if organisation_ids is not None else true()
    )
    session.execute(delete(PeerScore).where(mine).execution_options(synchronize_session=False))
    sharing = select(Participation.organisation_id).where(Participation.consent.is_not(None))
    latest = [Assessment.is_latest.is_(True), Assessment.organisation_id.in_(sharing)]
    if organisation_ids is not None:
        latest.append(Assessment.organisation_id.in_(organisation_ids))
    keys = [
        Assessment.organisation_id,
        Assessment.questionnaire_id,
        Assessment.questionnaire_version,
        Assessment.sector,
        Assessment.industry,
        Assessment.size_band,
    ]
    columns = ["assessment_id", "metric", *(c.key for c in keys), "score"]
    overall = select(Assessment.id, literal("overall"), *keys, Assessment.overall_score).where(
        *latest, Assessment.overall_score.is_not(None)
    )
    pillars = (
        select(
            Assessment.id, literal("pillar:") + AssessmentScore.key, *keys, AssessmentScore.score
        )
        .join(AssessmentScore, AssessmentScore.assessment_id == Assessment.id)
        .where(*latest, AssessmentScore.kind == "pillar", AssessmentScore.score.is_not(None))
    )
    for query in (overall, pillars):
        session.execute(insert(PeerScore).from_select(columns, query))
    counts = _bins(_pool_rows(session, organisation_ids))
    if organisation_ids is None:
        rows = [{**dict(zip(BIN_KEY, key, strict=True)), "count": n} for key, n in counts.items()]
        for start in range(0, len(rows), 5000):
            session.execute(insert(PeerBin), rows[start : start + 5000])
    else:
        _add_bins(session, counts, 1)
