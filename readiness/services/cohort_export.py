"""A cohort as files: the table of consenting firms as CSV and XLSX, the cohort report as PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app

from readiness.i18n import use_language
from readiness.services.report_render import report_css
from readiness.services.spreadsheets import append_row
from readiness.services.spreadsheets import csv_text
from readiness.services.spreadsheets import workbook_bytes

TEMPLATE = "programmes/report.html"


def cohort_csv(rows: list[list[Any]]) -> bytes:
    """The cohort table as UTF-8 CSV (with a BOM, formula starts neutralised)."""
    return csv_text(rows).encode("utf-8")


def cohort_xlsx(rows: list[list[Any]], title: str) -> bytes:
    """The cohort table as an XLSX workbook with one sheet."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31] or "Cohort"
    for row in rows:
        append_row(sheet, row)
    return workbook_bytes(book)


def render_cohort_html(context: dict[str, Any], lang: str) -> str:
    """The cohort report as a standalone HTML document (stylesheet inlined for WeasyPrint)."""
    template = current_app.jinja_env.get_template(TEMPLATE)
    with use_language(lang):
        extra = Path(current_app.static_folder or "static") / "css" / "cohort.css"
        css = report_css() + "\n" + extra.read_text(encoding="utf-8")
        return template.render(inline_css=css, lang=lang, **context)


def render_cohort_pdf(context: dict[str, Any], lang: str) -> bytes:
    """The cohort report as an A4 PDF for the programme's funder."""
    from weasyprint import HTML

    base = current_app.static_folder or "."
    return HTML(string=render_cohort_html(context, lang), base_url=str(base)).write_pdf()
