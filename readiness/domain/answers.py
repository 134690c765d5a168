"""Answers: the AnswerSet value type, JSON parsing and writing, and the points an answer earns."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from types import MappingProxyType
from typing import Any

from readiness.domain.questionnaire import Question
from readiness.domain.questionnaire import Questionnaire

DONT_KNOW_JSON = "dont_know"


class _Sentinel:
    """A named marker answer (not applicable, don't know); compared by identity."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return self._name

    def __reduce__(self) -> str:
        return self._name


NOT_APPLICABLE = _Sentinel("NOT_APPLICABLE")
DONT_KNOW = _Sentinel("DONT_KNOW")

# An answer: level int, option id, tuple of option ids, number, bool, or one of the sentinels.
AnswerValue = int | float | str | tuple[str, ...] | bool | _Sentinel


class AnswerError(ValueError):
    """An answer (or an answer file) is unusable; str() is one line naming the question."""

    def __init__(self, question_id: str | None, message: str) -> None:
        self.question_id = question_id
        self.message = message
        super().__init__(f"question {question_id}: {message}" if question_id else message)


def _frozen(mapping: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class AnswerSet:
    """The answers of one assessment: question id -> value, plus optional comment/evidence text."""

    values: Mapping[str, AnswerValue] = field(default_factory=lambda: _frozen({}))
    comments: Mapping[str, str] = field(default_factory=lambda: _frozen({}))

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", _frozen(self.values))
        object.__setattr__(self, "comments", _frozen(self.comments))

    def get(self, question_id: str) -> AnswerValue | None:
        """The answer to `question_id`, or None when it is unanswered."""
        return self.values.get(question_id)

    def __contains__(self, question_id: object) -> bool:
        return question_id in self.values

    def __len__(self) -> int:
        return len(self.values)

    def replace(self, changes: Mapping[str, AnswerValue]) -> AnswerSet:
        """A copy with some answers changed (comments are kept)."""
        return AnswerSet({**self.values, **changes}, self.comments)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _kind(value: object) -> str:
    """A short, user-facing name for the JSON type of `value`."""
    if isinstance(value, bool):
        return "true/false"
    if _is_number(value):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def parse_value(question: Question, raw: object) -> AnswerValue:
    """One answer from its JSON form, checked against `question`; raises AnswerError."""
    qid = question.id
    if raw is None:
        if not question.not_applicable:
            raise AnswerError(qid, "'not applicable' (null) is not allowed for this question")
        return NOT_APPLICABLE
    if raw == DONT_KNOW_JSON and not (question.type == "single_choice" and question.option(raw)):
        if not question.dont_know:
            raise AnswerError(qid, "'dont_know' is not allowed for this question")
        return DONT_KNOW
    kind = question.type
    if kind == "level":
        if not isinstance(raw, int) or isinstance(raw, bool):
            raise AnswerError(qid, f"expected a level 0-5 (a whole number), got {_kind(raw)}")
        if not 0 <= raw <= 5:
            raise AnswerError(qid, f"level must be between 0 and 5 (got {raw})")
        return raw
    if kind == "single_choice":
        if not isinstance(raw, str):
            raise AnswerError(qid, f"expected an option ID, got {_kind(raw)}")
        if question.option(raw) is None:
            raise AnswerError(qid, f"unknown option {raw!r}")
        return raw
    if kind == "multiple_choice":
        if not isinstance(raw, (list, tuple)):
            raise AnswerError(qid, f"expected a list of option IDs, got {_kind(raw)}")
        chosen: set[str] = set()
        for item in raw:
            if not isinstance(item, str):
                raise AnswerError(qid, f"expected option IDs in the list, got {_kind(item)}")
            if question.option(item) is None:
                raise AnswerError(qid, f"unknown option {item!r}")
            if item in chosen:
                raise AnswerError(qid, f"option {item!r} is chosen twice")
            chosen.add(item)
        return tuple(o.id for o in question.options if o.id in chosen)
    if kind == "number":
        if not _is_number(raw):
            raise AnswerError(qid, f"expected a number, got {_kind(raw)}")
        if not math.isfinite(raw):
            raise AnswerError(qid, f"expected a finite number, got {raw}")
        low, high = question.min, question.max
        if (low is not None and raw < low) or (high is not None and raw > high):
            raise AnswerError(qid, f"{raw} is out of range ({low} to {high})")
        return raw
    if kind == "yes_no":
        if not isinstance(raw, bool):
            raise AnswerError(qid, f"expected true or false, got {_kind(raw)}")
        return raw
    raise AnswerError(qid, f"unknown question type {kind!r}")


def parse_answers(
    questionnaire: Questionnaire,
    raw_answers: Mapping[str, Any],
    comments: Mapping[str, Any] | None = None,
) -> AnswerSet:
    """Check the JSON "answers" mapping against the questionnaire; raises AnswerError.

    A value may also be given as {"value": v, "comment": "text"} to carry a comment or evidence
    ({"comment": "text"} alone: a comment on a question not answered yet).
    """
    if not isinstance(raw_answers, Mapping):
        raise AnswerError(None, f'"answers" must be an object, got {_kind(raw_answers)}')
    values: dict[str, AnswerValue] = {}
    notes: dict[str, str] = {}
    for qid, raw in raw_answers.items():
        question = questionnaire.question(qid) if isinstance(qid, str) else None
        if question is None:
            raise AnswerError(str(qid), f"unknown question (not in {questionnaire.key})")
        if isinstance(raw, Mapping):
            if set(raw) - {"value", "comment"} or not raw:
                raise AnswerError(
                    qid, 'an object answer has "value" and/or "comment", nothing else'
                )
            comment = raw.get("comment")
            if comment is not None:
                if not isinstance(comment, str):
                    raise AnswerError(qid, f"comment must be text, got {_kind(comment)}")
                notes[qid] = comment
            if "value" not in raw:
                continue  # a comment on a question not answered yet
            raw = raw["value"]
        values[qid] = parse_value(question, raw)
    for qid, comment in (comments or {}).items():
        if questionnaire.question(qid) is None:
            raise AnswerError(
                str(qid), f"comment for an unknown question (not in {questionnaire.key})"
            )
        if not isinstance(comment, str):
            raise AnswerError(qid, f"comment must be text, got {_kind(comment)}")
        notes[qid] = comment
    return AnswerSet(values, notes)


def value_to_json(value: AnswerValue) -> Any:
    """The JSON form of one answer value (the inverse of parse_value)."""
    if value is NOT_APPLICABLE:
        return None
    if value is DONT_KNOW:
        return DONT_KNOW_JSON
    if isinstance(value, tuple):
        return list(value)
    return value


def answers_to_json(answer_set: AnswerSet) -> dict[str, Any]:
    """The JSON "answers" mapping of an AnswerSet (parse_answers reads it back unchanged)."""
    result: dict[str, Any] = {}
    for qid, value in answer_set.values.items():
        if qid in answer_set.comments:
            result[qid] = {"value": value_to_json(value), "comment": answer_set.comments[qid]}
        else:
            result[qid] = value_to_json(value)
    for qid, comment in answer_set.comments.items():
        if qid not in answer_set.values:
            result[qid] = {"comment": comment}
    return result


def parse_answer_file(text: str) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    """The raw "answers" and "profile" of an answer file's text; raises AnswerError."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        detail = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
        where = f" (line {exc.lineno}, column {exc.colno})" if hasattr(exc, "lineno") else ""
        raise AnswerError(None, f"the answers file is not valid JSON: {detail}{where}") from None
    if not isinstance(data, dict):
        raise AnswerError(None, f"the answers file must hold a JSON object, got {_kind(data)}")
    if "answers" not in data:
        raise AnswerError(None, 'the answers file has no "answers" object')
    answers, profile = data["answers"], data.get("profile") or {}
    if not isinstance(answers, dict):
        raise AnswerError(None, f'"answers" must be an object, got {_kind(answers)}')
    if not isinstance(profile, dict):
        raise AnswerError(None, f'"profile" must be an object, got {_kind(profile)}')
    return answers, profile


def parse_profile(questionnaire: Questionnaire, raw_profile: Mapping[str, Any]) -> dict[str, Any]:
    """Check a company profile against the questionnaire's profile fields; raises AnswerError."""
    fields = {f.id: f for f in questionnaire.profile}
    profile: dict[str, Any] = {}
    for fid, value in raw_profile.items():
        spec = fields.get(fid)
        if spec is None:
            raise AnswerError(None, f"profile field {fid}: unknown field")
        if value is None:
            continue
        if spec.type == "single_choice" and (
            not isinstance(value, str) or value not in {o.id for o in spec.options}
        ):
            raise AnswerError(None, f"profile field {fid}: unknown option {value!r}")
        if spec.type == "yes_no" and not isinstance(value, bool):
            raise AnswerError(None, f"profile field {fid}: expected true or false")
        if spec.type == "text" and not isinstance(value, str):
            raise AnswerError(None, f"profile field {fid}: expected text")
        profile[fid] = value
    return profile


def points(question: Question, value: AnswerValue | None) -> float:
    """The points an answer earns (0 for unanswered and don't know; N/A has none and gives 0)."""
    if value is None or value is NOT_APPLICABLE or value is DONT_KNOW:
        return 0.0
    if question.type == "level":
        return float(value)  # type: ignore[arg-type]
    cap = question.max_points
    if question.type == "single_choice":
        option = question.option(value)  # type: ignore[arg-type]
        return min(option.score, cap) if option else 0.0
    if question.type == "multiple_choice":
        total = sum(o.score for o in question.options if o.id in value)  # type: ignore[operator]
        return min(total, cap)
    if question.type == "number":
        earned = 0.0
        for band in question.bands:
            if band.min <= value:  # type: ignore[operator]
                earned = band.score
        return min(earned, cap)
    if question.type == "yes_no":
        return 1.0 if bool(value) == question.yes_scores else 0.0
    return 0.0


def fraction(question: Question, value: AnswerValue | None) -> float:
    """points / max points, 0-1."""
    cap = question.max_points
    return points(question, value) / cap if cap > 0 else 0.0


def question_level(question: Question, value: AnswerValue | None) -> int:
    """floor(fraction x 5): full marks is level 5."""
    cap = question.max_points
    if cap <= 0:
        return 0
    # points*5/cap, not fraction*5, so that 3/5*5 is exactly 3; the epsilon absorbs float noise.
    return min(5, int(math.floor(points(question, value) * 5 / cap + 1e-9)))
