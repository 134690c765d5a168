"""Summaries of assessments that arrive already submitted: an imported organisation, a restore.

`submit` writes an assessment's summary (overall score and level, one AssessmentScore row per
pillar and challenge area); lists, the dashboard and history read only that. Assessments that
reach the database another way get theirs here: scored again from their answers when this
installation has their questionnaire version (exactly what submit wrote), else taken from their
stored result document (its scores carry one decimal).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm import undefer

from readiness.domain.scoring import score
from readiness.models import Assessment
from readiness.models import AssessmentScore
from readiness.services.assessments import answer_set
from readiness.services.assessments import load_answers
from readiness.services.questionnaires import UnknownQuestionnaire
from readiness.services.summaries import clear_summary
from readiness.services.summaries import write_summary


def summary_from_document(
    session: Session, assessment: Assessment, result: Mapping[str, Any] | None
) -> bool:
    """Set the summary from a stored result document (English, else any); False if unreadable."""
    documents = result if isinstance(result, Mapping) else {}
    doc = documents.get("en") or next(iter(documents.values()), None)
    if not isinstance(doc, Mapping):
        return False
    clear_summary(session, assessment)
    overall = doc.get("overall") or {}
    assessment.overall_score = overall.get("score")
    assessment.overall_level = overall.get("level")
    for kind, field in (("pillar", "pillars"), ("challenge_area", "challenge_areas")):
        for key, value in (doc.get(field) or {}).items():
            session.add(
                AssessmentScore(
                    assessment_id=assessment.id,
                    kind=kind,
                    key=key,
                    score=(value or {}).get("score"),
                    level=(value or {}).get("level"),
                )
            )
    return True


def summarise_arrived(
    session: Session, assessment: Assessment, catalogue: Any | None, result: Any = None
) -> bool:
    """Write the summary of a submitted assessment that did not come through `submit`.

    Its answers must be flushed. Scored from them with the questionnaire from `catalogue` when
    this installation has that version, else from `result` (default: the stored document).
    The assessment's last-change time stays as it was. Caller commits; False when neither is
    possible.
    """
    when = assessment.updated_at
    written = _summarise(session, assessment, catalogue, result)
    session.flush()  # an UPDATE, whose onupdate stamp is put back: nobody changed the assessment
    session.execute(
        update(Assessment)
        .where(Assessment.id == assessment.id)
        .values(updated_at=when)
        .execution_options(synchronize_session=False)
    )
    session.expire(assessment, ["updated_at"])
    return written


def _summarise(
    session: Session, assessment: Assessment, catalogue: Any | None, result: Any
) -> bool:
    if catalogue is not None:
        try:
            q = catalogue.get(assessment.questionnaire_id, assessment.questionnaire_version)
        except UnknownQuestionnaire:
            q = None
        if q is not None:
            write_summary(
                session, assessment, score(q, answer_set(q, load_answers(session, assessment)))
            )
            return True
    return summary_from_document(
        session, assessment, assessment.result if result is None else result
    )


def fill_missing_summaries(session: Session, catalogue: Any | None = None) -> int:
    """Give every submitted assessment without a summary its summary; how many (commits)."""
    missing = session.scalars(
        select(Assessment)
        .where(
            Assessment.status == "submitted",
            ~select(AssessmentScore.assessment_id)
            .where(AssessmentScore.assessment_id == Assessment.id)
            .exists(),
        )
        .options(undefer(Assessment.result))
    ).all()
    filled = sum(summarise_arrived(session, a, catalogue) for a in missing)
    session.commit()
    return filled
