"""API resources of programmes: an operator's programmes, firms and cohort; a firm's participations.

A token opens one organisation. As an operator it reads its programmes, their firms (status
and, only with the firm's consent, its latest scores) and the cohort's aggregates, through the
same services as the pages; as a firm it reads the programmes it joined and sets or withdraws
its consent (owners, write token).
"""

from __future__ import annotations

from typing import Any

from flask import Response
from flask import request

from readiness.db import get_session
from readiness.models import Participation
from readiness.models import Programme
from readiness.services import cohort
from readiness.services import programmes
from readiness.services.programme_firms import FirmEntry
from readiness.services.programme_firms import programme_firms
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

MAX_PAGE = 100_000


def _programme(programme_id: int) -> Programme:
    """A programme of the token's organisation (404 for any other)."""
    if not 0 < programme_id <= MAX_ID:
        raise ApiProblem(404, "No such programme in this organisation.")
    who = caller()
    return programmes.get_programme(
        get_session(), who.user, who.organisation_id, programme_id, "viewer"
    )


def programme_json(programme: Programme) -> dict[str, Any]:
    """A programme's settings."""
    return {
        "id": programme.id,
        "organisation_id": programme.organisation_id,
        "name": programme.name,
        "questionnaire_ids": list(programme.questionnaire_ids),
        "starts_on": programme.starts_on.isoformat(),
        "ends_on": programme.ends_on.isoformat() if programme.ends_on else None,
        "sector_focus": programme.sector_focus,
        "repeat_after_days": programme.repeat_after_days,
        "created_at": timestamp(programme.created_at),
    }


def _firm_json(entry: FirmEntry) -> dict[str, Any]:
    status, summary = entry.status, entry.summary
    return {
        "participation_id": status.participation_id,
        "status": status.status,
        "organisation": status.organisation_name,
        "email": status.email,
        "consent": status.consent,
        "last_submitted_at": timestamp(status.last_submitted),
        "invitation_expires_at": timestamp(status.expires_at),
        "result": None
        if summary is None
        else {
            "assessment_id": summary.assessment_id,
            "questionnaire_id": summary.questionnaire_id,
            "questionnaire_version": summary.questionnaire_version,
            "submitted_at": timestamp(summary.submitted_at),
            "overall_score": summary.overall_score,
            "overall_level": summary.overall_level,
            "pillars": summary.pillars,
        },
    }


def _counts(counts: dict[Any, int], key: str) -> list[dict[str, Any]]:
    return [{key: k, "firms": n} for k, n in sorted(counts.items())]


@bp.get("/programmes")
@token_required()
def list_programmes() -> Response:
    """The programmes the token's organisation runs, newest first, a page at a time."""
    page, per_page = int_arg("page", 1, 1, MAX_PAGE), int_arg("per_page", 20, 1, 100)
    session, organisation_id = get_session(), caller().organisation_id
    shown = programmes.programmes_of(session, organisation_id, page, per_page)
    return json_response(
        {
            "items": [programme_json(p) for p in shown],
            "page": page,
            "per_page": per_page,
            "total": programmes.count_programmes(session, organisation_id),
        }
    )


@bp.get("/programmes/<int:programme_id>/firms")
@token_required()
def programme_firms_page(programme_id: int) -> Response:
    """The programme's firms with their status and, with consent, their latest scores."""
    programme = _programme(programme_id)
    page, per_page = int_arg("page", 1, 1, MAX_PAGE), int_arg("per_page", 20, 1, 100)
    found = programme_firms(get_session(), programme, page, per_page)
    return json_response(
        {
            "items": [_firm_json(e) for e in found.entries],
            "page": page,
            "per_page": per_page,
            "total": found.total,
            "withdrawn": found.withdrawn,
        }
    )


@bp.get("/programmes/<int:programme_id>/cohort")
@token_required()
def programme_cohort(programme_id: int) -> Response:
    """The cohort's distributions over consenting firms' latest results (counts per score)."""
    programme = _programme(programme_id)
    chosen = request.args.get("questionnaire_id", programme.questionnaire_ids[0])
    if chosen not in programme.questionnaire_ids:
        raise ApiProblem(400, "questionnaire_id must be one of the programme's questionnaires.")
    numbers = cohort.cohort(get_session(), programme, chosen)
    parts: dict[str, list[dict[str, Any]]] = {"pillar": [], "challenge_area": []}
    for kind, key in sorted(set(numbers.parts) | set(numbers.part_levels)):
        parts.setdefault(kind, []).append(
            {
                "key": key,
                "scores": _counts(numbers.parts.get((kind, key), {}), "score"),
                "levels": _counts(numbers.part_levels.get((kind, key), {}), "level"),
            }
        )
    return json_response(
        {
            "programme_id": programme.id,
            "questionnaire_id": chosen,
            "firms": numbers.firms,
            "overall": {
                "scores": _counts(numbers.overall, "score"),
                "levels": _counts(numbers.overall_levels, "level"),
            },
            "pillars": parts["pillar"],
            "challenge_areas": parts["challenge_area"],
            "breakdowns": {
                dimension: [
                    {"group": group or None, "scores": _counts(scores, "score")}
                    for group, scores in sorted(groups.items())
                ]
                for dimension, groups in numbers.breakdowns.items()
            },
            "rounds": [
                {"round": r.number, "firms": r.firms, "mean": r.mean} for r in numbers.rounds
            ],
        }
    )


def participation_json(participation: Participation) -> dict[str, Any]:
    """A firm's participation in a programme, as the firm sees it."""
    programme = participation.programme
    return {
        "id": participation.id,
        "programme": {
            "id": programme.id,
            "name": programme.name,
            "operator": programme.organisation.name,
            "questionnaire_ids": list(programme.questionnaire_ids),
            "starts_on": programme.starts_on.isoformat(),
            "ends_on": programme.ends_on.isoformat() if programme.ends_on else None,
        },
        "consent": participation.consent,
        "joined_at": timestamp(participation.joined_at),
        "consented_at": timestamp(participation.consented_at),
        "withdrawn_at": timestamp(participation.withdrawn_at),
    }


@bp.get("/participations")
@token_required()
def list_participations() -> Response:
    """The programmes the token's organisation takes part in, with what each may see."""
    joined = programmes.participations_of_firm(get_session(), caller().organisation_id)
    return json_response({"items": [participation_json(p) for p in joined]})


@bp.put("/participations/<int:participation_id>/consent")
@token_required("owner", write=True)
def set_consent(participation_id: int) -> Response:
    """Share results, results and answers, or nothing (null: withdraw) with a programme."""
    body = json_body()
    consent = body.get("consent", "missing")
    if set(body) != {"consent"} or consent not in (*programmes.CONSENTS, None):
        raise ApiProblem(422, 'The body is {"consent": "results" | "answers" | null}.')
    if not 0 < participation_id <= MAX_ID:
        raise ApiProblem(404, "No such participation of this organisation.")
    who = caller()
    participation = programmes.set_consent(
        get_session(), who.user, who.organisation_id, participation_id, consent, origin=origin()
    )
    return json_response(participation_json(participation))
