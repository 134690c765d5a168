"""Server-side SVG charts for reports: a radar chart that reads in print (no JavaScript)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape
from xml.sax.saxutils import quoteattr

# Series differ in colour, stroke pattern AND marker shape: the first six are pairwise distinct in
# each of the three, so a chart reads in colour, in black and white and for colour-blind readers.
MARKERS = ("circle", "square", "triangle", "diamond", "triangle-down", "cross")
DASHES = ("", "6 4", "2 3", "10 3 2 3", "14 3 2 3 2 3", "16 6")  # solid first
STROKES = ("#1f3b73", "#b35900", "#2e7d32", "#6a1b9a", "#c62828", "#00838f")
LABEL_CHARS = 22  # characters per line of an axis label before it wraps (no line is ever dropped)
# Labels beside a radar wrap into a fixed room of SIDE_CHARS, so every radar of the same `size`
# has the same width however long its labels: two radars side by side share one scale.
# 14 keeps the text of a radar shrunk onto a phone (about 320 px wide) at about 11 px; a longer
# word beside the chart is split over two lines rather than widening it.
SIDE_CHARS = 14
CHAR_EM = 0.62  # estimated width of a Latin character in em (DejaVu Sans is wide; CJK counts 2)
LINE = 1.2  # line height in em
DEFAULT_FONT = "DejaVu Sans, Noto Sans CJK SC, sans-serif"
MARKER_REACH = 6.0  # how far a marker reaches from its point (r 4, +1 for triangles, +1 spare)


@dataclass(frozen=True)
class Series:
    """One line of a radar chart: a name for the legend and one value per axis (None: no value)."""

    name: str
    values: tuple[float | None, ...]


def series_style(index: int) -> tuple[str, str, str]:
    """The colour, dash pattern ('' = solid) and marker shape of the series at `index`."""
    return (
        STROKES[index % len(STROKES)],
        DASHES[index % len(DASHES)],
        MARKERS[index % len(MARKERS)],
    )


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _width(text: str) -> int:
    """Display width in Latin characters: CJK characters count twice."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


def _text_width(text: str, font_size: float) -> float:
    """An upper estimate of a text's width in user units."""
    return _width(text) * font_size * CHAR_EM


def _wrap(label: str, width: int = LABEL_CHARS) -> list[str]:
    """Split a label into lines of about `width` (at spaces; CJK anywhere); no word is lost."""
    lines: list[str] = []
    current = ""
    for word in label.split():
        while _width(word) > width:  # a long word (CJK text has no spaces): cut it
            latin = word.isascii()
            if latin and current:  # a long Latin word starts a line of its own …
                lines.append(current)
                current = ""
                continue
            room = width - _width(current) - (1 if current else 0) - (1 if latin else 0)
            cut = 0
            while cut < len(word) and _width(word[: cut + 1]) <= room:
                cut += 1
            if cut == 0:
                if current:
                    lines.append(current)
                    current = ""
                    continue
                cut = 1  # a single character wider than a line: keep it anyway
            hyphen = "-" if latin else ""  # … and is split with a hyphen, as print does
            lines.append(f"{current} {word[:cut]}{hyphen}".strip())
            current, word = "", word[cut:]
        if current and _width(current) + 1 + _width(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines or [""]


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    """A marker shape at (x, y): circle, hollow square, triangles, diamond or cross."""
    r = 4.0
    if kind == "circle":
        return f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="{_fmt(r)}" fill="{colour}"/>'
    if kind == "square":
        return (
            f'<rect x="{_fmt(x - r)}" y="{_fmt(y - r)}" width="{_fmt(2 * r)}" '
            f'height="{_fmt(2 * r)}" fill="#ffffff" stroke="{colour}" stroke-width="1.5"/>'
        )
    if kind == "cross":
        return (
            f'<path d="M{_fmt(x - r)},{_fmt(y - r)} L{_fmt(x + r)},{_fmt(y + r)} '
            f'M{_fmt(x - r)},{_fmt(y + r)} L{_fmt(x + r)},{_fmt(y - r)}" '
            f'stroke="{colour}" stroke-width="2.2" fill="none"/>'
        )
    if kind == "triangle":
        pts = [(x, y - r - 1), (x - r - 1, y + r), (x + r + 1, y + r)]
    elif kind == "triangle-down":
        pts = [(x, y + r + 1), (x - r - 1, y - r), (x + r + 1, y - r)]
    else:
        pts = [(x, y - r - 1), (x + r + 1, y), (x, y + r + 1), (x - r - 1, y)]
    points = " ".join(f"{_fmt(px)},{_fmt(py)}" for px, py in pts)
    return f'<polygon points="{points}" fill="{colour}"/>'


class _Box:
    """The bounding box of everything drawn so far (so that the viewBox never clips a text)."""

    def __init__(self) -> None:
        self.x0 = self.y0 = math.inf
        self.x1 = self.y1 = -math.inf

    def add(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self.x0, self.y0 = min(self.x0, x0), min(self.y0, y0)
        self.x1, self.y1 = max(self.x1, x1), max(self.y1, y1)

    def add_text(self, x: float, baseline: float, width: float, size: float, anchor: str) -> None:
        left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
        self.add(left, baseline - size, left + width, baseline + size * 0.3)


def _legend(
    series: Sequence[Series], x0: float, top: float, max_width: float, font_size: float
) -> tuple[list[str], float, float]:
    """Legend entries flowing in rows from (x0, top): SVG parts, right edge and bottom."""
    out: list[str] = []
    x, y, right = x0, top + 8, x0
    for index, s in enumerate(series):
        colour, dash, marker = series_style(index)
        item = 44 + _text_width(s.name, font_size)
        if x > x0 and x + item > x0 + max_width:
            x, y = x0, y + font_size * 1.6
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<line x1="{_fmt(x)}" y1="{_fmt(y)}" x2="{_fmt(x + 36)}" y2="{_fmt(y)}" '
            f'stroke="{colour}" stroke-width="2"{dash_attr}/>'
        )
        out.append(_marker(marker, x + 18, y, colour))
        out.append(
            f'<text x="{_fmt(x + 44)}" y="{_fmt(y + font_size * 0.35)}">{escape(s.name)}</text>'
        )
        right = max(right, x + item)
        x += item + 18
    return out, right, y + font_size * 0.6


def _near_axis(box: tuple[float, float, float, float], i: int, n: int, radius: float) -> bool:
    """Whether a marker on axis `i` of `n` (anywhere from the centre out) could touch `box`."""
    angle = -math.pi / 2 + 2 * math.pi * i / n
    reach = MARKER_REACH
    steps = max(2, int(radius))
    for step in range(steps + 1):
        px, py = radius * step / steps * math.cos(angle), radius * step / steps * math.sin(angle)
        if box[0] - reach < px < box[2] + reach and box[1] - reach < py < box[3] + reach:
            return True
    return False


def _boxes_touch(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    """Whether two boxes (x0, y0, x1, y1) overlap."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _value_label(x: float, y: float, text: str, size: float) -> str:
    """A gridline's value on a white backdrop, so it stays readable over lines in print."""
    w = _text_width(text, size)
    return (
        f'<rect class="backdrop" x="{_fmt(x - 1.5)}" y="{_fmt(y - size)}" '
        f'width="{_fmt(w + 3)}" height="{_fmt(size * 1.25)}" fill="#ffffff" fill-opacity="0.85"/>'
        f'<text x="{_fmt(x)}" y="{_fmt(y)}" fill="#000000" font-size="{_fmt(size)}">'
        f"{escape(text)}</text>"
    )


def radar_svg(
    labels: Sequence[str],
    series: Sequence[Series],
    max_value: float = 5.0,
    rings: int = 5,
    title: str = "",
    size: int = 200,
    font_family: str = DEFAULT_FONT,
    font_size: float = 16,
) -> str:
    """A radar chart as a standalone SVG string: one axis per label, one polygon per series.

    Gridlines are labelled with their values (in `rings` steps up to max_value, between the first
    two axes, where no marker can cover them); series differ in
    stroke pattern and marker shape as well as colour, so the chart reads in black and white.
    Axis labels wrap onto as many lines as they need and the viewBox grows to hold them all;
    labels beside the chart wrap into a fixed room, so radars of one `size` share one width.
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
    radius = size / 2 - 40
    line_h = font_size * LINE
    box = _Box()
    side = radius + 12 + SIDE_CHARS * font_size * CHAR_EM * 1.05  # fixed room for side labels
    box.add(-side, -radius, side, radius)

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * min(max(value, 0.0), max_value) / max_value
        return r * math.cos(angle), r * math.sin(angle)

    body: list[str] = []
    # rings
    for k in range(1, rings + 1):
        value = max_value * k / rings
        pts = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in (point(i, value) for i in range(n)))
        body.append(f'<polygon points="{pts}" fill="none" stroke="#888888" stroke-width="0.8"/>')
    # axes and their labels
    for i, label in enumerate(labels):
        x, y = point(i, max_value)
        body.append(
            f'<line x1="0" y1="0" x2="{_fmt(x)}" y2="{_fmt(y)}" '
            f'stroke="#666666" stroke-width="0.8"/>'
        )
        lx, ly = point(i, max_value)
        angle = -math.pi / 2 + 2 * math.pi * i / n
        lx += 12 * math.cos(angle)
        ly += 12 * math.sin(angle)
        anchor = "middle" if abs(lx) < radius * 0.15 else ("start" if lx > 0 else "end")
        if anchor == "middle":
            lines = _wrap(label)
        else:  # beside the chart: a fixed room, the same for every radar of this size
            lines = _wrap(label, SIDE_CHARS)
        if ly < -1 and anchor == "middle":  # above: the last line sits on the anchor point
            top = ly - (len(lines) - 1) * line_h - font_size * 0.3
        elif ly > 1 and anchor == "middle":  # below: the first line hangs from it
            top = ly + font_size
        else:  # at the side: centred on it
            top = ly - (len(lines) - 1) * line_h / 2 + font_size * 0.35
        tspans = []
        for j, line in enumerate(lines):
            baseline = top + j * line_h
            box.add_text(lx, baseline, _text_width(line, font_size) * 1.05, font_size, anchor)
            tspans.append(f'<tspan x="{_fmt(lx)}" y="{_fmt(baseline)}">{escape(line)}</tspan>')
        body.append(f'<text text-anchor="{anchor}" font-weight="bold">{"".join(tspans)}</text>')
    # series
    for index, s in enumerate(series):
        colour, dash, marker = series_style(index)
        pts = [point(i, v or 0.0) for i, v in enumerate(s.values)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        body.append(
            f'<polygon points="{" ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in pts)}" '
            f'fill="none" stroke="{colour}" stroke-width="2"{dash_attr}/>'
        )
        body.extend(_marker(marker, x, y, colour) for x, y in pts)
    # ring values, on top of the lines so that they stay readable; they sit halfway between the
    # first two axes, where no marker is ever drawn (markers sit on the axes)
    number_size = font_size  # as large as the labels: ~11 px on a phone too
    half = -math.pi / 2 + math.pi / n
    drawn: list[tuple[float, float, float, float]] = []
    for k in range(rings, 0, -1):  # outermost first: a number that would touch one is left out
        value = max_value * k / rings
        r = radius * k / rings
        w = _text_width(_fmt(value), number_size)
        x, baseline = r * math.cos(half) - w / 2, r * math.sin(half) + number_size * 0.35
        backdrop = (x - 1.5, baseline - number_size, x + w + 1.5, baseline + number_size * 0.25)
        if any(_near_axis(backdrop, i, n, radius) for i in range(n)):
            continue
        if any(_boxes_touch(backdrop, other) for other in drawn):
            continue
        drawn.append(backdrop)
        body.append(_value_label(x, baseline, _fmt(value), number_size))
    legend, right, bottom = _legend(series, box.x0, box.y1 + 10, box.x1 - box.x0, font_size)
    box.add(box.x0, box.y0, right, bottom)
    margin = 8
    x0, y0 = box.x0 - margin, box.y0 - margin
    width, height = math.ceil(box.x1 - box.x0 + 2 * margin), math.ceil(box.y1 - box.y0 + 2 * margin)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="radar" '
        f'viewBox="{_fmt(x0)} {_fmt(y0)} {width} {height}" width="{width}" height="{height}" '
        f'role="img" font-family={quoteattr(font_family)} font-size="{_fmt(font_size)}">'
    ]
    if title:
        out.append(f"<title>{escape(title)}</title>")
    out.extend(body)
    out.extend(legend)
    out.append("</svg>")
    return "".join(out)


def trend_svg(
    labels: Sequence[str],
    series: Sequence[Series],
    max_value: float = 100.0,
    steps: int = 5,
    title: str = "",
    width: int = 360,
    height: int = 240,
    font_family: str = DEFAULT_FONT,
) -> str:
    """A line chart over time as a standalone SVG string: one x position per label (oldest first).

    Each series is a line with its own colour, stroke pattern and marker shape (see
    series_style), named in a legend; a None value leaves a gap (the line is not drawn through
    it). Gridlines are labelled 0..max_value in `steps` steps. The SVG is fluid (width 100%,
    its height follows the viewBox); labels that would collide are slanted, and the margins
    grow so that no label is clipped.
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
    font = 13.0  # with width 360: about 11.5 px on a phone, 17 px at 30rem (compare.css)
    n = len(labels)
    widths = [_text_width(label, font) for label in labels]
    top, plot_h = 14.0, height - 54.0
    left, right = 44.0, 16.0
    slant = False
    if n > 1:
        spacing = (width - left - right) / (n - 1)
        slant = spacing < max(widths) + 8
    if slant:  # labels at -35°: their ends reach down and to the left of their points
        left = max(left, widths[0] * 0.82 + 6)
        bottom_room = max(widths) * 0.57 + 3 * font
    else:
        left = max(left, widths[0] / 2 + 6)
        right = max(right, widths[-1] / 2 + 6)
        bottom_room = 3 * font
    plot_w = width - left - right

    def x_of(i: int) -> float:
        return left + (plot_w / 2 if n == 1 else plot_w * i / (n - 1))

    def y_of(value: float) -> float:
        return top + plot_h * (1 - min(max(value, 0.0), max_value) / max_value)

    body: list[str] = []
    for k in range(steps + 1):
        value = max_value * k / steps
        y = y_of(value)
        body.append(
            f'<line x1="{_fmt(left)}" y1="{_fmt(y)}" x2="{_fmt(left + plot_w)}" y2="{_fmt(y)}" '
            f'stroke="#bbbbbb" stroke-width="0.7"/>'
        )
        body.append(
            f'<text x="{_fmt(left - 6)}" y="{_fmt(y + 4)}" text-anchor="end" fill="#222222" '
            f'font-size="{_fmt(font)}">{escape(_fmt(value))}</text>'
        )
    label_y = top + plot_h + 16
    for i, label in enumerate(labels):
        x = x_of(i)
        if slant:
            body.append(
                f'<text x="{_fmt(x)}" y="{_fmt(label_y)}" text-anchor="end" '
                f'transform="rotate(-35 {_fmt(x)} {_fmt(label_y)})">{escape(label)}</text>'
            )
        else:
            body.append(
                f'<text x="{_fmt(x)}" y="{_fmt(label_y)}" text-anchor="middle">'
                f"{escape(label)}</text>"
            )
    for index, s in enumerate(series):
        colour, dash, marker = series_style(index)
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
                body.append(
                    f'<polyline points="{pts}" fill="none" stroke="{colour}" '
                    f'stroke-width="2"{dash_attr}/>'
                )
            body.extend(_marker(marker, x, y, colour) for x, y in part)
    legend_top = top + plot_h + bottom_room
    legend, _right, bottom = _legend(series, 20, legend_top, width - 40, font)
    total_h = math.ceil(bottom + 10)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="trend" viewBox="0 0 {width} {total_h}" '
        f'width="100%" role="img" font-family={quoteattr(font_family)} font-size="{_fmt(font)}">'
    ]
    if title:
        out.append(f"<title>{escape(title)}</title>")
    out.extend(body)
    out.extend(legend)
    out.append("</svg>")
    return "".join(out)
