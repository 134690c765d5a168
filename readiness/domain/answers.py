"""Answers: the AnswerSet value type, JSON parsing and writing, and the points an answer earns."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from types import MappingProxyType
from typing import Any

from readiness.domain.messages import N_
from readiness.domain.messages import Gettext
from readiness.domain.messages import Message
from readiness.domain.messages import localise_message
from readiness.domain.questionnaire import Question
from readiness.domain.questionnaire import Questionnaire

DONT_KNOW_JSON = "dont_know"
# messages used in more than one place
_UNKNOWN_OPTION = N_("unknown option %(option)s")
_COMMENT_NOT_TEXT = N_("comment must be text, got %(kind)s")
_ANSWERS_NOT_OBJECT = N_('"answers" must be an object, got %(kind)s')
_OBJECT_KEYS = {"value", "comment", "status", "evidence"}
_OBJECT_ANSWER = N_(
    'an object answer has "value", "status", "comment" and/or "evidence", nothing else'
)
# An object answer's status and the value it stands for (unanswered: none).
_STATUS_VALUES = {"not_applicable": None, "dont_know": "dont_know", "unanswered": None}
# The json module's reasons (English only) as translatable messages; the English is unchanged.


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
    """An answer (or an answer file) is unusable; str() is one line naming the question.

    `message` is a %-template (marked with N_) filled in with `params`; `localised(gettext)`
    gives the line in another language, str() the English.
    """

    def __init__(self, question_id: str | None, message: str, **params: Any) -> None:
        self.question_id = question_id
        self.message = message if isinstance(message, Message) else Message(message, **params)
        self.text = (
            Message(N_("question %(id)s: %(message)s"), id=question_id, message=self.message)
            if question_id
            else self.message
        )
        super().__init__(self.text)

    def localised(self, gettext: Gettext) -> str:
        """The one-line message translated by `gettext`."""
        return localise_message(self.text, gettext)


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
        return Message(N_("true/false"))
    if _is_number(value):
        return Message(N_("a number"))
    if isinstance(value, str):
        return Message(N_("text"))
    if isinstance(value, (list, tuple)):
        return Message(N_("a list"))
    if isinstance(value, Mapping):
        return Message(N_("an object"))
    return type(value).__name__


def parse_value(question: Question, raw: object) -> AnswerValue:
    """One answer from its JSON form, checked against `question`; raises AnswerError."""
    qid = question.id
    if raw is None:
        if not question.not_applicable:
            raise AnswerError(qid, N_("'not applicable' (null) is not allowed for this question"))
        return NOT_APPLICABLE
    if raw == DONT_KNOW_JSON and not (question.type == "single_choice" and question.option(raw)):
        if not question.dont_know:
            raise AnswerError(qid, N_("'dont_know' is not allowed for this question"))
        return DONT_KNOW
    kind = question.type
    if kind == "level":
        if not isinstance(raw, int) or isinstance(raw, bool):
            raise AnswerError(
                qid, N_("expected a level 0-5 (a whole number), got %(kind)s"), kind=_kind(raw)
            )
        if not 0 <= raw <= 5:
            raise AnswerError(qid, N_("level must be between 0 and 5 (got %(value)s)"), value=raw)
        declared = [d.level for d in question.levels]
        if declared and raw not in declared:  # format 2: an instrument's own levels, e.g. 0-4
            raise AnswerError(
                qid,
                N_("expected one of the levels %(levels)s"),
                levels=", ".join(map(str, declared)),
            )
        return raw
    if kind == "single_choice":
        if not isinstance(raw, str):
            raise AnswerError(qid, N_("expected an option ID, got %(kind)s"), kind=_kind(raw))
        if question.option(raw) is None:
            raise AnswerError(qid, _UNKNOWN_OPTION, option=repr(raw))
        return raw
    if kind == "multiple_choice":
        if not isinstance(raw, (list, tuple)):
            raise AnswerError(
                qid, N_("expected a list of option IDs, got %(kind)s"), kind=_kind(raw)
            )
        chosen: set[str] = set()
        for item in raw:
            if not isinstance(item, str):
                raise AnswerError(
                    qid, N_("expected option IDs in the list, got %(kind)s"), kind=_kind(item)
                )
            if question.option(item) is None:
                raise AnswerError(qid, _UNKNOWN_OPTION, option=repr(item))
            if item in chosen:
                raise AnswerError(qid, N_("option %(option)s is chosen twice"), option=repr(item))
            chosen.add(item)
        alone = next((o.id for o in question.options if o.exclusive and o.id in chosen), None)
        if alone is not None and len(chosen) > 1:
            raise AnswerError(
                qid,
                N_("option %(option)s cannot be chosen together with other options"),
                option=repr(alone),
            )
        return tuple(o.id for o in question.options if o.id in chosen)
    if kind == "number":
        if not _is_number(raw):
            raise AnswerError(qid, N_("expected a number, got %(kind)s"), kind=_kind(raw))
        if not math.isfinite(raw):
            raise AnswerError(qid, N_("expected a finite number, got %(value)s"), value=raw)
        low, high = question.min, question.max
        if (low is not None and raw < low) or (high is not None and raw > high):
            raise AnswerError(
                qid,
                N_("%(value)s is out of range (%(low)s to %(high)s)"),
                value=raw,
                low=low,
                high=high,
            )
        return raw
    if kind == "yes_no":
        if not isinstance(raw, bool):
            raise AnswerError(qid, N_("expected true or false, got %(kind)s"), kind=_kind(raw))
        return raw
    raise AnswerError(qid, N_("unknown question type %(type)s"), type=repr(kind))


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
        raise AnswerError(None, _ANSWERS_NOT_OBJECT, kind=_kind(raw_answers))
    values: dict[str, AnswerValue] = {}
    notes: dict[str, str] = {}
    for qid, raw in raw_answers.items():
        question = questionnaire.question(qid) if isinstance(qid, str) else None
        if question is None:
            raise AnswerError(
                str(qid), N_("unknown question (not in %(key)s)"), key=questionnaire.key
            )
        if isinstance(raw, Mapping):
            note, has_value, raw = _object_answer(qid, raw)
            if note is not None:
                notes[qid] = note
            if not has_value:
                continue  # a comment on a question not answered yet
        values[qid] = parse_value(question, raw)
    for qid, comment in (comments or {}).items():
        if questionnaire.question(qid) is None:
            raise AnswerError(
                str(qid),
                N_("comment for an unknown question (not in %(key)s)"),
                key=questionnaire.key,
            )
        if not isinstance(comment, str):
            raise AnswerError(qid, _COMMENT_NOT_TEXT, kind=_kind(comment))
        notes[qid] = comment
    answer_set = AnswerSet(values, notes)
    unexplained = missing_reasons(questionnaire, answer_set)
    if unexplained:
        raise AnswerError(unexplained[0], NA_NEEDS_COMMENT)
    return answer_set


NA_NEEDS_COMMENT = N_('"not applicable" needs a comment saying why it does not apply')


def missing_reasons(questionnaire: Questionnaire, answers: AnswerSet) -> list[str]:
    """Questions answered "not applicable" without a comment, where the questionnaire needs one."""
    if not questionnaire.not_applicable_needs_comment:
        return []
    return [
        qid
        for qid, value in answers.values.items()
        if value is NOT_APPLICABLE and not answers.comments.get(qid, "").strip()
    ]


def _object_answer(qid: str, raw: Mapping[str, Any]) -> tuple[str | None, bool, Any]:
    """(notes, whether it holds an answer, the raw value) of an object answer.

    Besides {"value", "comment"}, the shape of the app's JSON report is read: "status"
    (answered, not_applicable, dont_know, unanswered) and "evidence" (joined to the comment).
    """
    if set(raw) - _OBJECT_KEYS or not raw:
        raise AnswerError(qid, _OBJECT_ANSWER)
    texts = []
    for key in ("comment", "evidence"):
        text = raw.get(key)
        if text is not None and not isinstance(text, str):
            raise AnswerError(qid, _COMMENT_NOT_TEXT, kind=_kind(text))
        if text is not None:
            texts.append(text)
    note = "\n".join(t for t in texts if t) if texts else None
    status = raw.get("status", "answered" if "value" in raw else "unanswered")
    if status != "answered" and status not in _STATUS_VALUES:
        raise AnswerError(qid, N_("unknown answer status %(status)s"), status=repr(status))
    if status == "answered":
        if "value" not in raw:
            raise AnswerError(qid, _OBJECT_ANSWER)
        return note, True, raw["value"]
    return note, status != "unanswered", _STATUS_VALUES[status]


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


def parse_profile(questionnaire: Questionnaire, raw_profile: Mapping[str, Any]) -> dict[str, Any]:
    """Check a company profile against the questionnaire's profile fields; raises AnswerError."""
    fields = {f.id: f for f in questionnaire.profile}
    profile: dict[str, Any] = {}
    for fid, value in raw_profile.items():
        spec = fields.get(fid)
        if spec is None:
            raise AnswerError(None, N_("profile field %(id)s: unknown field"), id=fid)
        if value is None:
            continue
        if spec.type == "single_choice" and (
            not isinstance(value, str) or value not in {o.id for o in spec.options}
        ):
            raise AnswerError(
                None,
                N_("profile field %(id)s: unknown option %(option)s"),
                id=fid,
                option=repr(value),
            )
        if spec.type == "yes_no" and not isinstance(value, bool):
            raise AnswerError(None, N_("profile field %(id)s: expected true or false"), id=fid)
        if spec.type == "text" and not isinstance(value, str):
            raise AnswerError(None, N_("profile field %(id)s: expected text"), id=fid)
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


def declared_level(question: Question, value: AnswerValue | None) -> int | None:
    """The level an answer evidences by its options' or bands' declared `level` (None if none).

    single choice: the chosen option's level; multiple choice: the highest level among the chosen
    options (options without a level count 0); number: the level of the highest band reached.
    """
    if value is None or value is NOT_APPLICABLE or value is DONT_KNOW:
        return None
    if question.type == "single_choice":
        option = question.option(value)  # type: ignore[arg-type]
        return None if option is None or option.level is None else option.level
    if question.type == "multiple_choice":
        if all(o.level is None for o in question.options):
            return None
        chosen = [o.level or 0 for o in question.options if o.id in value]  # type: ignore[operator]
        return max(chosen, default=0)
    if question.type == "number" and any(b.level is not None for b in question.bands):
        reached = [b.level or 0 for b in question.bands if b.min <= value]  # type: ignore[operator]
        return max(reached, default=0)
    return None


def question_level(question: Question, value: AnswerValue | None) -> int:
    """The level an answer evidences: declared by its option or band, else floor(fraction x 5).

    For multiple choice with declared levels: the higher of the best chosen option's level and
    floor(fraction x 5).
    """
    declared = declared_level(question, value)
    if declared is not None and question.type != "multiple_choice":
        return declared
    cap = question.max_points
    if cap <= 0:
        return declared or 0
    # points*5/cap, not fraction*5, so that 3/5*5 is exactly 3; the epsilon absorbs float noise.
    by_points = min(5, int(math.floor(points(question, value) * 5 / cap + 1e-9)))
    # multiple choice: the best chosen option's level, or more when the points say so (full
    # marks is level 5), so that adding an option never lowers the level
    return by_points if declared is None else max(declared, by_points)
