"""Charts that show what differs and read on a phone: scores plotted, numbers clear of markers."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest

from readiness.domain.charts import Series
from readiness.domain.charts import radar_svg
from readiness.domain.charts import trend_svg

NS = "{http://www.w3.org/2000/svg}"
PHONE_WIDTH = 316  # what a 390 px phone leaves a chart inside the page's and card's padding


def _markers(root: ET.Element) -> list[tuple[float, float, float, float]]:
    """Bounding boxes of the markers (circles, squares, polygons with 3-4 points, crosses)."""
    boxes = []
    for el in root.iter():
        tag = el.tag.removeprefix(NS)
        if tag == "circle":
            x, y, r = (float(el.get(a)) for a in ("cx", "cy", "r"))
            boxes.append((x - r, y - r, x + r, y + r))
        elif tag == "rect" and el.get("class") != "backdrop":
            x, y, w, h = (float(el.get(a)) for a in ("x", "y", "width", "height"))
            boxes.append((x, y, x + w, y + h))
        elif tag == "polygon" and el.get("fill") not in (None, "none"):
            pts = [tuple(map(float, p.split(","))) for p in el.get("points").split()]
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            boxes.append((min(xs), min(ys), max(xs), max(ys)))
    return boxes


def _backdrops(root: ET.Element) -> list[tuple[float, float, float, float]]:
    return [
        (
            float(el.get("x")),
            float(el.get("y")),
            float(el.get("x")) + float(el.get("width")),
            float(el.get("y")) + float(el.get("height")),
        )
        for el in root.iter(f"{NS}rect")
        if el.get("class") == "backdrop"
    ]


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


PILLARS = ["Technology", "Data", "Infrastructure", "Talent"]


def test_scores_within_one_level_are_drawn_apart() -> None:
    """Four pillars all at level 1 but scoring 23-38 draw four different distances."""
    scores = (23.0, 38.0, 30.0, 25.0)
    root = ET.fromstring(radar_svg(PILLARS, [Series("Score", scores)], max_value=100, rings=4))
    circles = [c for c in root.iter(f"{NS}circle")][: len(scores)]
    radii = [math.hypot(float(c.get("cx")), float(c.get("cy"))) for c in circles]
    assert len({round(r, 1) for r in radii}) == 4
    ratios = [r / s for r, s in zip(radii, scores, strict=True)]
    assert max(ratios) - min(ratios) < 0.01  # distance proportional to the score


@pytest.mark.parametrize("axes", [3, 4, 5, 7, 9])
@pytest.mark.parametrize("value", [0.0, 12.5, 25.0, 50.0, 75.0, 100.0])
def test_ring_numbers_never_sit_under_a_marker(axes: int, value: float) -> None:
    labels = [f"Axis {i}" for i in range(axes)]
    series = [
        Series("a", tuple(value for _ in labels)),
        Series("b", tuple((value + 25 * i) % 101 for i in range(axes))),
    ]
    root = ET.fromstring(radar_svg(labels, series, max_value=100, rings=4))
    numbers, markers = _backdrops(root), _markers(root)
    assert not [(a, b) for i, a in enumerate(numbers) for b in numbers[i + 1 :] if _overlap(a, b)]
    # the outer ring's number has room where axes are few (pillars, challenge areas: 4); with
    # more axes, or rings close together, a number is left out rather than drawn over another
    assert len(numbers) <= 4
    assert axes > 5 or "100" in {t.text for t in root.iter(f"{NS}text")}
    assert axes != 4 or len(numbers) >= 2  # our radars: "100" and "50" at least
    assert not [(n, m) for n in numbers for m in markers if _overlap(n, m)]


@pytest.mark.parametrize("lang_labels", [PILLARS, ["技术", "数据", "基础设施", "人才"]])
def test_radar_text_is_legible_on_a_phone(lang_labels: list[str]) -> None:
    root = ET.fromstring(radar_svg(lang_labels, [Series("a", (10.0, 20.0, 30.0, 40.0))]))
    width = float(root.get("viewBox").split()[2])
    assert float(root.get("font-size")) * PHONE_WIDTH / width >= 11


@pytest.mark.parametrize("points", [2, 4, 8])
def test_trend_text_is_legible_on_a_phone(points: int) -> None:
    labels = [f"15 Jan {2020 + i}" for i in range(points)]
    series = [Series(name, tuple(10.0 * i for i in range(points))) for name in PILLARS]
    svg = trend_svg(labels, series)
    root = ET.fromstring(svg)
    width = float(root.get("viewBox").split()[2])
    smallest = min(float(s) for s in re.findall(r'font-size="([\d.]+)"', svg))
    assert smallest * PHONE_WIDTH / width >= 10.5
    assert float(root.get("font-size")) * PHONE_WIDTH / width >= 11
