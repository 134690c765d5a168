"""Several respondents' answers to one question: their levels, the spread, and a proposal.

Pure: takes parsed answer values (see readiness.domain.answers), returns plain dataclasses.
A question is disputed when the levels its respondents' answers evidence lie two or more
levels apart; the owner then settles it. Otherwise the proposal is the most common answer,
the lower-level one on a tie (the cautious reading), and it is taken unless the owner settles.
"""

from __future__ import annotations

from collections.abc import Hashable
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from readiness.domain.answers import DONT_KNOW
from readiness.domain.answers import NOT_APPLICABLE
from readiness.domain.answers import question_level
from readiness.domain.answers import value_to_json
from readiness.domain.questionnaire import Question

DISPUTE_LEVELS = 2  # levels apart from which respondents disagree


@dataclass(frozen=True)
class Spread:
    """The levels evidenced by each respondent's answer, their spread, and what to take."""

    levels: Mapping[Hashable, int | None]  # respondent -> level (None: N/A, don't know)
    spread: int | None  # max - min level over the answered ones (None: fewer than one)
    disputed: bool
    proposal: Hashable | None  # the respondent whose answer is taken unless settled


def _key(value: Any) -> str:
    return repr(value_to_json(value))


def _level(question: Question, value: Any) -> int | None:
    if value is None or value is NOT_APPLICABLE or value is DONT_KNOW:
        return None
    return question_level(question, value)


def spread(question: Question, answers: Mapping[Hashable, Any]) -> Spread:
    """How far apart the respondents' answers (respondent -> parsed value) are for `question`."""
    given = {who: value for who, value in answers.items() if value is not None}
    levels = {who: _level(question, value) for who, value in given.items()}
    known = [lv for lv in levels.values() if lv is not None]
    width = max(known) - min(known) if known else None
    counts: dict[str, int] = {}
    for value in given.values():
        counts[_key(value)] = counts.get(_key(value), 0) + 1

    def rank(who: Hashable) -> tuple[int, int, str]:
        level = levels[who]
        return (-counts[_key(given[who])], 99 if level is None else level, str(who))

    proposal = min(given, key=rank) if given else None
    return Spread(levels, width, width is not None and width >= DISPUTE_LEVELS, proposal)
