"""The scorecard: per-question, per-pillar, per-area and overall results, stored and read back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class QuestionResult:
    """How one answer scores: status, points, fraction 0-1, score 0-100 and level 0-5."""

    question_id: str
    pillar: str
    status: str
    answer: Any  # the answer's JSON form (None when unanswered or N/A)
    points: float
    max_points: float
    fraction: float
    score: float
    level: int
    weight: float


@dataclass(frozen=True)
class Contribution:
    """One part (a question or a pillar) of a result, with what it adds to the result's score."""

    part: str
    status: str
    answer: Any
    score: float | None
    level: int | None
    weight: float
    contribution: float


@dataclass(frozen=True)
class Result:
    """A pillar, challenge-area or overall result with the rule and parts that produced it.

    A result whose parts are all "not applicable" has applicable=False and score/level None.
    """

    id: str
    method: str
    threshold: float | None
    applicable: bool
    score: float | None
    level: int | None
    level_name: Mapping[str, str] | None
    dont_know_share: float
    confidence: str | None
    rule: str
    working: tuple[Contribution, ...]
    # the level if every "don't know" were the lowest answer; == level when nothing is unknown
    level_low: int | None = None
    capped_by_pillar: str | None = None  # a challenge area held at the level of this pillar
    # the level if every "don't know" were the best answer; None in results stored before it
    level_high: int | None = None

    @property
    def level_range(self) -> tuple[int, int] | None:
        """(lowest, level): the level with unknowns at their lowest, and the level itself."""
        if self.level is None:
            return None
        low = self.level if self.level_low is None else self.level_low
        return (low, self.level)

    @property
    def display_score(self) -> float | None:
        """The score rounded to one decimal, for display only."""
        return None if self.score is None else round(self.score, 1)


@dataclass(frozen=True)
class Scorecard:
    """Everything scoring says about one answer set; to_dict()/from_dict() round-trip it."""

    questionnaire_id: str
    questionnaire_version: int
    questions: Mapping[str, QuestionResult]
    pillars: Mapping[str, Result]
    challenge_areas: Mapping[str, Result]
    overall: Result
    coverage: float
    unanswered: tuple[str, ...]

    @property
    def confidence(self) -> str | None:
        """The overall confidence: high / medium / low from the share of don't-know answers."""
        return self.overall.confidence

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict with full precision (for storage; from_dict reads it back)."""
        return {
            "questionnaire": {"id": self.questionnaire_id, "version": self.questionnaire_version},
            "questions": {k: _plain(v) for k, v in self.questions.items()},
            "pillars": {k: _result_dict(v) for k, v in self.pillars.items()},
            "challenge_areas": {k: _result_dict(v) for k, v in self.challenge_areas.items()},
            "overall": _result_dict(self.overall),
            "coverage": self.coverage,
            "confidence": self.confidence,
            "unanswered": list(self.unanswered),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scorecard:
        """The Scorecard stored by to_dict()."""
        return cls(
            questionnaire_id=data["questionnaire"]["id"],
            questionnaire_version=data["questionnaire"]["version"],
            questions=MappingProxyType(
                {k: QuestionResult(**v) for k, v in data["questions"].items()}
            ),
            pillars=MappingProxyType({k: _result_from(v) for k, v in data["pillars"].items()}),
            challenge_areas=MappingProxyType(
                {k: _result_from(v) for k, v in data["challenge_areas"].items()}
            ),
            overall=_result_from(data["overall"]),
            coverage=data["coverage"],
            unanswered=tuple(data["unanswered"]),
        )


def _plain(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__dataclass_fields__}


def _result_dict(result: Result) -> dict[str, Any]:
    data = _plain(result)
    data["level_name"] = None if result.level_name is None else dict(result.level_name)
    data["working"] = [_plain(c) for c in result.working]
    return data


def _result_from(data: Mapping[str, Any]) -> Result:
    fields = dict(data)
    fields["working"] = tuple(Contribution(**c) for c in data["working"])
    if fields["level_name"] is not None:
        fields["level_name"] = MappingProxyType(dict(fields["level_name"]))
    return Result(**fields)
