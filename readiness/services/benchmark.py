"""Peer benchmarks: where a firm's assessment stands among comparable firms, as percentiles.

Peers are the latest submitted assessments (same questionnaire and version) of other firms
that share their results with at least one programme now, across the installation. A peer
group of fewer than K_ANONYMITY firms is never shown, only said to be too small, so that no
single firm's score can be read from a benchmark. Two queries, both over summary columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy import and_
from sqlalchemy import case
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import true
from sqlalchemy.orm import Session
from sqlalchemy.orm import aliased

from readiness.domain.distribution import percentile
from readiness.domain.distribution import shown
from readiness.models import Assessment
from readiness.models import AssessmentScore
from readiness.models import Participation

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


def consenting_anywhere() -> Any:
    """The organisations that share their results with at least one programme now."""
    return select(Participation.organisation_id).where(
        Participation.consent.is_not(None), Participation.organisation_id.is_not(None)
    )


def _condition(assessment: Assessment, columns: tuple[str, ...]) -> ColumnElement[bool] | None:
    """Peers matching the assessment on `columns`; None when the assessment lacks one of them."""
    if any(getattr(assessment, c) is None for c in columns):
        return None
    if not columns:
        return true()
    return and_(*(getattr(Assessment, c) == getattr(assessment, c) for c in columns))


def benchmark(session: Session, assessment: Assessment) -> list[PeerGroup]:
    """The assessment's peer groups from narrowest to widest (the caller checked access).

    A group's percentiles are None when it has fewer than K_ANONYMITY firms; groups the
    assessment cannot be placed in (no industry or size band in its profile) are left out.
    """
    if assessment.status != "submitted" or assessment.overall_score is None:
        return []
    peers = and_(
        Assessment.is_latest.is_(True),
        Assessment.questionnaire_id == assessment.questionnaire_id,
        Assessment.questionnaire_version == assessment.questionnaire_version,
        Assessment.organisation_id != assessment.organisation_id,
        Assessment.organisation_id.in_(consenting_anywhere()),
    )
    scopes = [(s, _condition(assessment, cols)) for s, cols in SCOPES]
    scopes = [(s, c) for s, c in scopes if c is not None]
    mine = assessment.overall_score
    columns = []
    for _scope, cond in scopes:
        columns += [
            func.sum(case((cond, 1), else_=0)),
            func.sum(case((and_(cond, Assessment.overall_score < mine), 1), else_=0)),
            func.sum(case((and_(cond, Assessment.overall_score == mine), 1), else_=0)),
        ]
    overall = session.execute(select(*columns).where(peers)).one()
    own = aliased(AssessmentScore)
    theirs = aliased(AssessmentScore)
    pillar_columns = [theirs.key]
    for _scope, cond in scopes:
        pillar_columns += [
            func.sum(case((cond, 1), else_=0)),
            func.sum(case((and_(cond, theirs.score < own.score), 1), else_=0)),
            func.sum(case((and_(cond, theirs.score == own.score), 1), else_=0)),
        ]
    pillar_rows = session.execute(
        select(*pillar_columns)
        .select_from(Assessment)
        .join(theirs, theirs.assessment_id == Assessment.id)
        .join(
            own,
            and_(
                own.assessment_id == assessment.id,
                own.kind == theirs.kind,
                own.key == theirs.key,
            ),
        )
        .where(peers, theirs.kind == "pillar", theirs.score.is_not(None), own.score.is_not(None))
        .group_by(theirs.key)
    ).all()
    groups = []
    for i, (scope, _cond) in enumerate(scopes):
        total, below, equal = (int(v or 0) for v in overall[3 * i : 3 * i + 3])
        visible = shown(total)
        pillars: dict[str, int | None] = {}
        for row in pillar_rows:
            n, b, e = (int(v or 0) for v in row[1 + 3 * i : 4 + 3 * i])
            pillars[row[0]] = percentile(b, e, n) if visible and shown(n) else None
        groups.append(
            PeerGroup(scope, total, percentile(below, equal, total) if visible else None, pillars)
        )
    return groups
