"""The report of a format-2 assessment: the tree's result in one language, as HTML, PDF, CSV or
JSON (the Word and Excel exports are built around pillars and measures, which a tree has not)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import pgettext
from sqlalchemy.orm import Session

from readiness.domain.aggregation.document import instrument_document
from readiness.domain.aggregation.engine import evaluate
from readiness.domain.questionnaire import Questionnaire
from readiness.i18n import use_language
from readiness.models import Assessment
from readiness.services import assessments
from readiness.services.spreadsheets import csv_text
from readiness.services.tree_results import TreeView
from readiness.services.tree_results import tree_view

TREE_DOWNLOADS = ("pdf", "csv", "json")  # the report formats a format-2 assessment offers


@dataclass(frozen=True)
class TreeReport:
    """A format-2 report: who, when, and the result ready to show in `lang`."""

    lang: str
    organisation: str
    date: date
    filled_in_by: str
    view: TreeView
    answers: dict[str, Any]
    plan_digest: str = ""  # no plan section: the PDF cache key needs no plan part

    @property
    def title(self) -> str:
        """The report's title: the organisation, else the questionnaire."""
        return self.organisation or self.view.title


def tree_report_data(
    session: Session, questionnaire: Questionnaire, assessment: Assessment, lang: str
) -> TreeReport:
    """The report of a submitted format-2 assessment from its stored result document."""
    lang = lang if lang in questionnaire.languages else questionnaire.languages[0]
    doc = assessments.stored_result(session, assessment, lang)
    rows = assessments.load_answers(session, assessment)
    answers = {
        qid: {"status": row.status, "value": row.value, "comment": row.comment or ""}
        for qid, row in rows.items()
    }
    person = assessment.submitted_by or assessment.created_by
    with use_language(lang):
        view = tree_view(questionnaire, doc, lang)
    return TreeReport(
        lang=lang,
        organisation=assessment.organisation.name,
        date=assessment.submitted_at.date() if assessment.submitted_at else date.today(),
        filled_in_by=person.name if person else "",
        view=view,
        answers=answers,
    )


def tree_csv(report: TreeReport) -> str:
    """Every node and item: its value at full precision, the display value, maximum and level."""
    with use_language(report.lang):
        header = [
            pgettext("CSV column", "kind"),
            pgettext("CSV column", "id"),
            pgettext("CSV column", "title"),
            pgettext("CSV column", "answer_text"),
            pgettext("CSV column", "score"),
            pgettext("CSV column", "display"),
            pgettext("CSV column", "maximum"),
            pgettext("CSV column", "level"),
            pgettext("CSV column", "level_name"),
        ]
    doc = report.view.document
    rows: list[list[Any]] = [header]
    for node in report.view.nodes:
        rows.append(
            [
                "node",
                node.id,
                node.title,
                "",
                node.value,
                node.display,
                node.maximum,
                node.level,
                node.level_name,
            ]
        )
    for section in report.view.sections:
        for answer in section.answers:
            item = doc["items"].get(answer.id, {})
            rows.append(
                [
                    "item",
                    answer.id,
                    answer.text,
                    answer.answer,
                    item.get("value"),
                    answer.display,
                    answer.maximum,
                    answer.level,
                    "",
                ]
            )
    return csv_text(rows)


def tree_json(report: TreeReport) -> str:
    """The stored result document with the answers and who answered when."""
    document = {
        "questionnaire": dict(report.view.document.get("questionnaire", {})),
        "organisation": report.organisation,
        "date": report.date.isoformat(),
        "filled_in_by": report.filled_in_by,
        "lang": report.lang,
        "answers": report.answers,
        "result": report.view.document,
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def tree_report_from_answers(
    questionnaire: Questionnaire,
    values: Mapping[str, Any],
    lang: str,
    organisation: str = "",
    filled_in_by: str = "",
) -> TreeReport:
    """The report of parsed answers to a format-2 questionnaire (an answers file), scored now."""
    lang = lang if lang in questionnaire.languages else questionnaire.languages[0]
    instrument = questionnaire.instrument
    doc = instrument_document(instrument, evaluate(instrument, values), values, lang)
    with use_language(lang):
        view = tree_view(questionnaire, doc, lang)
    answers = {
        k: {"status": item["status"], "value": item["answer"]}
        for k, item in doc["items"].items()
        if item["status"] != "unanswered"
    }
    return TreeReport(lang, organisation, date.today(), filled_in_by, view, answers)
