"""Finding an organisation's assessments: filtered and a page at a time (the API's list)."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.models import Assessment

MAX_PER_PAGE = 100


def find_assessments(
    session: Session,
    organisation_id: int,
    *,
    status: str | None = None,
    questionnaire_id: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> tuple[list[Assessment], int]:
    """One page of the organisation's assessments, most recently changed first, and the total."""
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    where = [Assessment.organisation_id == organisation_id]
    if status is not None:
        where.append(Assessment.status == status)
    if questionnaire_id is not None:
        where.append(Assessment.questionnaire_id == questionnaire_id)
    total = session.scalar(select(func.count()).select_from(Assessment).where(*where)) or 0
    rows = session.scalars(
        select(Assessment)
        .where(*where)
        .order_by(Assessment.updated_at.desc(), Assessment.id.desc())
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    )
    return list(rows), total
