"""API resources: questionnaires, the caller's organisation, assessments and their answers."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask import current_app
from flask import request
from flask import url_for

from readiness.db import get_session
from readiness.domain.aggregation.export import instrument_to_dict
from readiness.domain.export import questionnaire_to_dict
from readiness.domain.questionnaire import Questionnaire
from readiness.models import Assessment
from readiness.services import answer_input
from readiness.services import assessments
from readiness.services import deletion
from readiness.services.accounts import Forbidden
from readiness.services.assessment_queries import find_assessments
from readiness.services.questionnaires import UnknownQuestionnaire
from readiness.services.report_render import cache_dir
from readiness.web.api.core import ApiProblem
from readiness.web.api.core import bp
from readiness.web.api.core import caller
from readiness.web.api.core import caller_assessment
from readiness.web.api.core import int_arg
from readiness.web.api.core import json_body
from readiness.web.api.core import json_response
from readiness.web.api.core import token_required
from readiness.web.api.serialise import answer_json
from readiness.web.api.serialise import assessment_json
from readiness.web.api.serialise import conflict_json
from readiness.web.api.serialise import organisation_json
from readiness.web.audit_trail import origin

ANSWER_FIELDS = ("status", "value", "comment", "evidence")
NOTE_LIMIT = 5000
MAX_PAGE = 100_000


def questionnaire_of(assessment: Assessment) -> Questionnaire:
    """The questionnaire version an assessment was made with (404 if it left the catalogue)."""
    try:
        return current_app.extensions["catalogue"].get(
            assessment.questionnaire_id, assessment.questionnaire_version
        )
    except UnknownQuestionnaire:
        raise ApiProblem(404, "The assessment's questionnaire is not installed.") from None


@bp.get("/questionnaires")
@token_required()
def questionnaires() -> Response:
    """Every questionnaire version of the catalogue."""
    return json_response(
        [
            {
                "id": q.id,
                "version": q.version,
                "title": dict(q.title.values),
                "languages": list(q.languages),
            }
            for q in current_app.extensions["catalogue"].all()
        ]
    )


@bp.get("/questionnaires/<questionnaire_id>")
@token_required()
def questionnaire(questionnaire_id: str) -> Response:
    """One questionnaire (the latest version unless ?version= is given)."""
    version = int_arg("version", 0, 0) or None
    try:
        found = current_app.extensions["catalogue"].get(questionnaire_id, version)
    except UnknownQuestionnaire:
        raise ApiProblem(404, "No such questionnaire (or version).") from None
    if found.is_tree:  # format 2: items and the tree
        return json_response(instrument_to_dict(found.instrument))
    return json_response(questionnaire_to_dict(found))


@bp.get("/organisations")
@token_required()
def organisations() -> Response:
    """The organisation the token opens, with the holder's role."""
    return json_response([organisation_json(caller().membership)])


@bp.get("/assessments")
@token_required()
def list_assessments() -> Response:
    """A page of the organisation's assessments, filtered by status or questionnaire."""
    status = request.args.get("status")
    if status not in (None, "draft", "submitted"):
        raise ApiProblem(400, "status must be draft or submitted.")
    page, per_page = int_arg("page", 1, 1, MAX_PAGE), int_arg("per_page", 20, 1, 100)
    items, total = find_assessments(
        get_session(),
        caller().organisation_id,
        status=status,
        questionnaire_id=request.args.get("questionnaire_id"),
        page=page,
        per_page=per_page,
    )
    return json_response(
        {
            "items": [assessment_json(a) for a in items],
            "page": page,
            "per_page": per_page,
            "total": total,
        }
    )


@bp.post("/assessments")
@token_required("editor", write=True)
def create_assessment() -> Response:
    """Start a draft of a questionnaire (the latest version unless `version` is given)."""
    body = json_body()
    unknown = set(body) - {"questionnaire_id", "version", "title"}
    qid, version, title = body.get("questionnaire_id"), body.get("version"), body.get("title")
    if unknown or not isinstance(qid, str) or not isinstance(title, str) or not title.strip():
        raise ApiProblem(422, "Give questionnaire_id and a title (and optionally version).")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        raise ApiProblem(422, "version must be a whole number.")
    try:
        found = current_app.extensions["catalogue"].get(qid, version)
    except UnknownQuestionnaire:
        raise ApiProblem(422, "No such questionnaire (or version).") from None
    who = caller()
    draft = assessments.start_assessment(
        get_session(), who.membership.organisation, found, who.user, title[:200]
    )
    response = json_response(assessment_json(draft), 201, etag=draft.revision)
    response.headers["Location"] = url_for(".get_assessment", assessment_id=draft.id)
    return response


@bp.get("/assessments/<int:assessment_id>")
@token_required()
def get_assessment(assessment_id: int) -> Response:
    """One assessment with its progress."""
    assessment = caller_assessment(assessment_id)
    progress = answer_input.progress(get_session(), assessment, questionnaire_of(assessment))
    return json_response(assessment_json(assessment, progress), etag=assessment.revision)


@bp.delete("/assessments/<int:assessment_id>")
@token_required("editor", write=True)
def delete_assessment(assessment_id: int) -> Response:
    """Delete a draft (editors) or a submitted assessment (owners, ?confirm=true)."""
    assessment = caller_assessment(assessment_id)
    try:
        deletion.delete_assessment(
            get_session(),
            caller().user,
            assessment,
            confirm=request.args.get("confirm") == "true",
            cache_directory=cache_dir(),
            origin=origin(),
        )
    except deletion.ConfirmationRequired as exc:
        raise ApiProblem(409, f"{exc} Add ?confirm=true.") from None
    except Forbidden as exc:
        raise ApiProblem(403, str(exc)) from None
    return Response(status=204)


@bp.get("/assessments/<int:assessment_id>/answers")
@token_required()
def get_answers(assessment_id: int) -> Response:
    """The stored answers by question ID; the ETag is the revision to send back in If-Match."""
    assessment = caller_assessment(assessment_id)
    stored = assessments.load_answers(get_session(), assessment)
    body = {
        "assessment_id": assessment.id,
        "revision": assessment.revision,
        "answers": {qid: answer_json(row) for qid, row in sorted(stored.items())},
    }
    return json_response(body, etag=assessment.revision)


def _if_match(current: int) -> int:
    """The revision named by If-Match (428 if missing, 412 if it is not one)."""
    raw = request.headers.get("If-Match")
    if raw is None:
        raise ApiProblem(428, 'Send If-Match with the ETag of the answers you read, e.g. "3".')
    raw = raw.strip()
    if raw == "*":
        return current
    value = raw.removeprefix("W/").strip('"')
    if not value.isascii() or not value.isdigit() or int(value) > current:
        raise ApiProblem(412, "If-Match does not name a revision of this assessment.")
    return int(value)


def _page_answer(qid: str, given: Any, stored: assessments.PageAnswer) -> assessments.PageAnswer:
    """The new answer to one question: given fields over the stored ones (None clears it)."""
    if given is None:
        return assessments.PageAnswer()
    if not isinstance(given, dict) or set(given) - set(ANSWER_FIELDS):
        raise ApiProblem(422, f"{qid}: an answer is an object of {', '.join(ANSWER_FIELDS)}.")
    fields = {
        "status": stored.status,
        "value": stored.value,
        "comment": stored.comment,
        "evidence": stored.evidence,
    }
    if "value" in given and "status" not in given:
        fields["status"] = "answered" if given["value"] is not None else None
    fields.update(given)
    for note in ("comment", "evidence"):
        if not isinstance(fields[note], str) or len(fields[note]) > NOTE_LIMIT:
            raise ApiProblem(422, f"{qid}: {note} must be text of at most {NOTE_LIMIT} characters.")
    if fields["status"] != "answered":
        fields["value"] = None
    return assessments.PageAnswer(**fields)


@bp.patch("/assessments/<int:assessment_id>/answers")
@token_required("editor", write=True)
def update_answers(assessment_id: int) -> Response:
    """Change some answers of a draft; questions changed by others meanwhile come back as 409."""
    assessment = caller_assessment(assessment_id)
    base = _if_match(assessment.revision)
    body = json_body()
    given = body.get("answers")
    if set(body) != {"answers"} or not isinstance(given, dict):
        raise ApiProblem(422, 'The body is {"answers": {question ID: answer or null}}.')
    questionnaire = questionnaire_of(assessment)
    stored = assessments.load_answers(get_session(), assessment)
    page = {
        qid: _page_answer(qid, raw, assessments.page_answer(stored.get(qid)))
        for qid, raw in given.items()
    }
    try:
        outcome = assessments.save_answers(
            get_session(), assessment, questionnaire, page, base, caller().user
        )
    except (
        assessments.AssessmentLocked,
        assessments.NotTheEvaluator,
        assessments.AnswersFromRespondents,
    ) as exc:
        raise ApiProblem(409, str(exc)) from None
    except assessments.InvalidAnswer as exc:
        raise ApiProblem(422, str(exc)) from None
    conflicts = [conflict_json(c) for c in outcome.conflicts]
    if conflicts:
        names = ", ".join(c["question_id"] for c in conflicts)
        raise ApiProblem(
            409,
            f"Changed by someone else since revision {base}, not overwritten: {names}.",
            conflicts=conflicts,
            saved=outcome.saved,
            revision=outcome.revision,
        )
    body = {"revision": outcome.revision, "saved": outcome.saved, "conflicts": []}
    return json_response(body, etag=outcome.revision)


@bp.post("/assessments/<int:assessment_id>/submit")
@token_required("editor", write=True)
def submit(assessment_id: int) -> Response:
    """Submit a draft: score it and lock its answers (confirm_incomplete for gaps)."""
    assessment = caller_assessment(assessment_id)
    body = json_body(required=False)
    confirm = body.get("confirm_incomplete", False)
    if set(body) - {"confirm_incomplete"} or not isinstance(confirm, bool):
        raise ApiProblem(422, 'The body is {"confirm_incomplete": true|false}.')
    try:
        assessments.submit(
            get_session(), assessment, questionnaire_of(assessment), caller().user, confirm
        )
    except assessments.IncompleteAssessment as exc:
        raise ApiProblem(
            422,
            f"{len(exc.unanswered)} questions are unanswered; "
            'send {"confirm_incomplete": true} to submit anyway.',
            unanswered=exc.unanswered,
        ) from None
    except assessments.NotApplicableWithoutReason as exc:
        raise ApiProblem(
            422,
            'Every "not applicable" answer needs a comment saying why.',
            questions=exc.questions,
        ) from None
    except (
        assessments.AssessmentLocked,
        assessments.NotTheEvaluator,
        assessments.AnswersFromRespondents,
    ) as exc:
        raise ApiProblem(409, str(exc)) from None
    except assessments.InvalidAnswer as exc:
        raise ApiProblem(422, str(exc)) from None
    return json_response(assessment_json(assessment), etag=assessment.revision)
