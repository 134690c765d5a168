"""Peer benchmarks: where a firm's assessment stands among comparable firms, as percentiles.

Peers are the latest submitted assessments (same questionnaire and version) of other firms
that share their results with at least one programme now, across the installation: the
benchmark pool kept by readiness.services.peer_pool. A peer
group of fewer than K_ANONYMITY firms is never shown, only said to be too small, so that no
single firm's score can be read from a benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass

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

# Built once (the results page runs both on every view; building a select() anew costs more
# than running it). The first reads the firm's own pool entries ("pool" rows, with the profile
# they were pooled under) and the assessment's pillar scores ("own" rows) in one go.
NO_TEXT = cast(null(), String)
OWN_SCORES_AND_POOL = union_all(
    select(
        literal("pool").label("source"),
        PeerScore.metric,
        PeerScore.score,
        PeerScore.sector,
        PeerScore.industry,
        PeerScore.size_band,
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
    ).where(
        AssessmentScore.assessment_id == bindparam("assessment_id"),
        AssessmentScore.kind == "pillar",
        AssessmentScore.score.is_not(None),
    ),
)
# The bins of every group the assessment falls in, in one query: the pairs (scope, group)
# are matched in Python, as a group key of one scope may equal another scope's.
GROUP_BINS = select(
    PeerBin.scope, PeerBin.group_key, PeerBin.metric, PeerBin.bin, PeerBin.count
).where(
    PeerBin.questionnaire_id == bindparam("questionnaire_id"),
    PeerBin.questionnaire_version == bindparam("questionnaire_version"),
    PeerBin.scope.in_(bindparam("scopes", expanding=True)),
    PeerBin.group_key.in_(bindparam("group_keys", expanding=True)),
    PeerBin.metric.in_(bindparam("metrics", expanding=True)),
    PeerBin.count > 0,
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
    same = {
        "questionnaire_id": assessment.questionnaire_id,
        "questionnaire_version": assessment.questionnaire_version,
    }
    rows = session.execute(
        OWN_SCORES_AND_POOL,
        {**same, "organisation_id": assessment.organisation_id, "assessment_id": assessment.id},
    ).all()
    own = {"overall": assessment.overall_score}
    own.update((row.metric, row.score) for row in rows if row.source == "own")
    own_pool = [row for row in rows if row.source == "pool"]
    mine = {metric: score_bin(value) for metric, value in own.items()}
    values = {c: getattr(assessment, c) for c in ("sector", "industry", "size_band")}
    keys = {scope: group_key(values, columns) for scope, columns in SCOPES}
    keys = {scope: key for scope, key in keys.items() if key is not None}
    if not keys:
        return []
    params = {**same, "scopes": list(keys), "group_keys": sorted(set(keys.values()))}
    bins: dict[str, list[tuple[str, int, int]]] = {scope: [] for scope in keys}
    for scope, key, metric, bin_, n in session.execute(
        GROUP_BINS, {**params, "metrics": list(own)}
    ):
        if keys.get(scope) == key:
            bins[scope].append((metric, bin_, n))
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
