"""Questionnaire validation: the JSON Schema plus cross-checks, reported as one-line problems."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema

from readiness.domain.checks import cross_check
from readiness.domain.messages import N_
from readiness.domain.messages import Message
from readiness.domain.problems import PathT
from readiness.domain.problems import Problem
from readiness.domain.problems import QuestionnaireError
from readiness.domain.problems import Reporter
from readiness.domain.problems import show

__all__ = ["Problem", "QuestionnaireError", "validate", "schema_validator"]

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "questionnaires" / "schema.json"

TYPE_WORDS = {
    "string": N_("a text"),
    "object": N_("a mapping"),
    "array": N_("a list"),
    "number": N_("a number"),
    "integer": N_("a whole number"),
    "boolean": N_("true or false"),
    "null": N_("empty"),
}
# keys that only some question or profile-field types allow
TYPED_KEYS = (
    "levels",
    "options",
    "max_score",
    "unit",
    "symbol",
    "min",
    "max",
    "bands",
    "yes_scores",
)
PATTERN_WORDS = {
    "^[a-z0-9][a-z0-9-]*$": N_("lower-case letters, digits and '-'"),
    "^[a-z][a-z0-9_]*$": N_("a lower-case letter followed by lower-case letters, digits and '_'"),
    "^[a-z][a-z0-9_.]*$": N_(
        "a lower-case letter followed by lower-case letters, digits, '_' and '.'"
    ),
    "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$": N_("a language code such as en or zh"),
    "^[A-Za-z0-9][A-Za-z0-9_.-]*$": N_("letters, digits, '_', '.' and '-' (no spaces)"),
}
# the reason of each bound a number breaks
BOUNDS = {
    "minimum": N_("must be at least %(limit)s (got %(value)s)"),
    "maximum": N_("must be at most %(limit)s (got %(value)s)"),
    "exclusiveMinimum": N_("must be greater than %(limit)s (got %(value)s)"),
    "exclusiveMaximum": N_("must be less than %(limit)s (got %(value)s)"),
}


@lru_cache(maxsize=1)
def schema_validator() -> jsonschema.Draft202012Validator:
    """The JSON Schema validator of format 1: its part of questionnaires/schema.json (once)."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))["$defs"]["format-1"]
    return jsonschema.Draft202012Validator(schema)


def validate(raw: Any, source: str, lines: Mapping[PathT, int] | None = None) -> list[Problem]:
    """Every problem of a parsed questionnaire document: schema errors and cross-checks."""
    reporter = Reporter(raw, source, lines)
    if not isinstance(raw, dict):
        reporter.add(
            (), Message(N_("the document must be a mapping, not %(kind)s"), kind=show(raw))
        )
        return reporter.problems
    report_schema_errors(schema_validator(), raw, reporter)
    _check_finite(raw, (), reporter, set())
    cross_check(raw, reporter)
    unique = list(dict.fromkeys(reporter.problems))
    return sorted(unique, key=lambda p: p.line or 0)


def report_schema_errors(
    validator: jsonschema.Draft202012Validator, raw: Any, reporter: Reporter
) -> None:
    """Report every error of `validator` on `raw`, each explained in one line."""
    errors = sorted(validator.iter_errors(raw), key=lambda e: [str(p) for p in e.absolute_path])
    found = [(_error_path(error, raw), error) for error in errors]
    refused = [path for (path, _), error in found if error.validator is None]
    for (path, at), error in found:
        if error.validator is not None and any(path[: len(r)] == r for r in refused):
            continue  # the key itself is refused; what is wrong inside it does not matter
        reporter.add(path, _explain(error, raw), at=at)


def check_finite(raw: Any, reporter: Reporter) -> None:
    """Report NaN and infinite numbers anywhere in a document."""
    _check_finite(raw, (), reporter, set())


def _words(words: dict[str, str], key: Any) -> str:
    """The translatable words for `key` (a type or pattern), else the key itself."""
    found = words.get(key) if isinstance(key, str) else None
    return Message(found) if found is not None else str(key)


def _explain(error: jsonschema.ValidationError, raw: Any) -> str:
    """A readable reason for one jsonschema error (the sub-path is added by the reporter)."""
    kind, value, expected = error.validator, error.instance, error.validator_value
    if kind == "required":
        missing = [k for k in expected if isinstance(value, dict) and k not in value]
        key = missing[0] if missing else expected
        return Message(N_("missing required key '%(key)s'"), key=key)
    if kind == "additionalProperties" and isinstance(value, dict):
        known = set(error.schema.get("properties", {}))
        extra = sorted(str(k) for k in value if k not in known)
        if len(extra) == 1:
            return Message(N_("unknown key '%(key)s'"), key=extra[0])
        return Message(N_("unknown keys %(keys)s"), keys=str(extra))
    if "propertyNames" in error.schema_path:
        return Message(
            N_("key %(key)s is not allowed: use %(rule)s"),
            key=show(value),
            rule=_words(PATTERN_WORDS, expected),
        )
    if kind == "type":
        words = _words(TYPE_WORDS, expected)
        if expected == "string" and isinstance(value, bool | int | float):
            return Message(
                N_('must be %(expected)s (got %(value)s; quote it: "%(value)s")'),
                expected=words,
                value=show(value),
            )
        return Message(
            N_("must be %(expected)s (got %(value)s)"), expected=words, value=show(value)
        )
    if kind == "const":
        return Message(
            N_("must be %(expected)s (got %(value)s)"), expected=show(expected), value=show(value)
        )
    if kind == "enum":
        return Message(
            N_("must be one of %(choices)s (got %(value)s)"),
            choices=", ".join(map(str, expected)),
            value=show(value),
        )
    if kind == "pattern":
        return Message(
            N_("must be made of %(rule)s (got %(value)s)"),
            rule=_words(PATTERN_WORDS, expected),
            value=show(value),
        )
    if kind in BOUNDS:
        return Message(BOUNDS[kind], limit=expected, value=show(value))
    if kind in ("minItems", "maxItems"):
        size = len(value) if isinstance(value, list) else 0
        if error.schema.get("minItems") == error.schema.get("maxItems"):
            template = N_("must have exactly %(count)s entries (has %(size)d)")
        elif kind == "minItems":
            template = N_("must have at least %(count)s entries (has %(size)d)")
        else:
            template = N_("must have at most %(count)s entries (has %(size)d)")
        return Message(template, count=expected, size=size)
    if kind == "minProperties":
        return Message(N_("must have at least %(count)s entry"), count=expected)
    if kind == "minLength":
        return Message(N_("must not be empty"))
    if kind == "uniqueItems":
        return Message(N_("must not list the same value twice"))
    if kind is None:  # a `false` schema: a key not allowed for this type
        owner = _at(raw, tuple(error.absolute_path))
        kind_of = owner.get("type") if isinstance(owner, dict) else None
        return Message(N_("is not allowed for type %(type)s"), type=kind_of)
    return error.message


def _error_path(error: jsonschema.ValidationError, raw: Any) -> tuple[PathT, PathT]:
    """Where an error is reported, and the path whose YAML line it is given."""
    path = tuple(error.absolute_path)
    if error.validator is None:
        # jsonschema reports a `false` property schema at the owning object: find the key
        owner = _at(raw, path)
        if isinstance(owner, dict):
            keys = [k for k, v in owner.items() if v is error.instance and k in TYPED_KEYS]
            if keys:
                return (*path, keys[0]), (*path, keys[0])
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = set(error.schema.get("properties", {}))
        extra = [k for k in error.instance if k not in known]
        if extra:
            return path, (*path, extra[0])
    return path, path


def _at(raw: Any, path: PathT) -> Any:
    """The value at `path` in a document, or None."""
    node = raw
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _check_finite(value: Any, path: PathT, reporter: Reporter, seen: set[int]) -> None:
    """Report NaN and infinite numbers, which no schema `number` refuses."""
    if isinstance(value, float) and not math.isfinite(value):
        reporter.add(path, Message(N_("must be a finite number (got %(value)s)"), value=value))
    elif isinstance(value, dict | list) and id(value) not in seen:
        seen.add(id(value))
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, child in items:
            _check_finite(child, (*path, key), reporter, seen)
