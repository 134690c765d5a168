"""The report as an editable Word file (DOCX): scores, levels, explanations, actions, plan."""

from __future__ import annotations

import io
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import ngettext

from readiness.domain.text import clean_deep
from readiness.i18n import use_language
from readiness.services import made_export
from readiness.services.chart_images import add_charts
from readiness.services.plan_export import STATUS_LABELS
from readiness.services.plan_export import add_plan_docx
from readiness.services.report_model import Ranked
from readiness.services.report_model import ReportData

CJK_FONT = "Noto Sans CJK SC"


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
