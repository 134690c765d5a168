"""Distributions of scores from counts: five-number summaries, histograms, percentiles (pure).

Aggregation queries hand over counts per rounded score (score -> firms), never the firms' rows:
a five-number summary from counts of scores rounded to whole points is exact to the point.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass

K_ANONYMITY = 5  # no group of fewer firms is shown


@dataclass(frozen=True)
class BoxStats:
    """How many, the mean, and the five-number summary of a group's scores."""

    n: int
    mean: float
    low: float
    q1: float
    median: float
    q3: float
    high: float


def _quantile(points: Sequence[tuple[float, int]], n: int, p: float) -> float:
    """The p-quantile (nearest rank) of `n` values given as sorted (value, count) pairs."""
    rank = max(1, min(n, round(p * (n - 1)) + 1))
    seen = 0
    for value, count in points:
        seen += count
        if seen >= rank:
            return value
    return points[-1][0]


def box_stats(counts: Mapping[float, int]) -> BoxStats | None:
    """The summary of scores given as value -> count (None when there are none)."""
    points = sorted((v, c) for v, c in counts.items() if c > 0 and v is not None)
    n = sum(c for _v, c in points)
    if not n:
        return None
    mean = sum(v * c for v, c in points) / n
    return BoxStats(
        n,
        mean,
        points[0][0],
        _quantile(points, n, 0.25),
        _quantile(points, n, 0.5),
        _quantile(points, n, 0.75),
        points[-1][0],
    )


def histogram(counts: Mapping[float, int], width: float = 10, top: float = 100) -> list[int]:
    """Counts per bin [0, width), [width, 2·width) … with the top value in the last bin."""
    bins = [0] * int(top // width)
    for value, count in counts.items():
        if value is None:
            continue
        index = min(int(value // width), len(bins) - 1)
        bins[max(index, 0)] += count
    return bins


def percentile(below: int, equal: int, total: int) -> int | None:
    """The percentile rank of a value among `total` others: those below plus half the ties."""
    if total <= 0:
        return None
    return round(100 * (below + equal / 2) / total)


def shown(n: int) -> bool:
    """Whether a group of n firms may be shown (k-anonymity)."""
    return n >= K_ANONYMITY
