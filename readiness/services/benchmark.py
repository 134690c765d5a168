"""Peer benchmarks: where a firm's assessment stands among comparable firms, as percentiles.

Peers are the latest submitted assessments (same questionnaire and version) of other firms
that share their results with at least one programme now, across the installation: the rows
of the benchmark pool `peer_scores`, kept by readiness.services.summaries.refresh_peers. A peer
group of fewer than K_ANONYMITY firms is never shown, only said to be too small, so that no
single firm's score can be read from a benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement
from sqlalchemy import and_
from sqlalchemy import case
from sqlalchemy import func
from sqlalchemy import literal
from sqlalchemy import select
from sqlalchemy import true
from sqlalchemy.orm import Session

from readiness.domain.distribution import percentile
from readiness.domain.distribution import shown
from readiness.models import Assessment
from readiness.models import AssessmentScore
from readiness.models import PeerScore

# From the narrowest peer group to the widest: (scope, the assessment columns that must match).
SCOPES = (
    ("industry_size", ("industry", "size_band")),
    ("industry", ("industry",)),
    ("sector", ("sector",)),
    ("all", ()),
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


def _condition(assessment: Assessment, columns: tuple[str, ...]) -> ColumnElement[bool] | None:
    """Peers matching the assessment on `columns`; None when the assessment lacks one of them."""
    if any(getattr(assessment, c) is None for c in columns):
        return None
    if not columns:
        return true()
    return and_(*(getattr(PeerScore, c) == getattr(assessment, c) for c in columns))


def benchmark(session: Session, assessment: Assessment) -> list[PeerGroup]:
    """The assessment's peer groups from narrowest to widest (the caller checked access).

    A group's percentiles are None when it has fewer than K_ANONYMITY firms; groups the
    assessment cannot be placed in (no industry or size band in its profile) are left out.
    Each group is one query over an index range of the benchmark pool (peer_scores).
    """
    if assessment.status != "submitted" or assessment.overall_score is None:
        return []
    own = {"overall": assessment.overall_score}
    for key, value in session.execute(
        select(AssessmentScore.key, AssessmentScore.score).where(
            AssessmentScore.assessment_id == assessment.id,
            AssessmentScore.kind == "pillar",
            AssessmentScore.score.is_not(None),
        )
    ):
        own[f"pillar:{key}"] = value
    mine = case(*((PeerScore.metric == metric, literal(value)) for metric, value in own.items()))
    groups = []
    for scope, columns in SCOPES:
        condition = _condition(assessment, columns)
        if condition is None:
            continue
        counts = {
            metric: (int(total), int(below or 0), int(equal or 0))
            for metric, total, below, equal in session.execute(
                select(
                    PeerScore.metric,
                    func.count(),
                    func.sum(case((PeerScore.score < mine, 1), else_=0)),
                    func.sum(case((PeerScore.score == mine, 1), else_=0)),
                )
                .where(
                    PeerScore.questionnaire_id == assessment.questionnaire_id,
                    PeerScore.questionnaire_version == assessment.questionnaire_version,
                    PeerScore.metric.in_(list(own)),
                    condition,
                    PeerScore.organisation_id != assessment.organisation_id,
                )
                .group_by(PeerScore.metric)
            )
        }
        firms = counts.get("overall", (0, 0, 0))[0]
        visible = shown(firms)

        def rank(metric: str, visible: bool = visible, counts: dict = counts) -> int | None:
            total, below, equal = counts.get(metric, (0, 0, 0))
            return percentile(below, equal, total) if visible and shown(total) else None

        pillars = {m.split(":", 1)[1]: rank(m) for m in own if m != "overall"}
        groups.append(PeerGroup(scope, firms, rank("overall"), pillars))
    return groups
