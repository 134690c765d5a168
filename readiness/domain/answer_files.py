"""Answer files: the JSON text of `{"answers": {...}, "profile": {...}}`, read with clear errors."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from readiness.domain.answers import _ANSWERS_NOT_OBJECT
from readiness.domain.answers import AnswerError
from readiness.domain.answers import _kind
from readiness.domain.messages import N_
from readiness.domain.messages import Message

JSON_REASONS = {
    "Expecting value": N_("Expecting value"),
    "Extra data": N_("Extra data"),
    "Expecting property name enclosed in double quotes": N_(
        "Expecting property name enclosed in double quotes"
    ),
    "Expecting ':' delimiter": N_("Expecting ':' delimiter"),
    "Expecting ',' delimiter": N_("Expecting ',' delimiter"),
    "Unterminated string starting at": N_("Unterminated string starting at"),
    "Invalid \\uXXXX escape": N_("Invalid \\uXXXX escape"),
    "Invalid \\escape": N_("Invalid \\escape"),
    "Invalid control character at": N_("Invalid control character at"),
    "Unexpected UTF-8 BOM (decode using utf-8-sig)": N_(
        "Unexpected UTF-8 BOM (decode using utf-8-sig)"
    ),
}


def _json_reason(reason: str) -> str:
    """The json module's reason for refusing a text, as a translatable message where known."""
    known = JSON_REASONS.get(reason)
    if known is not None:
        return Message(known)
    # the pure-Python decoder names the character: "Invalid \\escape: 'x'"
    if reason.startswith("Invalid \\escape: "):
        message = Message(N_("Invalid \\escape: %(escape)s"), escape=reason.split(": ", 1)[1])
        return message if message == reason else reason
    return reason


def parse_answer_file(text: str) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    """The raw "answers" and "profile" of an answer file's text; raises AnswerError."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        if isinstance(exc, json.JSONDecodeError):
            template = N_(
                "the answers file is not valid JSON: %(detail)s (line %(line)d, column %(column)d)"
            )
            detail = _json_reason(exc.msg)
            raise AnswerError(
                None, template, detail=detail, line=exc.lineno, column=exc.colno
            ) from None
        raise AnswerError(
            None, N_("the answers file is not valid JSON: nested too deeply")
        ) from None
    if not isinstance(data, dict):
        raise AnswerError(
            None, N_("the answers file must hold a JSON object, got %(kind)s"), kind=_kind(data)
        )
    if "answers" not in data:
        raise AnswerError(None, N_('the answers file has no "answers" object'))
    answers, profile = data["answers"], data.get("profile")
    if profile is None:  # the app's JSON report keeps the profile inside its result
        result = data.get("result")
        profile = (result.get("profile") if isinstance(result, dict) else None) or {}
    if not isinstance(answers, dict):
        raise AnswerError(None, _ANSWERS_NOT_OBJECT, kind=_kind(answers))
    if not isinstance(profile, dict):
        raise AnswerError(
            None, N_('"profile" must be an object, got %(kind)s'), kind=_kind(profile)
        )
    return answers, profile
