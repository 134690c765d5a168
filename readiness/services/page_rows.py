"""A draft and its stored answers as plain rows: what a questionnaire page reads, and no more.

Loading ORM objects (an `Assessment` with its relationships, `Answer`s with the users who last
changed them) costs several times what the page needs; showing a questionnaire page reads
these columns with statements built once. Changes still go through the ORM services.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any
from typing import Protocol

from sqlalchemy import bindparam
from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.models import Answer
from readiness.models import Assessment
from readiness.models import User
from readiness.services.accounts import NotFound
from readiness.services.accounts import require_role

_ANSWERS = Answer.__table__.c  # the table's columns: a Core statement skips the ORM's loading
ANSWERS = select(
    _ANSWERS.question_id,
    _ANSWERS.status,
    _ANSWERS.value,
    _ANSWERS.comment,
    _ANSWERS.evidence,
    _ANSWERS.prefilled_from,
).where(_ANSWERS.assessment_id == bindparam("assessment_id"))
SOME_ANSWERS = ANSWERS.where(_ANSWERS.question_id.in_(bindparam("question_ids", expanding=True)))
_ASSESSMENTS = Assessment.__table__.c
_SHOWN = (  # what every page shows of its assessment
    _ASSESSMENTS.id,
    _ASSESSMENTS.organisation_id,
    _ASSESSMENTS.questionnaire_id,
    _ASSESSMENTS.questionnaire_version,
    _ASSESSMENTS.title,
    _ASSESSMENTS.status,
    _ASSESSMENTS.kind,
    _ASSESSMENTS.created_by_id,
)
ASSESSMENT = select(
    *_SHOWN,
    _ASSESSMENTS.revision,
    _ASSESSMENTS.previous_assessment_id,
).where(_ASSESSMENTS.id == bindparam("assessment_id"))
# What a results page reads of its assessment (its keys, the benchmark, the templates).
RESULT = select(
    *_SHOWN,
    _ASSESSMENTS.confirmed_at,
    _ASSESSMENTS.submitted_at,
    _ASSESSMENTS.overall_score,
    _ASSESSMENTS.sector,
    _ASSESSMENTS.industry,
    _ASSESSMENTS.size_band,
).where(_ASSESSMENTS.id == bindparam("assessment_id"))
SUBMITTED_AT = select(_ASSESSMENTS.submitted_at).where(
    _ASSESSMENTS.id == bindparam("assessment_id")
)


class StoredAnswer(Protocol):
    """What a page reads of a stored answer (an `Answer`, or a row of `answer_rows`)."""

    question_id: str
    status: str
    value: Any
    comment: str
    evidence: str
    prefilled_from: str | None


class _Shown(Protocol):
    """What every page reads of its assessment (the columns of `_SHOWN`)."""

    id: int
    organisation_id: int
    questionnaire_id: str
    questionnaire_version: int
    title: str
    status: str
    kind: str
    created_by_id: int | None


class ShownAssessment(_Shown, Protocol):
    """What a questionnaire page reads of its assessment (an `Assessment`, or `assessment_row`)."""

    revision: int
    previous_assessment_id: int | None


def answer_rows(
    session: Session, assessment_id: int, only: Collection[str] | None = None
) -> dict[str, StoredAnswer]:
    """Every stored answer of the assessment (or `only` those questions') by question ID, as
    rows, in one query."""
    if only is None:
        result = session.execute(ANSWERS, {"assessment_id": assessment_id})
    else:
        params = {"assessment_id": assessment_id, "question_ids": list(only)}
        result = session.execute(SOME_ANSWERS, params)
    return {row.question_id: row for row in result}  # type: ignore[misc]


class ShownResult(_Shown, Protocol):
    """What a results page reads of its assessment (an `Assessment`, or `result_row`)."""

    confirmed_at: datetime | None
    submitted_at: datetime | None
    overall_score: float | None
    sector: str | None
    industry: str | None
    size_band: str | None


def result_row(session: Session, user: User, assessment_id: int, min_role: str) -> ShownResult:
    """The assessment as a results page reads it, if `user` has at least `min_role`.

    The same checks as `assessments.get_assessment`, without loading the ORM object.

    :raises NotFound: no such assessment, or the user is not a member of its organisation.
    :raises Forbidden: the user's role is too low.
    """
    return _checked(
        session, user, session.execute(RESULT, {"assessment_id": assessment_id}).first(), min_role
    )


def _checked(session: Session, user: User, row: Any, min_role: str) -> Any:
    """`row` if there is one and `user` has at least `min_role` in its organisation."""
    if row is None:
        raise NotFound("No such assessment.")
    require_role(session, user, row.organisation_id, min_role)
    return row


def assessment_of(session: Session, assessment_id: int) -> ShownAssessment | None:
    """The assessment as a row, or None (no role check: for an assessment reached already)."""
    row = session.execute(ASSESSMENT, {"assessment_id": assessment_id}).first()
    return row  # type: ignore[return-value]


def assessment_row(
    session: Session, user: User, assessment_id: int, min_role: str
) -> ShownAssessment:
    """The assessment as a row if `user` has at least `min_role` in its organisation.

    The same checks as `assessments.get_assessment`, without loading the ORM object.

    :raises NotFound: no such assessment, or the user is not a member of its organisation.
    :raises Forbidden: the user's role is too low.
    """
    return _checked(session, user, assessment_of(session, assessment_id), min_role)


def submitted_at(session: Session, assessment_id: int | None) -> datetime | None:
    """When the assessment was submitted (None: not submitted, or no such assessment)."""
    if assessment_id is None:
        return None
    return session.execute(SUBMITTED_AT, {"assessment_id": assessment_id}).scalar()
