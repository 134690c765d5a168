"""A programme's firms a page at a time, each with its status and, with consent, its latest result.

The summaries are read through `consenting(programme)`, the same condition as every cohort
query: a firm that withdrew has no row here at all (only the count of withdrawn firms), and a
firm that never joined shows only its invitation. Answers are never part of a summary.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import timedelta

from sqlalchemy import and_
from sqlalchemy import case
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from readiness.models import Assessment
from readiness.models import AssessmentScore
from readiness.models import Participation
from readiness.models import Programme
from readiness.models.base import utcnow
from readiness.services.cohort_pool import since
from readiness.services.summaries import Paged

FIRMS_PER_PAGE = 50  # firms on a page of a programme (its page and the API)


@dataclass(frozen=True)
class FirmStatus:
    """One invited or consenting firm of a programme as its operator sees it."""

    participation_id: int
    status: str
    email: str | None
    organisation_name: str | None
    consent: str | None
    last_submitted: datetime | None
    expires_at: datetime | None = None  # of an invitation not used yet


@dataclass(frozen=True)
class ProgrammeStatus(Paged):
    """A page of a programme's invited and consenting firms with their status, and the counts.

    Firms that withdrew are counted (`withdrawn`), never listed; `joined` counts every firm that
    joined, withdrawn or not; `listed` the invited and consenting firms on all pages.
    """

    firms: list[FirmStatus]
    withdrawn: int
    listed: int = 0
    joined: int = 0
    number: int = 1
    pages: int = 1


# Listed: invited (no organisation yet) or sharing; a firm that withdrew is only counted.
_LISTED = or_(Participation.organisation_id.is_(None), Participation.consent.is_not(None))
_WITHDRAWN = and_(Participation.organisation_id.is_not(None), Participation.consent.is_(None))


def programme_status(
    session: Session,
    programme: Programme,
    today: date | None = None,
    now: datetime | None = None,
    page: int = 1,
    per_page: int | None = None,
) -> ProgrammeStatus:
    """A page of the firms with their status: invited (or its link expired or revoked),
    joined, draft, submitted, repeat due (the caller checked the role).

    Paged in SQL: the cost of a page does not grow with the programme. A page past the last
    is empty (its `pages` tells the caller where the last is).
    """
    per_page = per_page or FIRMS_PER_PAGE
    listed, withdrawn, joined = session.execute(
        select(
            func.coalesce(func.sum(case((_LISTED, 1), else_=0)), 0),
            func.coalesce(func.sum(case((_WITHDRAWN, 1), else_=0)), 0),
            func.count(Participation.organisation_id),
        ).where(Participation.programme_id == programme.id)
    ).one()
    page = max(1, page)
    rows = session.scalars(
        select(Participation)
        .where(Participation.programme_id == programme.id, _LISTED)
        .options(selectinload(Participation.organisation))
        .order_by(Participation.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    consenting = [p.organisation_id for p in rows if p.organisation_id is not None]
    since = datetime.combine(programme.starts_on, datetime.min.time())
    activity = {}
    if consenting:
        activity = {
            r.organisation_id: r
            for r in session.execute(
                select(
                    Assessment.organisation_id,
                    func.max(
                        case((Assessment.status == "submitted", Assessment.submitted_at))
                    ).label("submitted"),
                    func.sum(case((Assessment.status == "draft", 1), else_=0)).label("drafts"),
                )
                .where(
                    Assessment.organisation_id.in_(consenting),
                    Assessment.questionnaire_id.in_(programme.questionnaire_ids),
                    Assessment.created_at >= since,
                )
                .group_by(Assessment.organisation_id)
            )
        }
    due_before = datetime.combine(today or date.today(), datetime.min.time()) - timedelta(
        days=programme.repeat_after_days
    )
    firms = []
    for p in rows:
        if p.organisation_id is None:
            firms.append(
                FirmStatus(p.id, _invitation_state(p, now), p.email, None, None, None, p.expires_at)
            )
            continue
        seen = activity.get(p.organisation_id)
        submitted = seen.submitted if seen is not None else None
        if isinstance(submitted, str):  # SQLite returns MAX() of a date column as text
            submitted = datetime.fromisoformat(submitted)
        if seen is not None and seen.drafts:
            status = "draft"
        elif submitted is not None and submitted.replace(tzinfo=None) < due_before:
            status = "repeat_due"
        elif submitted is not None:
            status = "submitted"
        else:
            status = "joined"
        firms.append(FirmStatus(p.id, status, p.email, p.organisation.name, p.consent, submitted))
    pages = max(1, math.ceil(listed / per_page))
    return ProgrammeStatus(firms, withdrawn, listed, joined, page, pages)


def _invitation_state(participation: Participation, now: datetime | None = None) -> str:
    """invited, expired or revoked: whether an unused invitation link still works."""
    if participation.revoked_at is not None:
        return "revoked"
    expires = participation.expires_at
    return "expired" if expires is not None and expires <= (now or utcnow()) else "invited"


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
