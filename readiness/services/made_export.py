"""How an assessment was made, laid out for the CSV, JSON, XLSX and DOCX reports.

Every format (the HTML and PDF template too) shows the one `ReportData.how_made`
(services.collaboration_report.how_made): the kind of assessment with who evaluated it and
whether the firm confirmed it, and where several respondents disagreed and how it was settled.
This module only places those facts in each file; spreadsheet cells go through
services.spreadsheets like every other cell. Call it inside the report's language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _

from readiness.services.spreadsheets import append_row


def csv_rows(made: dict[str, Any]) -> list[dict[str, Any]]:
    """CSV rows (column key → value): the kind, then per disagreement its settlement and answers."""
    if not made:
        return []
    rows = [
        {
            "kind": "assessment_kind",
            "id": made["kind"],
            "title": made["summary"],
            "status": "official" if made["official"] else "awaiting_review",
            "by": made["evaluator"],
        }
    ]
    for d in made["disagreements"]:
        rows.append(
            {
                "kind": "disagreement",
                "id": d["question_id"],
                "title": d["question"],
                "status": "disputed" if d["disputed"] else "settled",
                "answer_text": d["settled"],
                "comment": d["note"],
                "by": d["settled_by"],
            }
        )
        rows.extend(
            {
                "kind": "respondent_answer",
                "id": d["question_id"],
                "title": d["question"],
                "answer_text": a["answer"],
                "level": "" if a["level"] is None else a["level"],
                "by": a["respondent"],
            }
            for a in d["answers"]
        )
    return rows


def _settled_text(d: dict[str, Any]) -> str:
    """The settled answer with the owner's note and name, as the HTML report shows it."""
    if not d["note"]:
        return d["settled"]
    by = f" ({d['settled_by']})" if d["settled_by"] else ""
    return f"{d['settled']}\n{_('Note:')} {d['note']}{by}"


def _question_text(d: dict[str, Any]) -> str:
    if not d["disputed"]:
        return d["question"]
    return f"{d['question']} {_('(%(n)d levels apart)', n=d['spread'])}"


def add_sheet(book: Any, made: dict[str, Any]) -> None:
    """A sheet "Kind of assessment": the summary, then one row per disagreement."""
    if not made:
        return
    from openpyxl.styles import Alignment
    from openpyxl.styles import Font

    sheet = book.create_sheet(_("Kind of assessment"))
    append_row(sheet, [_("Kind of assessment"), made["summary"]])
    if made["disagreements"]:
        append_row(sheet, [])
        append_row(sheet, [_("Where respondents disagreed")])
        append_row(
            sheet,
            [_("Question ID"), _("Question"), _("Answers given"), _("Settled as"), _("Note")],
        )
        for d in made["disagreements"]:
            note = f"{d['note']} ({d['settled_by']})" if d["settled_by"] else d["note"]
            append_row(
                sheet,
                [d["question_id"], _question_text(d), d["answers_text"], d["settled"], note],
            )
    for row in sheet.iter_rows():
        for xl_cell in row:
            xl_cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet["A1"].font = Font(bold=True)
    for letter, width in zip("ABCDE", (22, 50, 40, 30, 40), strict=True):
        sheet.column_dimensions[letter].width = width


def docx_items(made: dict[str, Any]) -> list[list[str]]:
    """Rows for the report's cover table (Item, Value)."""
    return [[_("Kind of assessment"), made["summary"]]] if made else []


def add_docx_section(doc: Any, made: dict[str, Any], table: Callable[..., None]) -> None:
    """The chapter "Where respondents disagreed", when they did (`table` draws a table)."""
    if not made or not made["disagreements"]:
        return
    doc.add_heading(_("Where respondents disagreed"), level=1)
    doc.add_paragraph(
        _(
            "Questions whose respondents’ answers lay two or more levels apart, and questions "
            "the owner settled, with each answer given and the consolidated answer."
        )
    )
    table(
        doc,
        [_("Question"), _("Answers given"), _("Settled as")],
        [[_question_text(d), d["answers_text"], _settled_text(d)] for d in made["disagreements"]],
    )
