"""Peer benchmarks: where a firm's assessment stands among comparable firms, as percentiles.

Peers are the latest submitted assessments (same questionnaire and version) of other firms
that share their results with at least one programme now, across the installation: the
benchmark pool kept by readiness.services.peer_pool. A peer
group of fewer than K_ANONYMITY firms is never shown, only said to be too small, so that no
single firm's score can be read from a benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Float
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import bindparam
from sqlalchemy import cast
from sqlalchemy import literal
from sqlalchemy import null
from sqlalchemy import select
from sqlalchemy import union_all
from sqlalchemy.orm import Session

from readiness.domain.distribution import percentile
from readiness.domain.distribution import shown
from readiness.models import Assessment
from readiness.models import AssessmentScore
from readiness.models import PeerBin
from readiness.models import PeerScore
from readiness.services.peer_pool import SCOPES
from readiness.services.peer_pool import group_key
from readiness.services.peer_pool import score_bin

# Everything a benchmark reads, in one statement built once (the results page runs it on every
# view; building a select() anew costs more than running it), as rows tagged by `source`:
# "pool", the firm's own pool entries with the profile they were pooled under (a firm is
# never its own peer); "own", the assessment's pillar scores; "bin", the bins of the groups the
# assessment falls in (the pairs of scope and group are matched in Python, as one scope's group
# key may equal another's).
NO_TEXT, NO_FLOAT, NO_INT = cast(null(), String), cast(null(), Float), cast(null(), Integer)
BENCHMARK_ROWS = union_all(
    select(
        literal("pool").label("source"),
        PeerScore.metric.label("metric"),
        PeerScore.score.label("score"),
        PeerScore.sector.label("sector"),
        PeerScore.industry.label("industry"),
        PeerScore.size_band.label("size_band"),
        NO_TEXT.label("scope"),
        NO_TEXT.label("group_key"),
        NO_INT.label("bin"),
        NO_INT.label("n"),  # not "count": a Row has a count() method
    ).where(
        PeerScore.questionnaire_id == bindparam("questionnaire_id"),
        PeerScore.questionnaire_version == bindparam("questionnaire_version"),
        PeerScore.organisation_id == bindparam("organisation_id"),
    ),
    select(
        literal("own"),
        literal("pillar:") + AssessmentScore.key,
        AssessmentScore.score,
        NO_TEXT,
        NO_TEXT,
        NO_TEXT,
        NO_TEXT,
        NO_TEXT,
        NO_INT,
        NO_INT,
    ).where(
        AssessmentScore.assessment_id == bindparam("assessment_id"),
        AssessmentScore.kind == "pillar",
        AssessmentScore.score.is_not(None),
    ),
    select(
        literal("bin"),
        PeerBin.metric,
        NO_FLOAT,
        NO_TEXT,
        NO_TEXT,
        NO_TEXT,
        PeerBin.scope,
        PeerBin.group_key,
        PeerBin.bin,
        PeerBin.count,
    ).where(
        PeerBin.questionnaire_id == bindparam("questionnaire_id"),
        PeerBin.questionnaire_version == bindparam("questionnaire_version"),
        PeerBin.scope.in_(bindparam("scopes", expanding=True)),
        PeerBin.group_key.in_(bindparam("group_keys", expanding=True)),
        PeerBin.count > 0,
    ),
)


@dataclass(frozen=True)
class PeerGroup:
    """One peer group: its scope, how many firms, and the percentiles (None when hidden)."""

    scope: str
    firms: int
    overall: int | None
    pillars: dict[str, int | None]

    @property
    def shown(self) -> bool:
        """Whether the group is large enough to be shown (k-anonymity)."""
        return shown(self.firms)


def benchmark(session: Session, assessment: Assessment) -> list[PeerGroup]:
    """The assessment's peer groups from narrowest to widest (the caller checked access).

    A group's percentiles are None when it has fewer than K_ANONYMITY firms; groups the
    assessment cannot be placed in (no industry or size band in its profile) are left out.
    Each group sums the bins of its metrics (readiness.services.peer_pool), less the firm's own
    pool entry: a firm is never its own peer.
    """
    if assessment.status != "submitted" or assessment.overall_score is None:
        return []
    values = {c: getattr(assessment, c) for c in ("sector", "industry", "size_band")}
    keys = {scope: group_key(values, columns) for scope, columns in SCOPES}
    keys = {scope: key for scope, key in keys.items() if key is not None}
    params = {
        "questionnaire_id": assessment.questionnaire_id,
        "questionnaire_version": assessment.questionnaire_version,
        "organisation_id": assessment.organisation_id,
        "assessment_id": assessment.id,
        "scopes": list(keys),
        "group_keys": sorted(set(keys.values())),
    }
    rows = session.execute(BENCHMARK_ROWS, params).all()
    own = {"overall": assessment.overall_score}
    # sorted: the rows come in no fixed order, and a report's PDF cache key fingerprints these
    own.update(sorted((row.metric, row.score) for row in rows if row.source == "own"))
    own_pool = [row for row in rows if row.source == "pool"]
    mine = {metric: score_bin(value) for metric, value in own.items()}
    bins: dict[str, list[tuple[str, int, int]]] = {scope: [] for scope in keys}
    for row in rows:
        if row.source == "bin" and keys.get(row.scope) == row.group_key and row.metric in own:
            bins[row.scope].append((row.metric, row.bin, row.n))
    groups = []
    for scope, columns in SCOPES:
        if scope not in keys:
            continue
        key = keys[scope]
        counts: dict[str, list[int]] = {m: [0, 0, 0] for m in own}

        def add(metric: str, bin_: int, n: int, counts: dict[str, list[int]] = counts) -> None:
            entry = counts[metric]
            entry[0] += n
            if bin_ < mine[metric]:
                entry[1] += n
            elif bin_ == mine[metric]:
                entry[2] += n

        for metric, bin_, n in bins[scope]:
            add(metric, bin_, n)
        for row in own_pool:  # the firm itself, if it is in the pool
            row_values = {
                "sector": row.sector,
                "industry": row.industry,
                "size_band": row.size_band,
            }
            if row.metric in own and group_key(row_values, columns) == key:
                add(row.metric, score_bin(row.score), -1)
        firms = counts["overall"][0]
        visible = shown(firms)

        def rank(metric: str, visible: bool = visible, counts: dict = counts) -> int | None:
            total, below, equal = counts[metric]
            return percentile(below, equal, total) if visible and shown(total) else None

        pillars = {m.split(":", 1)[1]: rank(m) for m in own if m != "overall"}
        groups.append(PeerGroup(scope, firms, rank("overall"), pillars))
    return groups
