"""What reports say about how an assessment was made: its kind, the firm's review, disagreements."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from readiness.domain.questionnaire import Questionnaire
from readiness.models import Assessment
from readiness.services import onsite
from readiness.services import respondents
from readiness.services.assessments import PageAnswer
from readiness.services.result_explain import answer_text


def _text(questionnaire: Questionnaire, question_id: str, given: PageAnswer, lang: str) -> str:
    question = questionnaire.question(question_id)
    return answer_text(question, given.value, given.status or "unanswered", lang)


def disagreements(
    session: Session, assessment: Assessment, questionnaire: Questionnaire
) -> list[dict[str, Any]]:
    """For reports: each disputed or settled question, every answer given and how it was settled."""
    if assessment.kind != respondents.KIND:
        return []
    parts = respondents.respondents_of(session, assessment)
    names = {r.id: r.user.name for r in parts}
    rows = []
    for row in respondents.consolidate_submitted(session, assessment, questionnaire, parts):
        if not (row.spread.disputed or row.settlement is not None):
            continue
        settlement = row.settlement
        rows.append(
            {
                "question_id": row.question_id,
                "given": [
                    (names.get(rid, "?"), answer, row.spread.levels.get(rid))
                    for rid, answer in row.given.items()
                ],
                "spread": row.spread.spread,
                "disputed": row.spread.disputed,
                "settled": row.consolidated,
                "note": settlement.note if settlement else "",
                "by": settlement.settled_by.name if settlement and settlement.settled_by else "",
            }
        )
    return rows


def kind_label(kind: str) -> str:
    """The kind of assessment in the current language."""
    return {
        "on_site": _("On-site evaluation"),
        "respondents": _("Consolidated from several respondents"),
    }.get(kind, _("Self-assessment"))


def collaboration_report(
    session: Session, questionnaire: Questionnaire, assessment: Assessment, lang: str
) -> dict[str, Any]:
    """ReportData fields `provenance` and `disagreements`, their texts in `lang`."""
    made = onsite.provenance(session, assessment)
    provenance = {
        "kind": made.kind,
        "label": kind_label(made.kind),
        "official": made.official,
        "evaluator": made.evaluator,
        "confirmed_by": made.confirmed_by,
        "disputed": made.disputed,
    }
    rows = []
    for row in disagreements(session, assessment, questionnaire):
        qid = row["question_id"]
        rows.append(
            {
                "question": questionnaire.question(qid).text.get(lang),
                "given": [
                    (name, _text(questionnaire, qid, given, lang), level)
                    for name, given, level in row["given"]
                ],
                "spread": row["spread"],
                "disputed": row["disputed"],
                "settled": _text(questionnaire, qid, row["settled"], lang),
                "note": row["note"],
                "by": row["by"],
            }
        )
    return {"provenance": provenance, "disagreements": tuple(rows)}
