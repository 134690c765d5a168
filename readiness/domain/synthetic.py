"""Synthetic firms for demos and benchmarks: profiles and plausible, correlated answers (pure).

A firm has a latent maturity (0–5) that depends a little on its size and grows between rounds;
each pillar deviates from it by a firm-specific offset, and each answer from the pillar by noise,
so answers within a firm correlate as they do in real assessments.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from readiness.domain.answers import AnswerError
from readiness.domain.answers import AnswerSet
from readiness.domain.answers import parse_value
from readiness.domain.questionnaire import Questionnaire

INDUSTRIES = {
    "process": ("food", "chemicals", "pharma", "building_materials", "textiles"),
    "discrete": (
        "machinery",
        "automotive",
        "electrical",
        "electronics",
        "metals",
        "furniture_light",
    ),
    "mixed": ("metals", "electronics", "other"),
}
SECTORS = (("discrete", 0.55), ("process", 0.3), ("mixed", 0.15))
SIZES = (
    ("under_20", 0.25),
    ("20_99", 0.4),
    ("100_299", 0.2),
    ("300_999", 0.1),
    ("1000_plus", 0.05),
)
SIZE_LIFT = {"under_20": -0.5, "20_99": 0.0, "100_299": 0.3, "300_999": 0.6, "1000_plus": 0.9}


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([k for k, _w in weighted], [w for _k, w in weighted])[0]


@dataclass(frozen=True)
class Firm:
    """A synthetic firm: its profile and its latent maturity at the first round."""

    profile: dict[str, str]
    maturity: float


def make_firm(rng: random.Random, regions: tuple[str, ...]) -> Firm:
    """A firm with a plausible profile; larger firms tend to be a little more mature."""
    sector = _pick(rng, SECTORS)
    size = _pick(rng, SIZES)
    profile = {
        "sector": sector,
        "industry": rng.choice(INDUSTRIES[sector]),
        "headcount": size,
    }
    if regions:
        profile["region"] = rng.choice(regions)
    maturity = min(5.0, max(0.0, rng.gauss(1.8, 0.9) + SIZE_LIFT[size]))
    return Firm(profile, maturity)


def grow(rng: random.Random, maturity: float) -> float:
    """The latent maturity at the next round: most firms improve a little, some slip."""
    return min(5.0, max(0.0, maturity + rng.gauss(0.35, 0.3)))


def _fraction(rng: random.Random, level: float) -> float:
    return min(1.0, max(0.0, (level + rng.gauss(0, 0.7)) / 5))


def answers(rng: random.Random, q: Questionnaire, maturity: float) -> AnswerSet:
    """Every question answered around the maturity, with per-pillar offsets and noise."""
    offsets = {p.id: rng.gauss(0, 0.5) for p in q.pillars}
    values: dict[str, Any] = {}
    for question in q.questions:
        f = _fraction(rng, maturity + offsets.get(question.pillar, 0.0))
        raw: Any
        if question.type == "level":
            levels = sorted(d.level for d in question.levels) or [0, 5]
            raw = levels[round(f * (len(levels) - 1))]
        elif question.type == "single_choice":
            ranked = sorted(question.options, key=lambda o: o.score)
            raw = ranked[round(f * (len(ranked) - 1))].id
        elif question.type == "multiple_choice":
            chosen = [o.id for o in question.options if not o.exclusive and rng.random() < f]
            exclusive = [o.id for o in question.options if o.exclusive]
            raw = chosen or exclusive[:1] or [question.options[0].id]
        elif question.type == "yes_no":
            raw = rng.random() < f
        elif question.bands:
            bands = sorted(b.min for b in question.bands)
            raw = bands[round(f * (len(bands) - 1))]
        else:
            low, high = question.min or 0.0, question.max if question.max is not None else 100.0
            raw = low + f * (high - low)
        try:
            values[question.id] = parse_value(question, raw)
        except AnswerError:
            continue
    return AnswerSet(values, {})
