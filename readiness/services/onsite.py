"""On-site evaluations: a consultant fills an assessment for the firm, the firm reviews each answer.

The consultant is a member of the firm's organisation with the editor role (the firm invites
them); the assessment records them as its evaluator (created_by) and the time they submitted.
Another editor or the owner of the firm then confirms or disputes (with a note) every answer
and confirms the evaluation: only then does it count as the firm's official result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from readiness.models import Assessment
from readiness.models import OnSiteReview
from readiness.models import User
from readiness.models.base import utcnow
from readiness.services import assessments
from readiness.services.accounts import Forbidden
from readiness.services.accounts import NotFound
from readiness.services.accounts import require_role
from readiness.services.answer_input import AssessmentError
from readiness.services.answer_input import AssessmentLocked
from readiness.services.answer_input import NotSubmitted
from readiness.services.locking import lock_row
from readiness.services.official import is_official
from readiness.services.summaries import mark_latest

KIND = "on_site"
VERDICTS = ("confirmed", "disputed")


class EvaluatorCannotReview(Forbidden):
    """The consultant who made the evaluation cannot review it for the firm."""


class DisputeNeedsNote(AssessmentError):
    """A disputed answer needs a note saying what is wrong with it."""


class ReviewIncomplete(AssessmentError):
    """Some answers have neither been confirmed nor disputed yet."""

    def __init__(self, questions: list[str]) -> None:
        self.questions = questions
        super().__init__(f"{len(questions)} answers are not reviewed yet.")


@dataclass(frozen=True)
class Provenance:
    """Who made an assessment and in what way, for results pages and reports."""

    kind: str
    official: bool
    evaluator: str = ""
    evaluated_at: Any = None
    confirmed_by: str = ""
    confirmed_at: Any = None
    disputed: int = 0


def reviews(session: Session, assessment: Assessment) -> dict[str, OnSiteReview]:
    """The firm's verdicts on the evaluation's answers, by question ID."""
    rows = session.scalars(
        select(OnSiteReview)
        .where(OnSiteReview.assessment_id == assessment.id)
        .options(selectinload(OnSiteReview.reviewed_by))
    )
    return {r.question_id: r for r in rows}


def provenance(session: Session, assessment: Assessment) -> Provenance:
    """How the assessment was made: self-assessment, on-site evaluation (by whom, reviewed?) …"""
    if assessment.kind != KIND:
        return Provenance(assessment.kind, True)
    evaluator = assessment.created_by
    confirmer = assessment.confirmed_by
    disputed = sum(1 for r in reviews(session, assessment).values() if r.verdict == "disputed")
    return Provenance(
        KIND,
        is_official(assessment),
        evaluator.name if evaluator else "",
        assessment.submitted_at,
        confirmer.name if confirmer else "",
        assessment.confirmed_at,
        disputed,
    )


def _reviewable(session: Session, assessment: Assessment, user: User) -> None:
    """Raise unless `user` may review this evaluation now (firm's editor, not the evaluator)."""
    require_role(session, user, assessment.organisation_id, "editor")
    if assessment.kind != KIND:
        raise NotFound("This assessment is not an on-site evaluation.")
    if assessment.created_by_id == user.id:
        raise EvaluatorCannotReview("The consultant who made the evaluation cannot review it.")
    if assessment.status != "submitted":
        raise NotSubmitted("The consultant has not submitted this evaluation yet.")
    if assessment.confirmed_at is not None:
        raise AssessmentLocked("This evaluation is confirmed already.")


def may_review(session: Session, assessment: Assessment, user: User) -> bool:
    """Whether `user` may review the evaluation now."""
    try:
        _reviewable(session, assessment, user)
    except (AssessmentError, Forbidden, NotFound):
        return False
    return True


def review_answer(
    session: Session, assessment: Assessment, user: User, question_id: str, verdict: str, note: str
) -> OnSiteReview:
    """Confirm or dispute (with a note) one answer of a submitted on-site evaluation."""
    lock_row(session, Assessment, assessment.id)
    _reviewable(session, assessment, user)
    if verdict not in VERDICTS:
        raise assessments.InvalidAnswer(f"unknown verdict: {verdict}")
    note = note or ""
    if verdict == "disputed" and not note.strip():
        raise DisputeNeedsNote("Say in a note what is wrong with this answer.")
    if question_id not in assessments.load_answers(session, assessment):
        raise NotFound("No such answer.")
    review = reviews(session, assessment).get(question_id)
    if review is None:
        review = OnSiteReview(assessment_id=assessment.id, question_id=question_id)
        session.add(review)
    review.verdict, review.note = verdict, note.strip()[:2000]
    review.reviewed_by_id, review.reviewed_at = user.id, utcnow()
    session.commit()
    return review


def confirm(session: Session, assessment: Assessment, user: User) -> Assessment:
    """Make the reviewed evaluation the firm's official result (every answer reviewed first)."""
    lock_row(session, Assessment, assessment.id)
    _reviewable(session, assessment, user)
    done = reviews(session, assessment)
    missing = [q for q in assessments.load_answers(session, assessment) if q not in done]
    if missing:
        raise ReviewIncomplete(missing)
    assessment.confirmed_at, assessment.confirmed_by_id = utcnow(), user.id
    session.flush()
    # Now official: it may become the firm's latest result in cohorts and benchmarks.
    mark_latest(session, assessment.organisation_id, assessment.questionnaire_id)
    session.commit()
    return assessment
