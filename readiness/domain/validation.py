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
from readiness.domain.problems import PathT
from readiness.domain.problems import Problem
from readiness.domain.problems import QuestionnaireError
from readiness.domain.problems import Reporter
from readiness.domain.problems import show

__all__ = ["Problem", "QuestionnaireError", "validate", "schema_validator"]

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "questionnaires" / "schema.json"

TYPE_WORDS = {
    "string": "a text",
    "object": "a mapping",
    "array": "a list",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "null": "empty",
}
# keys that only some question or profile-field types allow
TYPED_KEYS = ("levels", "options", "max_score", "unit", "min", "max", "bands", "yes_scores")
PATTERN_WORDS = {
    "^[a-z0-9][a-z0-9-]*$": "lower-case letters, digits and '-'",
    "^[a-z][a-z0-9_]*$": "a lower-case letter followed by lower-case letters, digits and '_'",
    "^[a-z][a-z0-9_.]*$": "a lower-case letter followed by lower-case letters, digits, '_' and '.'",
    "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$": "a language code such as en or zh",
    "^[A-Za-z0-9][A-Za-z0-9_.-]*$": "letters, digits, '_', '.' and '-' (no spaces)",
}


@lru_cache(maxsize=1)
def schema_validator() -> jsonschema.Draft202012Validator:
    """The JSON Schema validator of questionnaires/schema.json (loaded once)."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def validate(raw: Any, source: str, lines: Mapping[PathT, int] | None = None) -> list[Problem]:
    """Every problem of a parsed questionnaire document: schema errors and cross-checks."""
    reporter = Reporter(raw, source, lines)
    if not isinstance(raw, dict):
        reporter.add((), f"the document must be a mapping, not {show(raw)}")
        return reporter.problems
    errors = sorted(
        schema_validator().iter_errors(raw), key=lambda e: [str(p) for p in e.absolute_path]
    )
    found = [(_error_path(error, raw), error) for error in errors]
    refused = [path for (path, _), error in found if error.validator is None]
    for (path, at), error in found:
        if error.validator is not None and any(path[: len(r)] == r for r in refused):
            continue  # the key itself is refused; what is wrong inside it does not matter
        reporter.add(path, _explain(error, raw), at=at)
    _check_finite(raw, (), reporter, set())
    cross_check(raw, reporter)
    unique = list(dict.fromkeys(reporter.problems))
    return sorted(unique, key=lambda p: p.line or 0)


def _explain(error: jsonschema.ValidationError, raw: Any) -> str:
    """A readable reason for one jsonschema error (the sub-path is added by the reporter)."""
    kind, value, expected = error.validator, error.instance, error.validator_value
    if kind == "required":
        missing = [k for k in expected if isinstance(value, dict) and k not in value]
        return f"missing required key '{missing[0] if missing else expected}'"
    if kind == "additionalProperties" and isinstance(value, dict):
        known = set(error.schema.get("properties", {}))
        extra = sorted(str(k) for k in value if k not in known)
        return f"unknown key '{', '.join(extra)}'" if len(extra) == 1 else f"unknown keys {extra}"
    if "propertyNames" in error.schema_path:
        return f"key {show(value)} is not allowed: use {PATTERN_WORDS.get(expected, expected)}"
    if kind == "type":
        words = TYPE_WORDS.get(expected, expected)
        hint = ""
        if expected == "string" and isinstance(value, bool | int | float):
            hint = f'; quote it: "{show(value)}"'
        return f"must be {words} (got {show(value)}{hint})"
    if kind == "const":
        return f"must be {show(expected)} (got {show(value)})"
    if kind == "enum":
        return f"must be one of {', '.join(map(str, expected))} (got {show(value)})"
    if kind == "pattern":
        return f"must be made of {PATTERN_WORDS.get(expected, expected)} (got {show(value)})"
    bounds = {
        "minimum": "at least",
        "maximum": "at most",
        "exclusiveMinimum": "greater than",
        "exclusiveMaximum": "less than",
    }
    if kind in bounds:
        return f"must be {bounds[kind]} {expected} (got {show(value)})"
    if kind in ("minItems", "maxItems"):
        size = len(value) if isinstance(value, list) else 0
        if error.schema.get("minItems") == error.schema.get("maxItems"):
            return f"must have exactly {expected} entries (has {size})"
        word = "at least" if kind == "minItems" else "at most"
        return f"must have {word} {expected} entries (has {size})"
    if kind == "minProperties":
        return f"must have at least {expected} entry"
    if kind == "minLength":
        return "must not be empty"
    if kind == "uniqueItems":
        return "must not list the same value twice"
    if kind is None:  # a `false` schema: a key not allowed for this type
        owner = _at(raw, tuple(error.absolute_path))
        kind_of = owner.get("type") if isinstance(owner, dict) else None
        return f"is not allowed for type {kind_of}"
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
        reporter.add(path, f"must be a finite number (got {value})")
    elif isinstance(value, dict | list) and id(value) not in seen:
        seen.add(id(value))
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, child in items:
            _check_finite(child, (*path, key), reporter, seen)
