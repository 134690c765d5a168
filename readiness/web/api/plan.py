"""API resources of the action plan: list, read, write, change (If-Match), delete, history.

The same plan services as the plan pages (readiness/services/plans.py); an action's revision
is its ETag, and a change must name it in If-Match so that a stale one is refused (412).
"""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from datetime import date
from typing import Any

from flask import Response
from flask import current_app
from flask import request
from flask import url_for

from readiness.db import get_session
from readiness.domain.plan import is_overdue
from readiness.domain.questionnaire import Questionnaire
from readiness.models import ACTION_STATUSES
from readiness.models import PlanAction
from readiness.models.plans import COST_BANDS
from readiness.models.plans import EFFORTS
from readiness.services import plans
from readiness.services.comparisons import latest_submitted
from readiness.services.questionnaires import UnknownQuestionnaire
from readiness.web.api.core import MAX_ID
from readiness.web.api.core import ApiProblem
from readiness.web.api.core import bp
from readiness.web.api.core import caller
from readiness.web.api.core import int_arg
from readiness.web.api.core import json_body
from readiness.web.api.core import json_response
from readiness.web.api.core import token_required
from readiness.web.api.serialise import timestamp
from readiness.web.audit_trail import origin

# Text fields of an action with their longest length (as the plan form allows).
TEXTS = {
    "title": 300,
    "description": 5000,
    "owner_name": 120,
    "owner_email": 254,
    "dropped_reason": 2000,
    "indicator": 300,
    "baseline": 120,
    "target": 120,
    "notes": 10000,
}
CHOICES = {"status": ACTION_STATUSES, "effort": EFFORTS, "cost_band": COST_BANDS}
LINKS = {"measure_id": 20, "challenge_area": 20, "pillar": 100}
FIELDS = {f.name for f in dataclass_fields(plans.ActionFields)}
MAX_QUESTIONS = 200


def action_json(action: PlanAction, today: date | None = None) -> dict[str, Any]:
    """A plan action as the API shows it."""
    return {
        "id": action.id,
        "organisation_id": action.organisation_id,
        **{name: getattr(action, name) for name in (*TEXTS, *LINKS, "status")},
        "effort": action.effort,
        "cost_band": action.cost_band,
        "question_ids": list(action.question_ids or []),
        "questionnaire_id": action.questionnaire_id,
        "questionnaire_version": action.questionnaire_version,
        "source_id": action.source_id,
        "source_assessment_id": action.source_assessment_id,
        "owner_id": action.owner_id,
        "owner": action.owner_label or None,
        "start_date": action.start_date.isoformat() if action.start_date else None,
        "due_date": action.due_date.isoformat() if action.due_date else None,
        "overdue": is_overdue(action.due_date, action.status, today or date.today()),
        "done_at": timestamp(action.done_at),
        "evidence_links": list(action.evidence_links or []),
        "revision": action.revision,
        "created_at": timestamp(action.created_at),
        "updated_at": timestamp(action.updated_at),
    }


def _caller_action(action_id: int) -> PlanAction:
    """An action of the token's organisation (404 for any other)."""
    action = get_session().get(PlanAction, action_id) if 0 < action_id <= MAX_ID else None
    if action is None or action.organisation_id != caller().organisation_id:
        raise ApiProblem(404, "No such action in this organisation.")
    return action


def _questionnaire(wanted: tuple[str | None, int | None]) -> Questionnaire | None:
    """The questionnaire an action's links belong to (None if it is not installed)."""
    catalogue = current_app.extensions["catalogue"]
    qid, version = wanted
    if qid is None:  # the questionnaire the organisation last used, else the first installed
        latest = latest_submitted(get_session(), caller().organisation_id)
        if latest is None:
            installed = [q for q in catalogue.latest() if not q.is_tree]  # format 2: no measures
            return installed[0] if installed else None
        qid = latest.questionnaire_id
    try:
        return catalogue.get(qid, version)
    except UnknownQuestionnaire:
        return None


def _date(name: str, value: Any) -> date | None:
    if value is None:
        return None
    try:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise ApiProblem(422, f"{name} must be a date (YYYY-MM-DD) or null.") from None


def _strings(name: str, value: Any, limit: int) -> list[str]:
    if not isinstance(value, list) or len(value) > limit:
        raise ApiProblem(422, f"{name} must be a list of at most {limit} texts.")
    if not all(isinstance(v, str) and 0 < len(v) <= 2000 for v in value):
        raise ApiProblem(422, f"{name} must be a list of non-empty texts.")
    return list(dict.fromkeys(value))


def _apply(body: dict[str, Any], data: plans.ActionFields, q: Questionnaire | None) -> None:
    """Set the given fields on `data`, checking each one's type (422 with the field's name)."""
    unknown = set(body) - FIELDS
    if unknown:
        raise ApiProblem(422, f"Unknown fields: {', '.join(sorted(unknown))}.")
    for name, value in body.items():
        if name in TEXTS:
            if not isinstance(value, str) or len(value) > TEXTS[name]:
                raise ApiProblem(422, f"{name} must be text of at most {TEXTS[name]} characters.")
            value = value.strip() if name == "title" else value
            if name == "owner_email" and value and "@" not in value:
                raise ApiProblem(422, "owner_email must be an e-mail address or empty.")
        elif name in CHOICES:
            allowed = CHOICES[name] if name == "status" else (*CHOICES[name], None)
            if value not in allowed:
                raise ApiProblem(422, f"{name} must be one of {', '.join(map(str, allowed))}.")
        elif name in ("start_date", "due_date"):
            value = _date(name, value)
        elif name == "owner_id":
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                raise ApiProblem(422, "owner_id must be a member's user ID or null.")
        elif name == "evidence_links":
            value = _strings(name, value, 20)
        elif name == "question_ids":
            value = _strings(name, value, MAX_QUESTIONS)
        elif name in LINKS and value is not None:
            if not isinstance(value, str) or not 0 < len(value) <= LINKS[name]:
                raise ApiProblem(422, f"{name} must be an ID of at most {LINKS[name]} characters.")
        setattr(data, name, value)
    if not data.title:
        raise ApiProblem(422, "title must not be empty.")
    _check_links(data, q)


def _check_links(data: plans.ActionFields, q: Questionnaire | None) -> None:
    """The measure, area, pillar and questions must be the questionnaire's (when it is known)."""
    if q is None:
        if data.question_ids:
            raise ApiProblem(422, "question_ids need the action's questionnaire to be installed.")
        return
    known = {
        "measure_id": {m.id for m in q.measures},
        "challenge_area": {a.id for a in q.challenge_areas},
        "pillar": {p.id for p in q.pillars},
    }
    for name, ids in known.items():
        value = getattr(data, name)
        if value is not None and value not in ids:
            raise ApiProblem(422, f"{name} {value!r} is not in {q.id} version {q.version}.")
    unknown = [qid for qid in data.question_ids if q.question(qid) is None]
    if unknown:
        raise ApiProblem(422, f"Not questions of {q.id} version {q.version}: {unknown[:5]}.")


def _refused(exc: plans.PlanError) -> ApiProblem:
    if isinstance(exc, plans.StaleAction):
        return ApiProblem(412, "Someone changed this action meanwhile; read it again.")
    return ApiProblem(422, str(exc))


@bp.get("/plan/actions")
@token_required()
def list_actions() -> Response:
    """A page of the organisation's plan actions, filtered like the plan page."""
    status, overdue = request.args.get("status"), request.args.get("overdue", "false")
    if status is not None and status not in ACTION_STATUSES:
        raise ApiProblem(400, f"status must be one of {', '.join(ACTION_STATUSES)}.")
    if overdue not in ("true", "false"):
        raise ApiProblem(400, "overdue must be true or false.")
    owner = request.args.get("owner")
    if owner is not None and not (
        owner == "none" or owner.startswith("name:") or owner.removeprefix("user:").isdigit()
    ):
        raise ApiProblem(400, "owner is none, user:<user ID> or name:<name>.")
    page, per_page = int_arg("page", 1, 1, 100_000), int_arg("per_page", 20, 1, 100)
    items, total = plans.page_of_actions(
        get_session(),
        caller().organisation_id,
        plans.PlanFilter(
            measure=request.args.get("measure") or None,
            pillar=request.args.get("pillar") or None,
            owner=owner,
            overdue=overdue == "true",
            status=status,
        ),
        page,
        per_page,
    )
    body = {
        "items": [action_json(a) for a in items],
        "page": page,
        "per_page": per_page,
        "total": total,
    }
    return json_response(body)


@bp.post("/plan/actions")
@token_required("editor", write=True)
def create_action() -> Response:
    """Write an action of one's own into the plan (editors, write token)."""
    body = json_body()
    qid, version = body.pop("questionnaire_id", None), body.pop("questionnaire_version", None)
    if qid is not None and not isinstance(qid, str):
        raise ApiProblem(422, "questionnaire_id must be text.")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        raise ApiProblem(422, "questionnaire_version must be a whole number.")
    q = _questionnaire((qid, version))
    if qid is not None and q is None:
        raise ApiProblem(422, "No such questionnaire (or version).")
    data = plans.ActionFields(title="")
    _apply(body, data, q)
    who = caller()
    try:
        action = plans.create_action(
            get_session(),
            who.membership.organisation,
            who.user,
            data,
            (q.id, q.version) if q is not None else None,
        )
    except plans.PlanError as exc:
        raise _refused(exc) from None
    response = json_response(action_json(action), 201, etag=action.revision)
    response.headers["Location"] = url_for(".get_action", action_id=action.id)
    return response


@bp.get("/plan/actions/<int:action_id>")
@token_required()
def get_action(action_id: int) -> Response:
    """One plan action; the ETag is its revision, to send back in If-Match."""
    action = _caller_action(action_id)
    return json_response(action_json(action), etag=action.revision)


@bp.patch("/plan/actions/<int:action_id>")
@token_required("editor", write=True)
def update_action(action_id: int) -> Response:
    """Change some fields of an action (editors, write token); If-Match names its revision."""
    action = _caller_action(action_id)
    raw = request.headers.get("If-Match")
    if raw is None:
        raise ApiProblem(428, 'Send If-Match with the ETag of the action you read, e.g. "3".')
    value = raw.strip().removeprefix("W/").strip('"')
    if raw.strip() == "*":
        base = action.revision
    elif value.isascii() and value.isdigit() and len(value) < 10:
        base = int(value)
    else:
        raise ApiProblem(412, "If-Match does not name a revision of this action.")
    if base != action.revision:
        raise ApiProblem(412, "Someone changed this action meanwhile; read it again.")
    data = plans.ActionFields.of(action)
    body = json_body()
    _apply(body, data, _questionnaire((action.questionnaire_id, action.questionnaire_version)))
    try:
        plans.update_action(get_session(), action, caller().user, data, base)
    except plans.PlanError as exc:
        raise _refused(exc) from None
    return json_response(action_json(action), etag=action.revision)


@bp.delete("/plan/actions/<int:action_id>")
@token_required("owner", write=True)
def delete_action(action_id: int) -> Response:
    """Delete an action and its history (owners, write token)."""
    action = _caller_action(action_id)
    plans.delete_action(get_session(), action, caller().user, origin())
    return Response(status=204)


@bp.get("/plan/actions/<int:action_id>/history")
@token_required()
def action_history(action_id: int) -> Response:
    """Every recorded change of an action, oldest first: who, when and each field's values."""
    action = _caller_action(action_id)
    return json_response(
        {
            "action_id": action.id,
            "changes": [
                {
                    "at": timestamp(c.at),
                    "by": c.user.name if c.user is not None else None,
                    "kind": c.kind,
                    "changes": c.changes or {},
                }
                for c in plans.history(get_session(), action)
            ],
        },
        etag=action.revision,
    )
