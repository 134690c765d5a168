"""How the API shows stored things as JSON: assessments, answers, conflicts, organisations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from readiness.models import Answer
from readiness.models import Assessment
from readiness.models import Membership
from readiness.services.answer_input import Conflict
from readiness.services.answer_input import PageAnswer
from readiness.services.answer_input import Progress
from readiness.services.answer_input import page_answer


def timestamp(value: datetime | None) -> str | None:
    """An RFC 3339 timestamp in UTC (None stays None)."""
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def assessment_json(assessment: Assessment, progress: Progress | None = None) -> dict[str, Any]:
    """An assessment's summary (with its progress when given)."""
    out: dict[str, Any] = {
        "id": assessment.id,
        "organisation_id": assessment.organisation_id,
        "questionnaire_id": assessment.questionnaire_id,
        "questionnaire_version": assessment.questionnaire_version,
        "title": assessment.title,
        "status": assessment.status,
        "revision": assessment.revision,
        "created_at": timestamp(assessment.created_at),
        "updated_at": timestamp(assessment.updated_at),
        "submitted_at": timestamp(assessment.submitted_at),
        "previous_assessment_id": assessment.previous_assessment_id,
    }
    if progress is not None:
        count = progress.overall
        out["progress"] = {
            "answered": count.answered,
            "total": count.total,
            "percent": count.percent,
        }
    return out


def page_answer_json(given: PageAnswer) -> dict[str, Any]:
    """A page answer (status, value, comment, evidence) as JSON."""
    return {
        "status": given.status,
        "value": given.value,
        "comment": given.comment,
        "evidence": given.evidence,
    }


def answer_json(answer: Answer) -> dict[str, Any]:
    """A stored answer with its revision and when it changed."""
    return {
        **page_answer_json(page_answer(answer)),
        "revision": answer.revision,
        "updated_at": timestamp(answer.updated_at),
    }


def conflict_json(conflict: Conflict) -> dict[str, Any]:
    """A question someone else changed: their answer (kept) and yours (not saved)."""
    return {
        "question_id": conflict.question_id,
        "theirs": page_answer_json(conflict.theirs),
        "yours": page_answer_json(conflict.yours),
        "who": conflict.who,
        "when": timestamp(conflict.when),
    }


def organisation_json(membership: Membership) -> dict[str, Any]:
    """The caller's organisation with their role."""
    organisation = membership.organisation
    return {
        "id": organisation.id,
        "name": organisation.name,
        "role": membership.role,
        "profile": dict(organisation.profile or {}),
    }
