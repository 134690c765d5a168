"""The cohort's table of consenting firms (sortable, paged) and what one consenting firm shares.

Like readiness.services.cohort, every query here passes through the programme's consent:
a firm that withdrew has no row, no detail page and no line in an export.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import aliased

from readiness.models import Answer
from readiness.models import Assessment
from readiness.models import AssessmentScore
from readiness.models import Organisation
from readiness.models import Participation
from readiness.models import Programme
from readiness.services.cohort import PER_PAGE
from readiness.services.cohort import latest_condition
from readiness.services.cohort import since


@dataclass(frozen=True)
class FirmRow:
    """One consenting firm's latest assessment in the cohort table."""

    participation_id: int
    organisation: str
    consent: str
    assessment_id: int
    submitted_at: datetime
    sector: str | None
    size_band: str | None
    region: str | None
    overall_score: float | None
    overall_level: int | None
    pillars: dict[str, float | None]


@dataclass(frozen=True)
class FirmPage:
    """One page of the cohort table."""

    rows: list[FirmRow]
    number: int
    pages: int
    total: int


def firm_page(
    session: Session,
    programme: Programme,
    questionnaire_id: str,
    sort: str = "overall",
    descending: bool = True,
    number: int = 1,
    per_page: int | None = PER_PAGE,
    total: int | None = None,
) -> FirmPage:
    """Consenting firms' latest assessments sorted by the overall or a pillar's score, paged.

    `sort` is "overall", "name" or a pillar key; an unknown key sorts by nothing but ID.
    `total` is the number of rows if known (the kept cohort's `firms`).
    per_page=None gives every row (exports).
    """
    where = latest_condition(programme, questionnaire_id)
    if total is None:  # the cohort's kept count saves this query
        total = session.scalar(select(func.count()).select_from(Assessment).where(where)) or 0
    query = (
        select(Assessment, Organisation.name, Participation.id, Participation.consent)
        .join(Organisation, Organisation.id == Assessment.organisation_id)
        .join(
            Participation,
            and_(
                Participation.organisation_id == Assessment.organisation_id,
                Participation.programme_id == programme.id,
            ),
        )
        .where(where)
    )
    if sort == "overall":
        key: Any = Assessment.overall_score
    elif sort == "name":
        key = func.lower(Organisation.name)
    else:
        pillar = aliased(AssessmentScore)
        query = query.outerjoin(
            pillar,
            and_(
                pillar.assessment_id == Assessment.id,
                pillar.kind == "pillar",
                pillar.key == sort,
            ),
        )
        key = pillar.score
    pages = max(1, math.ceil(total / per_page)) if per_page else 1
    number = min(max(1, number), pages)
    if sort == "overall" and per_page:
        # The page's IDs in index order (ix_assessments_cohort_order), consent checked per row
        # with EXISTS, so only the rows up to the page are read; then those rows in full.
        shares = (
            select(Participation.id)
            .where(
                Participation.programme_id == programme.id,
                Participation.organisation_id == Assessment.organisation_id,
                Participation.consent.is_not(None),
            )
            .exists()
        )
        order = (
            (Assessment.overall_score.desc(), Assessment.id.desc())
            if descending
            else (Assessment.overall_score, Assessment.id)
        )
        chosen = list(
            session.scalars(
                select(Assessment.id)
                .where(
                    Assessment.questionnaire_id == questionnaire_id,
                    Assessment.is_latest.is_(True),
                    Assessment.submitted_at >= since(programme),
                    shares,
                )
                .order_by(*order)
                .limit(per_page)
                .offset((number - 1) * per_page)
            )
        )
        position = {assessment_id: i for i, assessment_id in enumerate(chosen)}
        found = sorted(
            session.execute(query.where(Assessment.id.in_(chosen))).all(),
            key=lambda row: position[row[0].id],
        )
    else:
        order_key = key.desc() if descending else key.asc()
        query = query.order_by(order_key.nulls_last(), Assessment.id)
        if per_page:
            query = query.limit(per_page).offset((number - 1) * per_page)
        found = session.execute(query).all()
    ids = [a.id for a, *_rest in found]
    pillars: dict[int, dict[str, float | None]] = defaultdict(dict)
    if ids:
        for assessment_id, key_, score in session.execute(
            select(AssessmentScore.assessment_id, AssessmentScore.key, AssessmentScore.score).where(
                AssessmentScore.assessment_id.in_(ids), AssessmentScore.kind == "pillar"
            )
        ):
            pillars[assessment_id][key_] = score
    rows = [
        FirmRow(
            participation_id,
            name,
            consent,
            a.id,
            a.submitted_at,
            a.sector,
            a.size_band,
            a.region,
            a.overall_score,
            a.overall_level,
            pillars[a.id],
        )
        for a, name, participation_id, consent in found
    ]
    return FirmPage(rows, number, pages, total)


def shared_assessment(
    session: Session, programme: Programme, participation_id: int
) -> tuple[Participation, Assessment | None]:
    """A consenting firm's participation and its latest assessment in the programme.

    :raises LookupError: no such participation, or the firm shares nothing (withdrawn).
    """
    participation = session.scalar(
        select(Participation).where(
            Participation.id == participation_id,
            Participation.programme_id == programme.id,
            Participation.consent.is_not(None),
            Participation.organisation_id.is_not(None),
        )
    )
    if participation is None:
        raise LookupError("no such consenting firm in this programme")
    assessment = session.scalar(
        select(Assessment)
        .where(
            Assessment.organisation_id == participation.organisation_id,
            Assessment.is_latest.is_(True),
            Assessment.questionnaire_id.in_(programme.questionnaire_ids),
            Assessment.submitted_at >= since(programme),
        )
        .order_by(Assessment.submitted_at.desc())
        .limit(1)
    )
    return participation, assessment


@dataclass(frozen=True)
class SharedView:
    """What a firm shares with the operator: its scores, and its answers only with that consent."""

    scores: list[AssessmentScore]
    answers: dict[str, Answer] | None


def shared_view(
    session: Session, participation: Participation, assessment: Assessment | None
) -> SharedView:
    """The scores of the firm's shared assessment; the answers only if it consented to them."""
    if assessment is None or participation.consent is None:
        return SharedView([], None)
    scores = list(
        session.scalars(
            select(AssessmentScore)
            .where(AssessmentScore.assessment_id == assessment.id)
            .order_by(AssessmentScore.kind.desc(), AssessmentScore.key)
        )
    )
    answers = None
    if participation.consent == "answers":
        answers = {
            a.question_id: a
            for a in session.scalars(select(Answer).where(Answer.assessment_id == assessment.id))
        }
    return SharedView(scores, answers)
