"""Assessment summaries: the scores and levels written at submit, and the pages that read them.

Lists, the dashboard, history and comparison choices read these columns (overall score and
level on the assessment, one AssessmentScore row per pillar and challenge area) so that their
cost does not depend on the size of the stored result documents.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select
from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from readiness.domain.scoring import Scorecard
from readiness.models import Assessment
from readiness.models import AssessmentScore
from readiness.models import Organisation
from readiness.models import Participation
from readiness.models import Programme
from readiness.services.locking import lock_row
from readiness.services.peer_pool import refresh_peers

PER_PAGE = 25  # rows of a paginated list
MAX_ID = 2**31 - 1  # the largest integer key PostgreSQL's INTEGER holds
TREND_POINTS = 24  # submitted assessments the history chart shows (the latest ones)
# Summary column -> company-profile field: the keys cohorts and peer groups are broken down by.
PROFILE_KEYS = {
    "sector": "sector",
    "industry": "industry",
    "size_band": "headcount",
    "region": "region",
}


def write_summary(session: Session, assessment: Assessment, scorecard: Scorecard) -> None:
    """Set the assessment's summary columns and rows from its scorecard (caller commits)."""
    clear_summary(session, assessment)
    assessment.overall_score = scorecard.overall.score
    assessment.overall_level = scorecard.overall.level
    profile = assessment.profile or {}
    for column, key in PROFILE_KEYS.items():
        value = profile.get(key)
        setattr(assessment, column, str(value)[:40] if value not in (None, "") else None)
    for kind, results in (
        ("pillar", scorecard.pillars),
        ("challenge_area", scorecard.challenge_areas),
    ):
        for key, result in results.items():
            session.add(
                AssessmentScore(
                    assessment_id=assessment.id,
                    kind=kind,
                    key=key,
                    score=result.score,
                    level=result.level,
                )
            )


def clear_summary(session: Session, assessment: Assessment) -> None:
    """Drop the summary of a reopened (or re-submitted) assessment."""
    assessment.overall_score = None
    assessment.overall_level = None
    for column in PROFILE_KEYS:
        setattr(assessment, column, None)
    session.execute(delete(AssessmentScore).where(AssessmentScore.assessment_id == assessment.id))


def mark_latest(session: Session, organisation_id: int, questionnaire_id: str) -> None:
    """Flag the organisation's latest submitted assessment of the questionnaire (caller commits).

    The organisation's row is locked first, so two submits at once cannot both stay flagged.
    """
    lock_row(session, Organisation, organisation_id)
    mine = (Assessment.organisation_id == organisation_id) & (
        Assessment.questionnaire_id == questionnaire_id
    )
    latest = session.scalar(
        select(Assessment.id)
        .where(mine, Assessment.status == "submitted")
        .order_by(Assessment.submitted_at.desc(), Assessment.id.desc())
        .limit(1)
    )
    session.execute(
        update(Assessment)
        .where(mine, Assessment.is_latest.is_(True), Assessment.id != (latest or 0))
        .values(is_latest=False, updated_at=Assessment.updated_at)
        .execution_options(synchronize_session=False)
    )
    if latest is not None:
        session.execute(
            update(Assessment)
            .where(Assessment.id == latest)
            .values(is_latest=True, updated_at=Assessment.updated_at)
            .execution_options(synchronize_session=False)
        )
    touch_programmes(session, organisation_id)
    refresh_peers(session, [organisation_id])
    session.expire_all()


def touch_programmes(session: Session, organisation_id: int) -> None:
    """Bump the revision of every programme the organisation takes part in (cohorts changed)."""
    session.execute(
        update(Programme)
        .where(
            Programme.id.in_(
                select(Participation.programme_id).where(
                    Participation.organisation_id == organisation_id
                )
            )
        )
        .values(revision=Programme.revision + 1)
        .execution_options(synchronize_session=False)
    )


@dataclass(frozen=True)
class Page:
    """One page of a list: its items, the page number (from 1) and how many pages there are."""

    items: list[Assessment]
    number: int
    pages: int
    total: int

    @property
    def previous(self) -> int | None:
        """The previous page's number, if any."""
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        """The next page's number, if any."""
        return self.number + 1 if self.number < self.pages else None


def _page(session: Session, query: Select[Any], total: int, number: int, per_page: int) -> Page:
    pages = max(1, math.ceil(total / per_page))
    number = min(max(1, number), pages)
    items = list(session.scalars(query.limit(per_page).offset((number - 1) * per_page)))
    return Page(items, number, pages, total)


def _count(session: Session, organisation_id: int) -> int:
    return (
        session.scalar(
            select(func.count(Assessment.id)).where(Assessment.organisation_id == organisation_id)
        )
        or 0
    )


def assessment_page(
    session: Session, organisation_id: int, number: int = 1, per_page: int = PER_PAGE
) -> Page:
    """A page of the organisation's assessments, most recently changed first."""
    query = (
        select(Assessment)
        .where(Assessment.organisation_id == organisation_id)
        .options(selectinload(Assessment.created_by))
        .order_by(Assessment.updated_at.desc(), Assessment.id.desc())
    )
    return _page(session, query, _count(session, organisation_id), number, per_page)


def history_page(
    session: Session, organisation_id: int, number: int | None = None, per_page: int = PER_PAGE
) -> Page:
    """A page of the organisation's assessments by the date they stand for, oldest first.

    Without a page number, the last page (the latest assessments). The page's IDs are chosen
    from the (organisation, submitted, created) index alone, then only those rows are read.
    """
    when = func.coalesce(Assessment.submitted_at, Assessment.created_at)
    total = _count(session, organisation_id)
    pages = max(1, math.ceil(total / per_page))
    number = pages if number is None else min(max(1, number), pages)
    ids = list(
        session.scalars(
            select(Assessment.id)
            .where(Assessment.organisation_id == organisation_id)
            .order_by(when, Assessment.id)
            .limit(per_page)
            .offset((number - 1) * per_page)
        )
    )
    rows = {a.id: a for a in session.scalars(select(Assessment).where(Assessment.id.in_(ids)))}
    return Page([rows[i] for i in ids if i in rows], number, pages, total)


@dataclass(frozen=True)
class TrendPoint:
    """One submitted assessment on the history chart: its date, overall and pillar scores."""

    assessment_id: int
    questionnaire_id: str
    questionnaire_version: int
    when: datetime
    overall: float | None
    pillars: dict[str, float | None]


def trend(session: Session, organisation_id: int, limit: int = TREND_POINTS) -> list[TrendPoint]:
    """The latest `limit` submitted assessments' scores, oldest first, in two small queries."""
    latest = session.execute(
        select(
            Assessment.id,
            Assessment.questionnaire_id,
            Assessment.questionnaire_version,
            Assessment.submitted_at,
            Assessment.overall_score,
        )
        .where(Assessment.organisation_id == organisation_id, Assessment.status == "submitted")
        .order_by(Assessment.submitted_at.desc(), Assessment.id.desc())
        .limit(limit)
    ).all()
    ids = [row.id for row in latest]
    pillars: dict[int, dict[str, float | None]] = {i: {} for i in ids}
    if ids:
        for assessment_id, key, value in session.execute(
            select(AssessmentScore.assessment_id, AssessmentScore.key, AssessmentScore.score).where(
                AssessmentScore.assessment_id.in_(ids), AssessmentScore.kind == "pillar"
            )
        ):
            pillars[assessment_id][key] = value
    points = [
        TrendPoint(
            r.id,
            r.questionnaire_id,
            r.questionnaire_version,
            r.submitted_at,
            r.overall_score,
            pillars[r.id],
        )
        for r in latest
    ]
    return points[::-1]


def assessments_of(
    session: Session, organisation_id: int, ids: Sequence[int]
) -> dict[int, Assessment]:
    """The organisation's assessments among `ids` (drafts included), by ID, in one query."""
    possible = [i for i in ids if 0 < i <= MAX_ID]  # larger ones cannot exist (nor be bound)
    if not possible:
        return {}
    rows = session.scalars(
        select(Assessment).where(
            Assessment.organisation_id == organisation_id, Assessment.id.in_(possible)
        )
    )
    return {a.id: a for a in rows}
