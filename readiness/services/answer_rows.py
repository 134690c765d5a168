"""An assessment's stored answers as plain rows: what a page that shows them reads, and no more.

Loading ORM `Answer` objects (and the users who last changed them) costs far more than the
page needs; a questionnaire page reads these six columns with one statement built once.
"""

from __future__ import annotations

from typing import Any
from typing import Protocol

from sqlalchemy import bindparam
from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.models import Answer

_ANSWERS = Answer.__table__.c  # the table's columns: a Core statement skips the ORM's loading
ROWS = select(
    _ANSWERS.question_id,
    _ANSWERS.status,
    _ANSWERS.value,
    _ANSWERS.comment,
    _ANSWERS.evidence,
    _ANSWERS.prefilled_from,
).where(_ANSWERS.assessment_id == bindparam("assessment_id"))


class StoredAnswer(Protocol):
    """What a page reads of a stored answer (an `Answer`, or a row of `answer_rows`)."""

    question_id: str
    status: str
    value: Any
    comment: str
    evidence: str
    prefilled_from: str | None


def answer_rows(session: Session, assessment_id: int) -> dict[str, StoredAnswer]:
    """Every stored answer of the assessment by question ID, as rows, in one query."""
    result = session.execute(ROWS, {"assessment_id": assessment_id})
    return {row.question_id: row for row in result}  # type: ignore[misc]
