"""Report exports: CSV and JSON of answers and scores, an Excel workbook, an editable Word file."""

from __future__ import annotations

import json
from typing import Any

from flask_babel import gettext as _
from flask_babel import pgettext

from readiness.domain.text import clean_deep
from readiness.i18n import use_language
from readiness.services import made_export
from readiness.services.plan_export import add_plan_sheet
from readiness.services.report_docx import to_docx
from readiness.services.report_model import Ranked
from readiness.services.report_model import ReportData
from readiness.services.report_render import render_html
from readiness.services.report_render import render_pdf
from readiness.services.reports import status_label
from readiness.services.spreadsheets import append_row
from readiness.services.spreadsheets import csv_text
from readiness.services.spreadsheets import workbook_bytes
from readiness.services.tree_report import TreeReport
from readiness.services.tree_report import tree_csv
from readiness.services.tree_report import tree_json

CSV_COLUMNS = (
    "kind",
    "id",
    "pillar",
    "title",
    "status",
    "answer",
    "answer_text",
    "score",
    "level",
    "level_name",
    "comment",
    "evidence",
    "by",  # who evaluated, answered or settled (rows of how the assessment was made)
)


# The CSV header in the export's language (in English the column keys themselves).
def csv_headers() -> dict[str, str]:
    """Column key → header name in the current language (English: the key itself)."""
    return {
        "kind": pgettext("CSV column", "kind"),
        "id": pgettext("CSV column", "id"),
        "pillar": pgettext("CSV column", "pillar"),
        "title": pgettext("CSV column", "title"),
        "status": pgettext("CSV column", "status"),
        "answer": pgettext("CSV column", "answer"),
        "answer_text": pgettext("CSV column", "answer_text"),
        "score": pgettext("CSV column", "score"),
        "level": pgettext("CSV column", "level"),
        "level_name": pgettext("CSV column", "level_name"),
        "comment": pgettext("CSV column", "comment"),
        "evidence": pgettext("CSV column", "evidence"),
        "by": pgettext("CSV column", "by"),
    }


# format -> (label, MIME type); the formats `readiness report` and the download links offer
FORMATS = {
    "pdf": ("PDF", "application/pdf"),
    "html": ("HTML", "text/html; charset=utf-8"),
    "docx": ("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": ("CSV", "text/csv; charset=utf-8"),
    "json": ("JSON", "application/json"),
}
DOWNLOADS = ("pdf", "docx", "xlsx", "csv", "json")  # the formats offered as downloads


def render_format(data: ReportData, fmt: str) -> bytes:
    """The report in one of FORMATS, as the bytes of a file (HTML standalone, CSS inlined).

    Text is cleaned of control characters first, whatever was stored (XML cannot hold them).
    """
    data = clean_deep(data)
    if isinstance(data, TreeReport):
        tree_builders = {"html": render_html, "csv": tree_csv, "json": tree_json}
        if fmt == "pdf":
            return render_pdf(data)
        if fmt not in tree_builders:
            raise ValueError(f"format {fmt!r} is not offered for this questionnaire")
        return tree_builders[fmt](data).encode("utf-8")
    if fmt == "pdf":
        return render_pdf(data)
    if fmt == "docx":
        return to_docx(data)
    if fmt == "xlsx":
        return to_xlsx(data)
    builders = {"html": render_html, "csv": to_csv, "json": to_json}
    if fmt not in builders:
        raise ValueError(f"unknown report format {fmt!r} (choose {', '.join(FORMATS)})")
    return builders[fmt](data).encode("utf-8")


def _json_cell(value: Any) -> str:
    """An answer's JSON form as one cell ('' for none)."""
    return "" if value is None else json.dumps(value, ensure_ascii=False)


def _result_row(kind: str, result: Ranked, pillar: str = "") -> dict[str, Any]:
    return {
        "kind": kind,
        "id": result.id,
        "pillar": pillar,
        "title": result.title,
        "status": "",
        "answer": "",
        "answer_text": "",
        "score": "" if result.score is None else result.score,
        "level": "" if result.level is None else result.level,
        "level_name": result.level_name or "",
        "comment": "",
        "evidence": "",
    }


def score_rows(data: ReportData) -> list[dict[str, Any]]:
    """One row per question, pillar, challenge area and the overall result (CSV columns)."""
    rows = []
    for section in data.pillars:
        for q in section.questions:
            rows.append(
                {
                    "kind": "question",
                    "id": q.id,
                    "pillar": section.result.id,
                    "title": q.text,
                    "status": q.status,
                    "answer": _json_cell(q.answer),
                    "answer_text": q.answer_text,
                    "score": "" if q.score is None else q.score,
                    "level": "" if q.level is None else q.level,
                    "level_name": "",
                    "comment": q.comment,
                    "evidence": q.evidence,
                }
            )
    rows.extend(_result_row("pillar", s.result, s.result.id) for s in data.pillars)
    rows.extend(_result_row("challenge_area", a) for a in data.areas)
    rows.append(_result_row("overall", data.overall))
    return rows


def to_csv(data: ReportData) -> str:
    """Answers and scores as CSV (UTF-8 with a BOM so that Excel shows Chinese correctly)."""
    with use_language(data.lang):
        headers = csv_headers()
        made = made_export.csv_rows(data.how_made)
    rows = [[row.get(column, "") for column in CSV_COLUMNS] for row in (*score_rows(data), *made)]
    return csv_text([[headers[column] for column in CSV_COLUMNS], *rows])


def to_json(data: ReportData) -> str:
    """Answers, comments, evidence and the full result document as JSON."""
    answers = {}
    for section in data.pillars:
        for q in section.questions:
            if q.status == "unanswered" and not (q.comment or q.evidence):
                continue
            value = "dont_know" if q.status == "dont_know" else q.answer
            answers[q.id] = {
                "value": value,
                "status": q.status,
                "comment": q.comment,
                "evidence": q.evidence,
            }
    document = {
        "organisation": data.organisation,
        "date": data.date.isoformat(),
        "filled_in_by": data.filled_in_by,
        "lang": data.lang,
        "questionnaire": {
            "id": data.questionnaire_id,
            "version": data.questionnaire_version,
            "title": data.questionnaire_title,
        },
        "answers": answers,
        "result": data.document,
    }
    with use_language(data.lang):
        made = data.how_made
    if made:  # how the assessment was made: kind, review, respondents' disagreements
        document["how_made"] = made
    if data.lang != "en":
        with use_language(data.lang):
            # the `rule` fields stay English: they are the technical working, not prose
            document["notes"] = {
                "rule": _(
                    "The “rule” fields give the technical working of each result, in English."
                )
            }
    return json.dumps(document, ensure_ascii=False, indent=2)


def to_xlsx(data: ReportData) -> bytes:
    """An Excel workbook: sheets Answers, Scores and Recommendations, in the report language."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment
    from openpyxl.styles import Font

    with use_language(data.lang):
        book = Workbook()
        answers = book.active
        answers.title = _("Answers")
        append_row(
            answers,
            [
                _("Pillar"),
                _("Question ID"),
                _("Question"),
                _("Answer"),
                _("Status"),
                _("Score"),
                _("Level"),
                _("Comment"),
                _("Evidence"),
            ],
        )
        for section in data.pillars:
            for q in section.questions:
                append_row(
                    answers,
                    [
                        section.result.title,
                        q.id,
                        q.text,
                        q.answer_text,
                        status_label(q.status),
                        q.score,
                        q.level,
                        q.comment,
                        q.evidence,
                    ],
                )
        scores = book.create_sheet(_("Scores"))
        append_row(
            scores, [_("Kind"), _("ID"), _("Title"), _("Score"), _("Level"), _("Level name")]
        )
        for kind, result in (
            *((_("Pillar"), s.result) for s in data.pillars),
            *((_("Challenge area"), a) for a in data.areas),
            (_("Overall"), data.overall),
        ):
            append_row(
                scores,
                [kind, result.id, result.title, result.score, result.level, result.level_name],
            )
        recs = book.create_sheet(_("Recommendations"))
        append_row(
            recs,
            [
                _("Priority"),
                _("Measure"),
                _("Title"),
                _("Paper section"),
                _("Challenge area"),
                _("Score"),
                _("Level"),
                _("Weighted gap"),
                _("Actions"),
            ],
        )
        for rec in data.recommendations:
            append_row(
                recs,
                [
                    rec["priority"],
                    rec["measure"],
                    rec["title"],
                    rec["paper"],
                    f"{rec['challenge_area']} {rec['challenge_area_title']}",
                    rec["score"],
                    rec["level"],
                    rec["gap"],
                    "\n".join(a["text"] for a in rec["actions"]),
                ],
            )
        made_export.add_sheet(book, data.how_made)
        if data.plan:
            add_plan_sheet(book, data.plan, data.lang)
        for sheet in (answers, scores, recs):
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            sheet.freeze_panes = "A2"
            for column in sheet.columns:
                width = max(len(str(c.value or "")) for c in column)
                sheet.column_dimensions[column[0].column_letter].width = min(60, max(8, width + 2))
                for c in column[1:]:
                    c.alignment = Alignment(wrap_text=True, vertical="top")
    return workbook_bytes(book)
