"""Server-rendered SVG charts of a cohort: histograms and box plots (pure; no script, no style).

Colours and sizes are SVG presentation attributes, so the charts need no inline style and
pass the strict Content-Security-Policy; every chart has a <title> for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from readiness.domain.distribution import BoxStats

FONT = "DejaVu Sans, Noto Sans CJK SC, sans-serif"
BAR = "#1f3b73"
BOX = "#b35900"


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def histogram_svg(labels: Sequence[str], counts: Sequence[int], title: str) -> str:
    """Vertical bars, one per label, with the count above each bar."""
    width, height, left, bottom, top = 360, 170, 10, 30, 18
    plot = height - bottom - top
    step = (width - 2 * left) / max(len(counts), 1)
    most = max(counts, default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'class="cohort-chart" font-family="{FONT}" font-size="10">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, count) in enumerate(zip(labels, counts, strict=True)):
        h = plot * count / most
        x = left + i * step
        y = top + plot - h
        parts.append(
            f'<rect x="{_n(x + 2)}" y="{_n(y)}" width="{_n(step - 4)}" height="{_n(h)}" '
            f'fill="{BAR}"/>'
        )
        parts.append(
            f'<text x="{_n(x + step / 2)}" y="{_n(y - 3)}" text-anchor="middle">{count}</text>'
        )
        parts.append(
            f'<text x="{_n(x + step / 2)}" y="{height - bottom + 14}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    parts.append(
        f'<line x1="{left}" y1="{top + plot}" x2="{width - left}" y2="{top + plot}" stroke="#444"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def boxplot_svg(groups: Sequence[tuple[str, BoxStats]], title: str, top: float = 100) -> str:
    """Horizontal box plots on one 0..top scale: whiskers min–max, box q1–q3, median line."""
    label_width, width, row = 150, 480, 26
    height = row * len(groups) + 26
    scale = (width - label_width - 14) / top

    def x(value: float) -> float:
        return label_width + value * scale

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'class="cohort-chart" font-family="{FONT}" font-size="10">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, stats) in enumerate(groups):
        mid = 8 + i * row + row / 2
        parts.append(
            f'<text x="{label_width - 6}" y="{_n(mid + 3)}" text-anchor="end">'
            f"{escape(label)} (n={stats.n})</text>"
        )
        parts.append(
            f'<line x1="{_n(x(stats.low))}" y1="{_n(mid)}" x2="{_n(x(stats.high))}" '
            f'y2="{_n(mid)}" stroke="#444"/>'
        )
        parts.append(
            f'<rect x="{_n(x(stats.q1))}" y="{_n(mid - 7)}" '
            f'width="{_n(max(x(stats.q3) - x(stats.q1), 1))}" height="14" fill="#f3d9bf" '
            f'stroke="{BOX}"/>'
        )
        parts.append(
            f'<line x1="{_n(x(stats.median))}" y1="{_n(mid - 7)}" x2="{_n(x(stats.median))}" '
            f'y2="{_n(mid + 7)}" stroke="{BOX}" stroke-width="3"/>'
        )
    axis = height - 12
    for tick in range(0, int(top) + 1, int(top // 5) or 1):
        parts.append(f'<text x="{_n(x(tick))}" y="{axis + 10}" text-anchor="middle">{tick}</text>')
    parts.append(
        f'<line x1="{label_width}" y1="{axis}" x2="{_n(x(top))}" y2="{axis}" stroke="#999"/>'
    )
    parts.append("</svg>")
    return "".join(parts)
