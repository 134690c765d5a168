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
from readiness.models import CohortMember
from readiness.models import Organisation
from readiness.models import Participation
from readiness.models import Programme
from readiness.services import cohort_pool
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


def _shares(programme: Programme) -> Any:
    """EXISTS: the assessment's firm shares its results with the programme now."""
    return (
        select(Participation.id)
        .where(
            Participation.programme_id == programme.id,
            Participation.organisation_id == Assessment.organisation_id,
            Participation.consent.is_not(None),
        )
        .exists()
    )


def _sort_key(query: Any, sort: str) -> tuple[Any, Any]:
    """The query joined to what it sorts by, and the sort column ("overall" or a pillar key)."""
    if sort == "overall":
        return query, Assessment.overall_score
    pillar = aliased(AssessmentScore)
    on = and_(pillar.assessment_id == Assessment.id, pillar.kind == "pillar", pillar.key == sort)
    return query.outerjoin(pillar, on), pillar.score


def _order(key: Any, descending: bool) -> tuple[Any, ...]:
    """The table's order: scored rows by score, then the rest; ties by ID, all one direction."""
    if descending:
        return key.is_(None), key.desc(), Assessment.id.desc()
    return key.is_(None), key.asc(), Assessment.id.asc()


def _scored_ids(conditions: list[Any], sort: str, descending: bool) -> Any:
    """The IDs of the rows with a score to sort by, in `_order`, read along an index.

    By the overall score: ix_assessments_cohort_order. By a pillar's: the scores in
    ix_assessment_scores_key_kind_score order, each checked with EXISTS, so that the database
    reads only the index entries up to the page instead of sorting the whole cohort.
    """
    if sort == "overall":
        key, ident = Assessment.overall_score, Assessment.id
        query = select(Assessment.id).where(*conditions, key.is_not(None))
    else:
        pillar = aliased(AssessmentScore)
        key, ident = pillar.score, pillar.assessment_id
        counted = select(Assessment.id).where(Assessment.id == pillar.assessment_id, *conditions)
        query = select(pillar.assessment_id).where(
            pillar.key == sort, pillar.kind == "pillar", key.is_not(None), counted.exists()
        )
    return query.order_by(key.desc(), ident.desc()) if descending else query.order_by(key, ident)


def _unscored_ids(conditions: list[Any], sort: str, descending: bool) -> Any:
    """The IDs of the rows without a score to sort by, by ID (they come last)."""
    if sort == "overall":
        missing: Any = Assessment.overall_score.is_(None)
    else:
        missing = ~(
            select(AssessmentScore.assessment_id)
            .where(
                AssessmentScore.assessment_id == Assessment.id,
                AssessmentScore.kind == "pillar",
                AssessmentScore.key == sort,
                AssessmentScore.score.is_not(None),
            )
            .exists()
        )
    query = select(Assessment.id).where(*conditions, missing)
    return query.order_by(Assessment.id.desc() if descending else Assessment.id.asc())


def _ids_by_name(
    session: Session,
    programme: Programme,
    questionnaire_id: str,
    conditions: list[Any],
    descending: bool,
    offset: int,
    limit: int,
) -> list[int]:
    """The page's assessment IDs by firm name (then organisation ID).

    Sorts only the names of the cohort's members (readiness.services.cohort_pool keeps one
    row per consenting firm with a latest assessment in the programme), then reads the page's
    firms' assessments.
    """
    cohort_pool.ensure_built(session, programme, questionnaire_id)
    name = func.lower(Organisation.name)
    order = (name.desc(), Organisation.id.desc()) if descending else (name, Organisation.id)
    firms = list(
        session.scalars(
            select(Organisation.id)
            .join(CohortMember, CohortMember.organisation_id == Organisation.id)
            .where(
                CohortMember.programme_id == programme.id,
                CohortMember.questionnaire_id == questionnaire_id,
            )
            .order_by(*order)
            .limit(limit)
            .offset(offset)
        )
    )
    found = dict(
        session.execute(
            select(Assessment.organisation_id, Assessment.id).where(
                Assessment.organisation_id.in_(firms), *conditions
            )
        ).all()
    )
    return [found[firm] for firm in firms if firm in found]


def _page_ids(
    session: Session,
    programme: Programme,
    questionnaire_id: str,
    sort: str,
    descending: bool,
    offset: int,
    limit: int,
) -> list[int]:
    """The page's assessment IDs in `_order`: scored rows first (from an index), then the rest."""
    conditions = [
        Assessment.questionnaire_id == questionnaire_id,
        Assessment.is_latest.is_(True),
        Assessment.submitted_at >= since(programme),
        _shares(programme),
    ]
    if sort == "name":
        return _ids_by_name(
            session, programme, questionnaire_id, conditions, descending, offset, limit
        )
    scored = _scored_ids(conditions, sort, descending)
    ids = list(session.scalars(scored.limit(limit).offset(offset)))
    if len(ids) == limit:
        return ids
    if ids:
        before = offset + len(ids)
    else:
        counted = select(func.count()).select_from(scored.order_by(None).subquery())
        before = session.scalar(counted) or 0
    unscored = _unscored_ids(conditions, sort, descending)
    return ids + list(
        session.scalars(unscored.limit(limit - len(ids)).offset(max(0, offset - before)))
    )


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

    `sort` is "overall", "name" or a pillar key (an unknown key: no row has that score, so
    the rows come by ID). `total` is the number of rows if known (the kept cohort's `firms`).
    per_page=None gives every row (exports), in one straightforward query.
    """
    where = latest_condition(programme, questionnaire_id)
    if total is None and per_page:  # the cohort's kept count saves this query
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
    )
    pages = max(1, math.ceil((total or 0) / per_page)) if per_page else 1
    number = min(max(1, number), pages)
    if per_page:
        offset = (number - 1) * per_page
        chosen = _page_ids(session, programme, questionnaire_id, sort, descending, offset, per_page)
        position = {assessment_id: i for i, assessment_id in enumerate(chosen)}
        found = sorted(
            session.execute(query.where(Assessment.id.in_(chosen))).all(),
            key=lambda row: position[row[0].id],
        )
    else:
        if sort == "name":
            name = func.lower(Organisation.name)
            ties = Organisation.id.desc() if descending else Organisation.id
            order = (name.desc() if descending else name, ties)
        else:
            query, key = _sort_key(query, sort)
            order = _order(key, descending)
        query = query.where(where).order_by(*order)
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
    return FirmPage(rows, number, pages, len(rows) if total is None else total)


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
