"""Blueprint "onsite": the firm reviews an on-site evaluation answer by answer, then confirms it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required
from werkzeug.wrappers import Response

from readiness.db import get_session
from readiness.domain.questionnaire import Questionnaire
from readiness.i18n import current_language
from readiness.models import Assessment
from readiness.services import assessments
from readiness.services import onsite as service
from readiness.services.questionnaires import UnknownQuestionnaire
from readiness.web.answer_text import describe_answer
from readiness.web.assessment_forms import answer_name
from readiness.web.collaboration_forms import ReviewForm
from readiness.web.forms import ActionForm

bp = Blueprint("onsite", __name__, url_prefix="/assessments")


def _assessment(assessment_id: int) -> Assessment:
    """A submitted on-site evaluation the user may review (firm's editors, not the consultant)."""
    assessment = assessments.get_assessment(get_session(), current_user, assessment_id, "editor")
    if assessment.kind != service.KIND:
        abort(404)
    return assessment


def _questionnaire(assessment: Assessment) -> Questionnaire:
    try:
        return current_app.extensions["catalogue"].get(
            assessment.questionnaire_id, assessment.questionnaire_version
        )
    except UnknownQuestionnaire:
        abort(404)


def _rows(assessment: Assessment, q: Questionnaire) -> list[dict[str, Any]]:
    """Every answered question with the consultant's answer, the verdict and its form."""
    lang = current_language()
    stored = assessments.load_answers(get_session(), assessment)
    verdicts = service.reviews(get_session(), assessment)
    rows = []
    for question in q.questions:
        if question.id not in stored:
            continue
        review = verdicts.get(question.id)
        data = {"verdict": review.verdict, "note": review.note} if review else {}
        given = assessments.page_answer(stored[question.id])
        rows.append(
            {
                "question": question,
                "text": question.text.get(lang),
                "answer": describe_answer(question, given, lang),
                "comment": given.comment,
                "review": review,
                "anchor": answer_name(question.id),
                "form": ReviewForm(formdata=None, prefix=answer_name(question.id), data=data),
            }
        )
    return rows


@bp.route("/<int:assessment_id>/on-site-review")
@login_required
def review(assessment_id: int) -> str:
    """The consultant's answers, each to confirm or dispute, and the button to confirm it all."""
    assessment = _assessment(assessment_id)
    q = _questionnaire(assessment)
    rows = _rows(assessment, q)
    return render_template(
        "onsite/review.html",
        assessment=assessment,
        rows=rows,
        pending=sum(1 for r in rows if r["review"] is None),
        disputed=sum(1 for r in rows if r["review"] and r["review"].verdict == "disputed"),
        provenance=service.provenance(get_session(), assessment),
        can_review=service.may_review(get_session(), assessment, current_user),
        confirm_form=ActionForm(formdata=None),
    )


@bp.route("/<int:assessment_id>/on-site-review/<question_id>", methods=["POST"])
@login_required
def verdict(assessment_id: int, question_id: str) -> Response:
    """Confirm or dispute (with a note) one answer of the evaluation."""
    assessment = _assessment(assessment_id)
    form = ReviewForm(prefix=answer_name(question_id))
    target = url_for(".review", assessment_id=assessment_id)
    if not form.validate_on_submit():
        flash(_("Choose confirm or dispute."), "error")
        return redirect(target)
    try:
        service.review_answer(
            get_session(),
            assessment,
            current_user,
            question_id,
            form.verdict.data,
            form.note.data or "",
        )
        flash(_("Verdict saved."), "success")
    except service.DisputeNeedsNote:
        flash(_("Say in a note what is wrong with this answer."), "error")
    except (assessments.AssessmentLocked, assessments.NotSubmitted):
        flash(_("This evaluation cannot be reviewed now."), "info")
    return redirect(f"{target}#{answer_name(question_id)}")


@bp.route("/<int:assessment_id>/on-site-review/confirm", methods=["POST"])
@login_required
def confirm(assessment_id: int) -> Response:
    """Confirm the reviewed evaluation: it becomes the firm's official result."""
    assessment = _assessment(assessment_id)
    if ActionForm().validate_on_submit():
        try:
            service.confirm(get_session(), assessment, current_user)
            flash(_("Evaluation confirmed: it is now your official result."), "success")
            return redirect(url_for("assessments.results", assessment_id=assessment_id))
        except service.ReviewIncomplete as exc:
            flash(_("%(n)d answers still need your verdict.", n=len(exc.questions)), "error")
        except (assessments.AssessmentLocked, assessments.NotSubmitted):
            flash(_("This evaluation cannot be reviewed now."), "info")
    return redirect(url_for(".review", assessment_id=assessment_id))
