"""A programme's firms a page at a time, each with its status and, with consent, its latest result.

The summaries are read through `consenting(programme)`, the same condition as every cohort
query: a firm that withdrew has no row here at all (only the count of withdrawn firms), and a
firm that never joined shows only its invitation. Answers are never part of a summary.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.models import Assessment
from readiness.models import AssessmentScore
from readiness.models import Participation
from readiness.models import Programme
from readiness.services.cohort_pool import since
from readiness.services.programmes import FirmStatus
from readiness.services.programmes import programme_status


@dataclass(frozen=True)
class SharedSummary:
    """A consenting firm's latest submitted assessment in the programme, as scores and levels."""

    assessment_id: int
    questionnaire_id: str
    questionnaire_version: int
    submitted_at: datetime | None
    overall_score: float | None
    overall_level: int | None
    pillars: dict[str, float | None] = field(default_factory=dict)


@dataclass(frozen=True)
class FirmEntry:
    """One firm of the programme: its status and, if it shares, its latest result."""

    status: FirmStatus
    summary: SharedSummary | None


@dataclass(frozen=True)
class ProgrammeFirms:
    """One page of a programme's firms, how many there are, and how many withdrew (a count)."""

    entries: list[FirmEntry]
    total: int
    withdrawn: int


def programme_firms(
    session: Session,
    programme: Programme,
    page: int = 1,
    per_page: int = 20,
    today: date | None = None,
) -> ProgrammeFirms:
    """A page of the programme's invited and consenting firms (the caller checked the role)."""
    status = programme_status(session, programme, today, page=page, per_page=per_page)
    summaries = shared_summaries(session, programme, [f.participation_id for f in status.firms])
    entries = [FirmEntry(f, summaries.get(f.participation_id)) for f in status.firms]
    return ProgrammeFirms(entries, status.listed, status.withdrawn)


def shared_summaries(
    session: Session, programme: Programme, participation_ids: list[int]
) -> dict[int, SharedSummary]:
    """Participation ID -> the latest result its firm shares (consenting firms only)."""
    if not participation_ids:
        return {}
    rows = session.execute(
        select(Participation.id, Assessment)
        .join(Assessment, Assessment.organisation_id == Participation.organisation_id)
        .where(
            Participation.id.in_(participation_ids),
            Participation.programme_id == programme.id,
            Participation.consent.is_not(None),
            Assessment.is_latest.is_(True),
            Assessment.status == "submitted",
            Assessment.questionnaire_id.in_(programme.questionnaire_ids),
            Assessment.submitted_at >= since(programme),
        )
        .order_by(Assessment.submitted_at.desc(), Assessment.id.desc())
    ).all()
    latest: dict[int, Assessment] = {}
    for participation_id, assessment in rows:
        latest.setdefault(participation_id, assessment)
    pillars: dict[int, dict[str, float | None]] = defaultdict(dict)
    for assessment_id, key, score in session.execute(
        select(AssessmentScore.assessment_id, AssessmentScore.key, AssessmentScore.score).where(
            AssessmentScore.assessment_id.in_([a.id for a in latest.values()]),
            AssessmentScore.kind == "pillar",
        )
    ):
        pillars[assessment_id][key] = score
    return {
        pid: SharedSummary(
            a.id,
            a.questionnaire_id,
            a.questionnaire_version,
            a.submitted_at,
            a.overall_score,
            a.overall_level,
            dict(sorted(pillars[a.id].items())),
        )
        for pid, a in latest.items()
    }
