"""The plan as rows in one language: a report section (PDF, DOCX, XLSX) and exports (XLSX, ICS).

Spreadsheet cells go through the one spreadsheet writer (readiness/services/spreadsheets.py), so
text that would run as a formula is neutralised and control characters are dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from readiness.domain.plan import is_overdue
from readiness.i18n import use_language
from readiness.models import PlanAction
from readiness.services.spreadsheets import append_row
from readiness.services.spreadsheets import workbook_bytes

STATUS_LABELS = {
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "dropped": _l("Dropped"),
}
EFFORT_LABELS = {"small": _l("Small"), "medium": _l("Medium"), "large": _l("Large")}
COST_LABELS = {"low": _l("Low cost"), "medium": _l("Medium cost"), "high": _l("High cost")}
FIELD_LABELS = {
    "title": _l("Action"),
    "description": _l("Description"),
    "measure_id": _l("Measure"),
    "challenge_area": _l("Challenge area"),
    "pillar": _l("Pillar"),
    "question_ids": _l("Questions it should move"),
    "owner_id": _l("Action owner"),
    "owner_name": _l("Name of the outside person"),
    "owner_email": _l("Their e-mail address (for reminders)"),
    "start_date": _l("Start"),
    "due_date": _l("Due"),
    "status": _l("Status"),
    "dropped_reason": _l("Why it was dropped"),
    "effort": _l("Effort"),
    "cost_band": _l("Cost"),
    "indicator": _l("Indicator it should move"),
    "baseline": _l("Baseline"),
    "target": _l("Target"),
    "notes": _l("Notes"),
    "evidence_links": _l("Evidence links"),
    "source_assessment_id": _l("Assessment"),
}


@dataclass(frozen=True)
class PlanRow:
    """One plan action as a report or an export shows it, texts in one language."""

    id: int
    title: str
    description: str
    measure: str
    challenge_area: str
    pillar: str
    owner: str
    start: date | None
    due: date | None
    status: str
    status_text: str
    overdue: bool
    effort: str
    cost: str
    indicator: str
    baseline: str
    target: str
    notes: str
    links: tuple[str, ...]
    dropped_reason: str
    revision: int = 1


def plan_rows(actions: Sequence[PlanAction], lang: str, today: date | None = None) -> list[PlanRow]:
    """The plan's actions as rows in `lang`: open ones first (by due date), then done, dropped."""
    today = today or date.today()
    order = {"in_progress": 0, "planned": 0, "done": 1, "dropped": 2}
    with use_language(lang):
        return [
            PlanRow(
                id=a.id,
                title=a.title,
                description=a.description,
                measure=a.measure_id or "",
                challenge_area=a.challenge_area or "",
                pillar=a.pillar or "",
                owner=a.owner_label,
                start=a.start_date,
                due=a.due_date,
                status=a.status,
                status_text=str(STATUS_LABELS[a.status]),
                overdue=is_overdue(a.due_date, a.status, today),
                effort=str(EFFORT_LABELS[a.effort]) if a.effort else "",
                cost=str(COST_LABELS[a.cost_band]) if a.cost_band else "",
                indicator=a.indicator,
                baseline=a.baseline,
                target=a.target,
                notes=a.notes,
                links=tuple(a.evidence_links or ()),
                dropped_reason=a.dropped_reason,
                revision=a.revision,
            )
            for a in sorted(actions, key=lambda a: (order[a.status], a.due_date or date.max, a.id))
        ]


def _date(value: date | None) -> str:
    return format_date(value, "medium") if value else ""


def _header() -> list[str]:
    return [
        _("Action"),
        _("Measure"),
        _("Challenge area"),
        _("Pillar"),
        _("Action owner"),
        _("Start"),
        _("Due"),
        _("Status"),
        _("Overdue"),
        _("Effort"),
        _("Cost"),
        _("Indicator"),
        _("Baseline"),
        _("Target"),
        _("Notes"),
        _("Evidence links"),
    ]


def _cells(row: PlanRow) -> list[Any]:
    status = row.status_text + (f" — {row.dropped_reason}" if row.dropped_reason else "")
    return [
        row.title,
        row.measure,
        row.challenge_area,
        row.pillar,
        row.owner,
        row.start,
        row.due,
        status,
        _("yes") if row.overdue else "",
        row.effort,
        row.cost,
        row.indicator,
        row.baseline,
        row.target,
        row.notes,
        "\n".join(row.links),
    ]


def add_plan_sheet(book: Any, rows: Sequence[PlanRow], lang: str) -> None:
    """Add a "Plan" sheet to an openpyxl workbook (every user text neutralised)."""
    from openpyxl.styles import Font

    with use_language(lang):
        sheet = book.create_sheet(_("Plan"))
        append_row(sheet, _header())
        for row in rows:
            append_row(sheet, _cells(row))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(50, max(8, width + 2))
            for c in column[1:]:
                if isinstance(c.value, date):
                    c.number_format = "yyyy-mm-dd"


def plan_xlsx(rows: Sequence[PlanRow], lang: str) -> bytes:
    """The plan alone as an Excel workbook."""
    from openpyxl import Workbook

    book = Workbook()
    add_plan_sheet(book, rows, lang)
    book.remove(book.worksheets[0])
    return workbook_bytes(book)


def add_plan_docx(doc: Any, rows: Sequence[PlanRow], lang: str, table: Any) -> None:
    """Add the plan section to a python-docx document; `table(doc, header, rows)` draws tables."""
    with use_language(lang):
        doc.add_heading(_("Action plan"), level=1)
        if not rows:
            doc.add_paragraph(_("No actions in the plan yet."))
            return
        table(
            doc,
            [_("Action"), _("Measure"), _("Action owner"), _("Due"), _("Status"), _("Indicator")],
            [
                [
                    r.title,
                    r.measure,
                    r.owner or "—",
                    _date(r.due) or "—",
                    r.status_text + (" · " + _("overdue") if r.overdue else ""),
                    " → ".join(x for x in (r.indicator, r.baseline, r.target) if x),
                ]
                for r in rows
            ],
        )


def plan_ics(rows: Sequence[PlanRow], organisation: str, host: str, lang: str) -> bytes:
    """The plan's open and done actions with a due date as all-day iCalendar events."""
    from icalendar import Calendar
    from icalendar import Event

    with use_language(lang):
        calendar = Calendar()
        calendar.add("prodid", "-//Readiness//Action plan//EN")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", _("Action plan of %(name)s", name=organisation))
        stamp = datetime.now().astimezone()
        for row in rows:
            if row.due is None or row.status == "dropped":
                continue
            event = Event()
            event.add("uid", f"plan-action-{row.id}@{host}")
            event.add("dtstamp", stamp)
            event.add("summary", row.title)
            event.add("dtstart", row.due)
            event.add("status", "CANCELLED" if row.status == "dropped" else "CONFIRMED")
            lines = [f"{_('Status')}: {row.status_text}"]
            if row.measure:
                lines.append(f"{_('Measure')}: {row.measure}")
            if row.owner:
                lines.append(f"{_('Action owner')}: {row.owner}")
            if row.indicator:
                lines.append(f"{_('Indicator')}: {row.indicator} {row.baseline} → {row.target}")
            if row.description:
                lines.append(row.description)
            event.add("description", "\n".join(lines))
            calendar.add_component(event)
    return calendar.to_ical()
