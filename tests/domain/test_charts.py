"""SVG charts: axis labels are never cut or clipped, series differ in colour, dash and marker."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from readiness.domain.charts import CHAR_EM
from readiness.domain.charts import SIDE_CHARS
from readiness.domain.charts import Series
from readiness.domain.charts import radar_svg
from readiness.domain.charts import series_style
from readiness.domain.charts import trend_svg
from readiness.domain.loading import load_questionnaire
from tests.paths import QUESTIONNAIRES

SVG = "{http://www.w3.org/2000/svg}"
FLAGSHIP = QUESTIONNAIRES / "smart-manufacturing-readiness"


def _axis_labels(svg: str) -> list[list[ET.Element]]:
    """The tspans of each axis label (the bold texts), in axis order."""
    root = ET.fromstring(svg)
    return [list(t.iter(f"{SVG}tspan")) for t in root.iter(f"{SVG}text") if t.get("font-weight")]


def _view_box(svg: str) -> tuple[float, float, float, float]:
    x, y, w, h = (float(v) for v in ET.fromstring(svg).get("viewBox", "").split())
    return x, y, w, h


def _inside(svg: str) -> None:
    """Every axis-label line lies inside the viewBox (by a generous estimate of its width)."""
    x0, y0, w, h = _view_box(svg)
    root = ET.fromstring(svg)
    font_size = float(root.get("font-size", "0"))
    for text in root.iter(f"{SVG}text"):
        if not text.get("font-weight"):
            continue
        anchor = text.get("text-anchor")
        for span in text.iter(f"{SVG}tspan"):
            x, y = float(span.get("x", "0")), float(span.get("y", "0"))
            chars = span.text or ""
            width = sum(2 if ord(c) >= 0x2E80 else 1 for c in chars) * font_size * CHAR_EM
            left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
            assert x0 <= left and left + width <= x0 + w, chars
            assert y0 <= y - font_size and y <= y0 + h, chars


def _titles(lang: str) -> list[list[str]]:
    q = load_questionnaire(FLAGSHIP / "1.yaml")
    return [
        [p.title.get(lang) for p in q.pillars],
        [f"{a.id} {a.title.get(lang)}" for a in q.challenge_areas],
    ]


@pytest.mark.parametrize(
    "labels",
    [
        *_titles("en"),
        *_titles("zh"),
        ["5.2 Depth of technology application and data use"] * 3,
        ["Supercalifragilisticexpialidociousandmore words", "数据" * 20, "x"],
    ],
)
def test_every_word_of_every_label_is_in_the_svg_and_inside_the_view(labels):
    svg = radar_svg(labels, [Series("now", tuple(2.0 for _ in labels))])
    axes = _axis_labels(svg)
    assert len(axes) == len(labels)
    for label, spans in zip(labels, axes, strict=True):
        lines = [s.text or "" for s in spans]
        words = " ".join(lines).split()
        if label.isascii() and max(len(w) for w in label.split()) <= SIDE_CHARS:
            assert words == label.split()  # every word, in order, none cut
        else:  # a long Latin word is split with a hyphen at the end of the line
            joined = "".join(line.removesuffix("-") for line in lines)
            assert joined.replace(" ", "") == label.replace(" ", "")
    _inside(svg)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.text(alphabet="abcdefghijklmnop 数据人才基础设施 &<>", min_size=1, max_size=90),
        min_size=3,
        max_size=8,
    )
)
def test_no_label_is_ever_cut_or_clipped(labels):
    svg = radar_svg(labels, [Series("a", tuple(1.0 for _ in labels))])
    for label, spans in zip(labels, _axis_labels(svg), strict=True):
        joined = "".join((s.text or "").removesuffix("-") for s in spans)
        assert joined.replace(" ", "") == label.replace(" ", "")
    _inside(svg)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pillar_and_area_radars_share_one_width_and_scale(lang):
    pillars, areas = (
        radar_svg(labels, [Series("now", tuple(2.0 for _ in labels))]) for labels in _titles(lang)
    )
    assert _view_box(pillars)[2] == _view_box(areas)[2]  # the same width in user units …
    root = ET.fromstring(pillars)
    assert root.get("width") == ET.fromstring(areas).get("width")  # … and on the page
    # ≥ 11 px where a phone gives the chart 316 px (390 px less the page's and card's padding)
    assert float(root.get("font-size")) * 316 / _view_box(pillars)[2] >= 11
    _inside(pillars)
    _inside(areas)


def test_series_styles_are_pairwise_distinct_in_colour_dash_and_marker():
    styles = [series_style(i) for i in range(6)]
    for part in range(3):
        assert len({s[part] for s in styles}) == 6


def test_trend_chart_draws_five_series_distinguishably_with_a_legend():
    names = ["Overall", "Technology", "Data", "Infrastructure", "Talent"]
    series = [Series(n, (50.0 + i, 51.0 + i, 52.0)) for i, n in enumerate(names)]
    svg = trend_svg(["2026-11-26 #1", "2026-11-26 #2", "2026-11-26 #3"], series)
    root = ET.fromstring(svg)
    lines = list(root.iter(f"{SVG}polyline"))
    assert len(lines) == 5
    assert len({line.get("stroke") for line in lines}) == 5
    assert len({line.get("stroke-dasharray") for line in lines}) == 5  # None is the solid one
    legend = [t.text for t in root.iter(f"{SVG}text")]
    assert all(n in legend for n in names)
    shapes = [series_style(i)[2] for i in range(5)]
    assert len(set(shapes)) == 5
    # fluid: it fills its container and scales by its viewBox
    assert root.get("width") == "100%" and root.get("height") is None and root.get("viewBox")


@pytest.mark.parametrize("count", [1, 2, 3, 6, 14])
def test_trend_chart_labels_are_not_clipped(count):
    labels = [f"2026-11-{d:02d} #{d}" for d in range(1, count + 1)]
    svg = trend_svg(labels, [Series("Overall", tuple(float(i) for i in range(count)))])
    _x0, _y0, width, _h = _view_box(svg)
    root = ET.fromstring(svg)
    for text in root.iter(f"{SVG}text"):
        if text.text not in labels:
            continue
        x, size = float(text.get("x", "0")), float(root.get("font-size"))
        w = len(text.text) * size * CHAR_EM
        if text.get("transform"):  # slanted labels end at their point and reach left
            assert x - w * 0.82 >= 0 and x <= width
        else:
            assert x - w / 2 >= 0 and x + w / 2 <= width, text.text


def test_labels_keep_apart_when_many(count=14):
    labels = [f"2026-11-{d:02d}" for d in range(1, count + 1)]
    svg = trend_svg(labels, [Series("a", tuple(1.0 for _ in labels))])
    xs = [float(t.get("x", "0")) for t in ET.fromstring(svg).iter(f"{SVG}text") if t.text in labels]
    assert all(b > a for a, b in itertools.pairwise(xs))
