"""The one writer of every CSV and XLSX file we produce: cells safe to open in a spreadsheet.

Text is cleaned of control characters (which XLSX cannot hold) and text a spreadsheet would run
as a formula (starting with = + - @, tab or CR, per OWASP's CSV-injection guidance) is prefixed
with an apostrophe; plain numbers written as text stay numbers.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from collections.abc import Sequence
from typing import Any

from readiness.domain.text import clean_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?([eE][+-]?\d+)?")
BOM = "\ufeff"  # makes spreadsheet apps read CSV as UTF-8 (Chinese text)


def safe_text(value: str) -> str:
    """Text as a cell: control characters removed, formula starts neutralised."""
    text = clean_text(value)
    if text[:1] in FORMULA_STARTS and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def cell(value: Any) -> Any:
    """Any value as a safe cell: None empty, booleans true/false, lists and dicts as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple, dict)):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, (int, float)):
        return value
    return safe_text(str(value))


def csv_text(rows: Iterable[Sequence[Any]], bom: bool = True) -> str:
    """Rows as CSV text: safe cells, CRLF line ends (RFC 4180), a BOM unless `bom` is False."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return (BOM if bom else "") + out.getvalue()


def append_row(sheet: Any, values: Sequence[Any]) -> None:
    """Append safe cells to an openpyxl worksheet; text is stored as text, never as a formula."""
    sheet.append([None if v is None else cell(v) for v in values])
    for xl_cell in sheet[sheet.max_row]:
        if isinstance(xl_cell.value, str):
            xl_cell.data_type = "s"


def workbook_bytes(book: Any) -> bytes:
    """An openpyxl workbook as the bytes of an .xlsx file."""
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
