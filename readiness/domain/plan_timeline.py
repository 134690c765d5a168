"""A Gantt-like timeline of plan actions as server-rendered SVG (no script, no inline style)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from xml.sax.saxutils import escape
from xml.sax.saxutils import quoteattr

ROW = 26  # height of one action's row
LABEL_WIDTH = 260
CHART_WIDTH = 560
HEAD = 34  # room for the month labels
LABEL_CHARS = 34
# Status colours differ in lightness too, and overdue bars get a red outline: readable in grey.
FILLS = {"planned": "#b0bec5", "in_progress": "#1f3b73", "done": "#2e7d32", "dropped": "#e0e0e0"}


@dataclass(frozen=True)
class Bar:
    """One action on the timeline: from start (else due) to due (else start)."""

    label: str
    start: date | None
    due: date | None
    status: str
    overdue: bool


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    width = 0
    for i, ch in enumerate(text):
        width += 2 if ord(ch) >= 0x2E80 else 1
        if width > limit:
            return text[:i].rstrip() + "…"
    return text


def _months(first: date, last: date) -> list[date]:
    month = date(first.year, first.month, 1)
    out = []
    while month <= last:
        out.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return out


def timeline_svg(bars: Sequence[Bar], today: date, title: str, today_label: str) -> str:
    """An SVG timeline: one row per dated action, month ticks, a line for today ("" if no dates)."""
    dated = [b for b in bars if b.start or b.due]
    if not dated:
        return ""
    days = [d for b in dated for d in (b.start, b.due) if d] + [today]
    first = min(days).replace(day=1)
    last = max(days) + timedelta(days=1)
    span = max((last - first).days, 1)

    def x(day: date) -> float:
        return LABEL_WIDTH + CHART_WIDTH * (day - first).days / span

    height = HEAD + ROW * len(dated) + 8
    width = LABEL_WIDTH + CHART_WIDTH + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="plan-timeline" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f"aria-label={quoteattr(title)}>",
        f"<title>{escape(title)}</title>",
    ]
    for month in _months(first, last):
        mx = x(month)
        parts.append(
            f'<line class="tick" x1="{mx:.1f}" y1="{HEAD - 8}" x2="{mx:.1f}" y2="{height}" '
            f'stroke="#d0d4da" stroke-width="1"/>'
        )
        parts.append(
            f'<text class="month" x="{mx + 3:.1f}" y="{HEAD - 14}" font-size="11" '
            f'fill="#444">{month:%Y-%m}</text>'
        )
    for i, bar in enumerate(dated):
        y = HEAD + i * ROW
        start, end = bar.start or bar.due, bar.due or bar.start
        assert start is not None and end is not None
        if end < start:
            start, end = end, start
        x1, x2 = x(start), max(x(end + timedelta(days=1)), x(start) + 4)
        state = f"bar status-{bar.status}" + (" overdue" if bar.overdue else "")
        label = escape(_short(bar.label))
        parts.append(
            f'<text class="label" x="4" y="{y + 17}" font-size="12" fill="#1a1a1a">{label}</text>'
        )
        parts.append(
            f'<rect class="{state}" x="{x1:.1f}" y="{y + 5}" width="{x2 - x1:.1f}" '
            f'height="{ROW - 10}" '
            f'rx="3" fill="{FILLS.get(bar.status, "#999")}"'
            + (' stroke="#c62828" stroke-width="2"' if bar.overdue else "")
            + f"><title>{escape(bar.label)}</title></rect>"
        )
    tx = x(today)
    parts.append(
        f'<line class="today" x1="{tx:.1f}" y1="{HEAD - 8}" x2="{tx:.1f}" y2="{height}" '
        f'stroke="#c62828" stroke-width="2" stroke-dasharray="4 3"/>'
    )
    parts.append(
        f'<text class="today-label" x="{tx + 3:.1f}" y="{HEAD - 1}" font-size="11" '
        f'fill="#c62828">{escape(today_label)}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
