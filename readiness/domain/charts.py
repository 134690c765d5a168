"""Server-side SVG charts for reports: a radar chart that reads in print (no JavaScript)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape
from xml.sax.saxutils import quoteattr

MARKERS = ("circle", "square", "triangle", "diamond")
DASHES = ("", "6 4", "2 3", "10 3 2 3")  # solid first, then dashed and dotted strokes
STROKES = ("#1f3b73", "#b35900", "#2e7d32", "#6a1b9a")  # distinguishable, and also grey in print
LABEL_CHARS = 18  # characters per line of an axis label before it wraps


@dataclass(frozen=True)
class Series:
    """One line of a radar chart: a name for the legend and one value per axis (None: no value)."""

    name: str
    values: tuple[float | None, ...]


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _width(text: str) -> int:
    """Display width in Latin characters: CJK characters count twice."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


def _wrap(label: str, width: int = LABEL_CHARS) -> list[str]:
    """Split a label into at most three lines of about `width` (at spaces; CJK anywhere)."""
    lines: list[str] = []
    current = ""
    for word in label.split():
        while _width(word) > width:  # a long word (CJK text has no spaces): cut it
            room = width - _width(current) - (1 if current else 0)
            cut = 0
            while cut < len(word) and _width(word[: cut + 1]) <= room:
                cut += 1
            if cut == 0:
                lines.append(current)
                current = ""
                continue
            lines.append(f"{current} {word[:cut]}".strip())
            current, word = "", word[cut:]
        if current and _width(current) + 1 + _width(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines[:3] or [""]


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    """A marker shape at (x, y): filled circle, hollow square, triangle or diamond."""
    r = 4.0
    if kind == "circle":
        return f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="{_fmt(r)}" fill="{colour}"/>'
    if kind == "square":
        return (
            f'<rect x="{_fmt(x - r)}" y="{_fmt(y - r)}" width="{_fmt(2 * r)}" '
            f'height="{_fmt(2 * r)}" fill="#ffffff" stroke="{colour}" stroke-width="1.5"/>'
        )
    if kind == "triangle":
        pts = [(x, y - r - 1), (x - r - 1, y + r), (x + r + 1, y + r)]
    else:
        pts = [(x, y - r - 1), (x + r + 1, y), (x, y + r + 1), (x - r - 1, y)]
    points = " ".join(f"{_fmt(px)},{_fmt(py)}" for px, py in pts)
    return f'<polygon points="{points}" fill="{colour}"/>'


def radar_svg(
    labels: Sequence[str],
    series: Sequence[Series],
    max_value: float = 5.0,
    rings: int = 5,
    title: str = "",
    size: int = 360,
    font_family: str = "DejaVu Sans, Noto Sans CJK SC, sans-serif",
) -> str:
    """A radar chart as a standalone SVG string: one axis per label, one polygon per series.

    Gridlines are labelled with their values (0..max_value in `rings` steps); series differ in
    stroke pattern and marker shape as well as colour, so the chart reads in black and white.
    Every text is XML-escaped. Values are clamped to 0..max_value; None is drawn at 0.
    """
    if len(labels) < 3:
        raise ValueError("a radar chart needs at least three axes")
    if max_value <= 0 or rings < 1:
        raise ValueError("max_value and rings must be positive")
    for s in series:
        if len(s.values) != len(labels):
            raise ValueError(f"series {s.name!r} has {len(s.values)} values for {len(labels)} axes")
    n = len(labels)
    legend_h = 18 * len(series) + 8
    pad = 60  # room at the sides for the labels of the left and right axes
    cx, cy = size / 2 + pad, size / 2
    radius = size / 2 - 60
    width, height = size + 2 * pad, size + legend_h

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * min(max(value, 0.0), max_value) / max_value
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="radar" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" font-family={quoteattr(font_family)} '
        f'font-size="13">'
    ]
    if title:
        out.append(f"<title>{escape(title)}</title>")
    # rings with their value labels
    for k in range(rings + 1):
        value = max_value * k / rings
        pts = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in (point(i, value) for i in range(n)))
        if k:
            out.append(f'<polygon points="{pts}" fill="none" stroke="#999999" stroke-width="0.7"/>')
        lx, ly = point(0, value)
        out.append(
            f'<text x="{_fmt(lx + 4)}" y="{_fmt(ly + 4)}" fill="#444444" font-size="11">'
            f"{escape(_fmt(value))}</text>"
        )
    # axes and their labels
    for i, label in enumerate(labels):
        x, y = point(i, max_value)
        out.append(
            f'<line x1="{_fmt(cx)}" y1="{_fmt(cy)}" x2="{_fmt(x)}" y2="{_fmt(y)}" '
            f'stroke="#777777" stroke-width="0.7"/>'
        )
        lx, ly = point(i, max_value * 1.12)
        anchor = "middle" if abs(lx - cx) < 1 else ("start" if lx > cx else "end")
        lines = _wrap(label)
        top = ly - (len(lines) - 1) * 7.5 + (4 if abs(ly - cy) < 1 else 0)
        if ly < cy - 1:
            top = ly - (len(lines) - 1) * 15
        elif ly > cy + 1:
            top = ly + 8
        tspans = "".join(
            f'<tspan x="{_fmt(lx)}" y="{_fmt(top + j * 15)}">{escape(line)}</tspan>'
            for j, line in enumerate(lines)
        )
        out.append(f'<text text-anchor="{anchor}" font-weight="bold">{tspans}</text>')
    # series
    for index, s in enumerate(series):
        colour = STROKES[index % len(STROKES)]
        dash = DASHES[index % len(DASHES)]
        marker = MARKERS[index % len(MARKERS)]
        pts = [point(i, v or 0.0) for i, v in enumerate(s.values)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<polygon points="{" ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in pts)}" '
            f'fill="none" stroke="{colour}" stroke-width="2"{dash_attr}/>'
        )
        out.extend(_marker(marker, x, y, colour) for x, y in pts)
        # legend entry
        ly = size + 10 + 18 * index
        out.append(
            f'<line x1="{_fmt(pad)}" y1="{_fmt(ly)}" x2="{_fmt(pad + 36)}" y2="{_fmt(ly)}" '
            f'stroke="{colour}" '
            f'stroke-width="2"{dash_attr}/>'
        )
        out.append(_marker(marker, pad + 18, ly, colour))
        out.append(f'<text x="{_fmt(pad + 44)}" y="{_fmt(ly + 4)}">{escape(s.name)}</text>')
    out.append("</svg>")
    return "".join(out)


def trend_svg(
    labels: Sequence[str],
    series: Sequence[Series],
    max_value: float = 100.0,
    steps: int = 5,
    title: str = "",
    width: int = 560,
    height: int = 260,
    font_family: str = "DejaVu Sans, Noto Sans CJK SC, sans-serif",
) -> str:
    """A line chart over time as a standalone SVG string: one x position per label (oldest first).

    Each series is a line with its own stroke pattern and marker shape; a None value leaves a gap
    (the line is not drawn through it). Gridlines are labelled 0..max_value in `steps` steps.
    """
    if not labels:
        raise ValueError("a trend chart needs at least one point in time")
    if max_value <= 0 or steps < 1:
        raise ValueError("max_value and steps must be positive")
    for s in series:
        if len(s.values) != len(labels):
            raise ValueError(
                f"series {s.name!r} has {len(s.values)} values for {len(labels)} points"
            )
    left, right, top, plot_h = 44, 16, 14, height - 54
    legend_h = 18 * len(series) + 8
    plot_w = width - left - right
    n = len(labels)

    def x_of(i: int) -> float:
        return left + (plot_w / 2 if n == 1 else plot_w * i / (n - 1))

    def y_of(value: float) -> float:
        return top + plot_h * (1 - min(max(value, 0.0), max_value) / max_value)

    total_h = height + legend_h
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="trend" viewBox="0 0 {width} {total_h}" '
        f'width="{width}" height="{total_h}" role="img" font-family={quoteattr(font_family)} '
        f'font-size="11">'
    ]
    if title:
        out.append(f"<title>{escape(title)}</title>")
    for k in range(steps + 1):
        value = max_value * k / steps
        y = y_of(value)
        out.append(
            f'<line x1="{left}" y1="{_fmt(y)}" x2="{left + plot_w}" y2="{_fmt(y)}" '
            f'stroke="#bbbbbb" stroke-width="0.7"/>'
        )
        out.append(
            f'<text x="{left - 6}" y="{_fmt(y + 4)}" text-anchor="end" fill="#555555" '
            f'font-size="9">{escape(_fmt(value))}</text>'
        )
    for i, label in enumerate(labels):
        out.append(
            f'<text x="{_fmt(x_of(i))}" y="{_fmt(top + plot_h + 16)}" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    for index, s in enumerate(series):
        colour = STROKES[index % len(STROKES)]
        dash = DASHES[index % len(DASHES)]
        marker = MARKERS[index % len(MARKERS)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        run: list[tuple[float, float]] = []
        runs = [run]
        for i, value in enumerate(s.values):
            if value is None:
                run = []
                runs.append(run)
            else:
                run.append((x_of(i), y_of(value)))
        for part in runs:
            if len(part) > 1:
                pts = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in part)
                out.append(
                    f'<polyline points="{pts}" fill="none" stroke="{colour}" '
                    f'stroke-width="2"{dash_attr}/>'
                )
            out.extend(_marker(marker, x, y, colour) for x, y in part)
        ly = height + 10 + 18 * index
        out.append(
            f'<line x1="20" y1="{_fmt(ly)}" x2="56" y2="{_fmt(ly)}" stroke="{colour}" '
            f'stroke-width="2"{dash_attr}/>'
        )
        out.append(_marker(marker, 38, ly, colour))
        out.append(f'<text x="64" y="{_fmt(ly + 4)}">{escape(s.name)}</text>')
    out.append("</svg>")
    return "".join(out)
