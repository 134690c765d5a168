"""Comparison downloads: a comparison or a series as CSV rows (written by services.spreadsheets)."""

from __future__ import annotations

from typing import Any

from flask_babel import pgettext

from readiness.domain.comparison import Comparison
from readiness.domain.comparison import Delta
from readiness.domain.comparison import rounded
from readiness.domain.series import Series
from readiness.services.spreadsheets import csv_text

COMPARISON_HEADER = (
    "section",
    "id",
    "before",
    "after",
    "change",
    "level_before",
    "level_after",
    "level_change",
    "trend",
    "comparable",
    "note",
)


# Header names in the download's language (in English the column keys themselves).
def header_labels() -> dict[str, str]:
    """Column key → header name in the current language (English: the key itself)."""
    return {
        "section": pgettext("CSV column", "section"),
        "id": pgettext("CSV column", "id"),
        "before": pgettext("CSV column", "before"),
        "after": pgettext("CSV column", "after"),
        "change": pgettext("CSV column", "change"),
        "level_before": pgettext("CSV column", "level_before"),
        "level_after": pgettext("CSV column", "level_after"),
        "level_change": pgettext("CSV column", "level_change"),
        "trend": pgettext("CSV column", "trend"),
        "comparable": pgettext("CSV column", "comparable"),
        "note": pgettext("CSV column", "note"),
        "net_change": pgettext("CSV column", "net_change"),
    }


def localised_header(rows: list[list[Any]]) -> list[list[Any]]:
    """The rows with the header's column names in the current language (labels stay as they are)."""
    labels = header_labels()
    header = [labels.get(c, c) for c in rows[0]]
    return [header, *rows[1:]]


def _delta_row(section: str, d: Delta) -> list[Any]:
    return [
        section,
        d.id,
        rounded(d.before),
        rounded(d.after),
        rounded(d.change),
        d.level_before,
        d.level_after,
        d.level_change,
        d.trend,
        d.comparable,
        d.note,
    ]


def comparison_rows(comparison: Comparison) -> list[list[Any]]:
    """One row per result, question and recommended measure (header first)."""
    rows: list[list[Any]] = [list(COMPARISON_HEADER)]
    rows.append(_delta_row("overall", comparison.overall))
    rows += [_delta_row("pillar", d) for d in comparison.pillars]
    rows += [_delta_row("challenge_area", d) for d in comparison.challenge_areas]
    for q in comparison.questions:
        rows.append(
            [
                "question",
                q.id,
                q.before,
                q.after,
                q.change,
                q.level_before,
                q.level_after,
                "",
                "",
                q.change not in ("added", "removed", "redefined"),
                "",
            ]
        )
    for m in comparison.measures:
        rows.append(
            [
                "measure",
                m.measure,
                "",
                "",
                "",
                m.level_before,
                m.level_after,
                "",
                m.status,
                "",
                f"challenge area {m.challenge_area}, priority {m.priority}",
            ]
        )
    return rows


def series_rows(series: Series) -> list[list[Any]]:
    """One row per result with a score column per assessment, then the net change (header first)."""
    header = ["section", "id", *series.labels, "net_change", "trend", "comparable"]
    rows: list[list[Any]] = [header]
    for row in series.rows:
        rows.append(
            [
                row.kind,
                row.id,
                *(rounded(s) for s in row.scores),
                rounded(row.net.change),
                row.net.trend,
                all(s is None or s.comparable for s in row.steps),
            ]
        )
    return rows


def to_csv(rows: list[list[Any]]) -> str:
    """Rows as CSV text without a BOM (the one spreadsheet writer: formula-safe, CRLF ends)."""
    return csv_text(rows, bom=False)
