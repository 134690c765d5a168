"""API resources of assessments made by several people: respondents, and on-site reviews.

The same services and roles as the pages: anyone in the organisation sees who responds and who
has submitted (never their answers); the firm's editors other than the consultant read, give
and confirm the verdicts on an on-site evaluation.
"""

from __future__ import annotations

from flask import Response

from readiness.db import get_session
from readiness.models import Assessment
from readiness.models import OnSiteReview
from readiness.services import assessments
from readiness.services import onsite
from readiness.services import respondents
from readiness.web.api.core import ApiProblem
from readiness.web.api.core import bp
from readiness.web.api.core import caller
from readiness.web.api.core import caller_assessment
from readiness.web.api.core import json_body
from readiness.web.api.core import json_response
from readiness.web.api.core import token_required
from readiness.web.api.serialise import assessment_json
from readiness.web.api.serialise import timestamp

NOTE_LIMIT = 2000


def _of_kind(assessment_id: int, kind: str, role: str = "viewer") -> Assessment:
    assessment = caller_assessment(assessment_id, role)
    if assessment.kind != kind:
        raise ApiProblem(404, f"This assessment is not of the kind {kind}.")
    return assessment


@bp.get("/assessments/<int:assessment_id>/respondents")
@token_required()
def list_respondents(assessment_id: int) -> Response:
    """Who answers the assessment (which pillars) and whether they have submitted their part."""
    assessment = _of_kind(assessment_id, respondents.KIND)
    return json_response(
        {
            "assessment_id": assessment.id,
            "respondents": [
                {
                    "user_id": r.user_id,
                    "name": r.user.name,
                    "pillars": r.pillars,
                    "submitted": r.submitted_at is not None,
                    "submitted_at": timestamp(r.submitted_at),
                }
                for r in respondents.respondents_of(get_session(), assessment)
            ],
        }
    )


def _review_json(review: OnSiteReview) -> dict[str, object]:
    return {
        "question_id": review.question_id,
        "verdict": review.verdict,
        "note": review.note,
        "reviewed_by": review.reviewed_by.name if review.reviewed_by else None,
        "reviewed_at": timestamp(review.reviewed_at),
    }


@bp.get("/assessments/<int:assessment_id>/reviews")
@token_required("editor")
def list_reviews(assessment_id: int) -> Response:
    """The firm's verdicts on an on-site evaluation's answers, and the answers still to review."""
    session = get_session()
    assessment = _of_kind(assessment_id, onsite.KIND, "editor")
    made = onsite.provenance(session, assessment)
    verdicts = onsite.reviews(session, assessment)
    answered = assessments.load_answers(session, assessment)
    return json_response(
        {
            "assessment_id": assessment.id,
            "official": made.official,
            "evaluator": made.evaluator or None,
            "evaluated_at": timestamp(assessment.submitted_at),
            "confirmed_by": made.confirmed_by or None,
            "confirmed_at": timestamp(assessment.confirmed_at),
            "reviews": [_review_json(verdicts[q]) for q in sorted(verdicts)],
            "pending": sorted(q for q in answered if q not in verdicts),
        }
    )


@bp.put("/assessments/<int:assessment_id>/reviews/<question_id>")
@token_required("editor", write=True)
def review_answer(assessment_id: int, question_id: str) -> Response:
    """Confirm or dispute (with a note) one answer of an on-site evaluation."""
    assessment = _of_kind(assessment_id, onsite.KIND, "editor")
    body = json_body()
    verdict, note = body.get("verdict"), body.get("note", "")
    if (
        set(body) - {"verdict", "note"}
        or verdict not in onsite.VERDICTS
        or not isinstance(note, str)
        or len(note) > NOTE_LIMIT
    ):
        raise ApiProblem(
            422, 'The body is {"verdict": "confirmed" | "disputed", "note": text (≤ 2000)}.'
        )
    try:
        review = onsite.review_answer(
            get_session(), assessment, caller().user, question_id[:100], verdict, note
        )
    except onsite.DisputeNeedsNote as exc:
        raise ApiProblem(422, str(exc)) from None
    except (assessments.AssessmentLocked, assessments.NotSubmitted) as exc:
        raise ApiProblem(409, str(exc)) from None
    return json_response(_review_json(review))


@bp.post("/assessments/<int:assessment_id>/confirm")
@token_required("editor", write=True)
def confirm_evaluation(assessment_id: int) -> Response:
    """Confirm a reviewed on-site evaluation: it becomes the firm's official result."""
    assessment = _of_kind(assessment_id, onsite.KIND, "editor")
    try:
        onsite.confirm(get_session(), assessment, caller().user)
    except onsite.ReviewIncomplete as exc:
        raise ApiProblem(
            409, f"{len(exc.questions)} answers still need a verdict.", questions=exc.questions
        ) from None
    except (assessments.AssessmentLocked, assessments.NotSubmitted) as exc:
        raise ApiProblem(409, str(exc)) from None
    return json_response(assessment_json(assessment), etag=assessment.revision)
