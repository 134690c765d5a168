"""What reports say about how an assessment was made: its kind, the firm's review, disagreements."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import Session

from readiness.domain.questionnaire import Questionnaire
from readiness.models import Assessment
from readiness.services import onsite
from readiness.services import respondents
from readiness.services.answer_input import PageAnswer
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
                "question_id": qid,
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


def _given_line(answer: Mapping[str, Any]) -> str:
    """ "Pat: Level 1 text (Level 1)": one respondent's answer as the HTML report shows it."""
    line = f"{answer['respondent']}: {answer['answer']}"
    if answer["level"] is None:
        return line
    return line + " (" + _("Level %(n)d", n=answer["level"]) + ")"


def how_made(
    provenance: Mapping[str, Any], disagreements: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """How the assessment was made, as every report format shows it ({} without provenance).

    The kind, a one-line summary (who evaluated, whether the firm confirmed, how many answers
    it disputed) and, for several respondents, each disagreement with every answer given, the
    settled answer, the note and who settled it. Texts in the current language.
    """
    if not provenance:
        return {}  # a report of an answers file: nobody known made it
    kind = provenance["kind"]
    parts = [kind_label(kind)]
    if kind == onsite.KIND:
        parts.append(_("by %(who)s", who=provenance.get("evaluator") or "—"))
        if provenance.get("official"):
            who = provenance.get("confirmed_by") or "—"
            parts.append(_("confirmed by the firm (%(who)s)", who=who))
        else:
            parts.append(_("awaiting the firm’s review: not yet official"))
        disputed = provenance.get("disputed") or 0
        if disputed:
            parts.append(
                ngettext(
                    "%(num)d answer disputed by the firm.",
                    "%(num)d answers disputed by the firm.",
                    disputed,
                )
            )
    rows = []
    for row in disagreements:
        answers = [
            {"respondent": name, "answer": text, "level": level}
            for name, text, level in row["given"]
        ]
        rows.append(
            {
                "question_id": row.get("question_id", ""),
                "question": row["question"],
                "answers": answers,
                "answers_text": "\n".join(_given_line(a) for a in answers),
                "spread": row["spread"],
                "disputed": row["disputed"],
                "settled": row["settled"],
                "note": row["note"],
                "settled_by": row["by"],
            }
        )
    return {
        "kind": kind,
        "label": parts[0],
        "summary": " · ".join(parts),
        "official": bool(provenance.get("official")),
        "evaluator": provenance.get("evaluator") or "",
        "confirmed_by": provenance.get("confirmed_by") or "",
        "disputed_answers": provenance.get("disputed") or 0,
        "disagreements": rows,
    }
