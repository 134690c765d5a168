"""Report exports: CSV and JSON of answers and scores, an Excel workbook, an editable Word file."""

from __future__ import annotations

import io
import json
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_babel import pgettext

from readiness.domain.text import clean_deep
from readiness.i18n import use_language
from readiness.services import made_export
from readiness.services.chart_images import add_charts
from readiness.services.plan_export import STATUS_LABELS
from readiness.services.plan_export import add_plan_docx
from readiness.services.plan_export import add_plan_sheet
from readiness.services.report_render import render_html
from readiness.services.report_render import render_pdf
from readiness.services.reports import Ranked
from readiness.services.reports import ReportData
from readiness.services.reports import status_label
from readiness.services.spreadsheets import append_row
from readiness.services.spreadsheets import csv_text
from readiness.services.spreadsheets import workbook_bytes
from readiness.services.tree_report import TreeReport
from readiness.services.tree_report import tree_csv
from readiness.services.tree_report import tree_json


def _with_status(action: dict[str, Any]) -> str:
    """An action's text, with its plan status when the plan has it (as on the results page)."""
    status = action.get("plan_status")
    if not status:
        return action["text"]
    return f"{action['text']} — " + _("In the plan: %(status)s", status=str(STATUS_LABELS[status]))


def _done_note(count: int) -> str:
    """The note that a measure's actions done in the plan are left out."""
    return ngettext(
        "%(num)d action of this measure is already done in the plan and left out.",
        "%(num)d actions of this measure are already done in the plan and left out.",
        count,
    )


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


CJK_FONT = "Noto Sans CJK SC"
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


def _level_text(result: Ranked) -> str:
    """A result's level as "Level 2 · Standardised (51.0)", the same format on every page."""
    if result.level is None:
        return _("not applicable")
    level = _("Level %(n)d", n=result.level)
    text = f"{level} · {result.level_name}"
    if result.score is None:
        return text
    return _("%(level)s (%(score).1f)", level=text, score=result.score)


def _table(doc: Any, header: list[str], rows: list[list[Any]]) -> None:
    """A bordered table with a bold header row."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(str(text)).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)


def _cjk_styles(doc: Any) -> None:
    """Give the document's styles an East-Asian font so Chinese text renders in Word."""
    from docx.oxml.ns import qn

    for style in doc.styles:
        element = getattr(style, "element", None)
        if element is None or style.type != 1:  # paragraph styles only
            continue
        rpr = element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        fonts.set(qn("w:eastAsia"), CJK_FONT)


def to_docx(data: ReportData) -> bytes:
    """An editable Word report with the report's sections and its two radar charts (as PNG)."""
    from docx import Document

    data = clean_deep(data)  # XML cannot hold control characters, whatever was stored
    with use_language(data.lang):
        doc = Document()
        made = data.how_made
        _cjk_styles(doc)
        doc.add_heading(data.organisation or _("Readiness report"), level=0)
        doc.add_paragraph(data.questionnaire_title)
        _table(
            doc,
            [_("Item"), _("Value")],
            [
                [_("Organisation"), data.organisation or "—"],
                [_("Date"), format_date(data.date, "long")],
                [_("Questionnaire"), data.questionnaire_name],
                [_("Filled in by"), data.filled_in_by or "—"],
                *made_export.docx_items(made),
            ],
        )
        doc.add_heading(_("Executive summary"), level=1)
        doc.add_paragraph(_("Overall level: %(level)s", level=_level_text(data.overall)))
        doc.add_paragraph(data.overall_description)
        doc.add_paragraph(_("Coverage: %(percent).0f%%", percent=data.coverage_percent))
        _table(
            doc,
            [_("Item"), _("Result")],
            [
                [label, f"{r.title} — {_level_text(r)}" if r else "—"]
                for label, r in (
                    (_("Strongest pillar"), data.strongest_pillar),
                    (_("Weakest pillar"), data.weakest_pillar),
                    (_("Strongest challenge area"), data.strongest_area),
                    (_("Weakest challenge area"), data.weakest_area),
                )
            ],
        )
        doc.add_heading(_("The three most urgent measures"), level=2)
        for rec in data.urgent:
            doc.add_paragraph(
                f"{rec['measure']} {rec['title']} — {rec['challenge_area']} "
                f"{rec['challenge_area_title']}",
                style="List Number",
            )
        doc.add_heading(_("Pillars and challenge areas"), level=1)
        add_charts(doc, data)
        _table(
            doc,
            [_("Pillar / challenge area"), _("Level")],
            [
                [r.title, _level_text(r)]
                for r in (*(s.result for s in data.pillars), *data.areas, data.overall)
            ],
        )
        doc.add_heading(_("Answers by pillar"), level=1)
        for section in data.pillars:
            doc.add_heading(f"{section.result.title} — {_level_text(section.result)}", level=2)
            _table(
                doc,
                [_("Question"), _("Answer"), _("Level"), _("Comment"), _("Evidence")],
                [
                    [
                        q.text,
                        q.answer_text,
                        "—" if q.level is None else q.level,
                        q.comment,
                        q.evidence,
                    ]
                    for q in section.questions
                ],
            )
        made_export.add_docx_section(doc, made, _table)
        doc.add_heading(_("Gap analysis"), level=1)
        _table(
            doc,
            [_("Priority"), _("Challenge area"), _("Score"), _("Level"), _("Weighted gap")],
            [
                [
                    r["priority"],
                    f"{r['challenge_area']} {r['challenge_area_title']}",
                    r["score"],
                    r["level"],
                    r["gap"],
                ]
                for r in data.recommendations
            ],
        )
        doc.add_heading(_("Recommendations"), level=1)
        for rec in data.recommendations:
            doc.add_heading(f"{rec['priority']}. {rec['title']}", level=2)
            doc.add_paragraph(
                _(
                    "Measure %(measure)s of the source paper (§%(paper)s), answering challenge "
                    "area %(area)s %(title)s.",
                    measure=rec["measure"],
                    paper=rec["paper"],
                    area=rec["challenge_area"],
                    title=rec["challenge_area_title"],
                )
            )
            for action in rec["actions"]:
                doc.add_paragraph(_with_status(action), style="List Bullet")
            if not rec["actions"] and not rec.get("done_count"):
                doc.add_paragraph(_("Already at the highest level."))
            if rec.get("done_count"):
                doc.add_paragraph(_done_note(rec["done_count"]))
        for area in data.top_areas:
            doc.add_heading(area.title, level=2)
            doc.add_paragraph(_("Already at the highest level: no further actions. Keep it there."))
        doc.add_heading(_("Roadmap"), level=1)
        for horizon in data.roadmap:
            start, end = horizon["months"]
            if end is None:  # the backlog: what waits until a slot frees up
                heading = _("Backlog: after month %(start)d, or when a slot frees up", start=start)
            else:
                heading = _("%(start)s–%(end)s months", start=start, end=end)
            doc.add_heading(heading, level=2)
            for step in horizon["steps"]:
                doc.add_paragraph(f"{step['measure']} {step['title']}", style="List Bullet")
                for action in step["actions"]:
                    doc.add_paragraph(_with_status(action), style="List Bullet 2")
        if data.plan:
            add_plan_docx(doc, data.plan, data.lang, _table)
        doc.add_heading(_("Methodology"), level=1)
        doc.add_paragraph(
            _(
                "Scores run from 0 to 100 and levels from 0 to 5. Not-applicable answers leave the "
                "result; don't-know and unanswered questions count as 0; coverage is the share of "
                "questions with any answer. The full rules are in the HTML and PDF report."
            )
        )
        _table(
            doc,
            [_("Level"), _("Name"), _("Minimum score"), _("What it means")],
            [
                [lv["level"], lv["name"], f"{lv['min_score']:g}", lv["description"]]
                for lv in data.levels
            ],
        )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
