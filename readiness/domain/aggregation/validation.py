"""Validation of format-2 documents: their JSON Schema plus the tree cross-checks."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema

from readiness.domain.aggregation.checks import check_tree
from readiness.domain.problems import PathT
from readiness.domain.problems import Problem
from readiness.domain.problems import Reporter
from readiness.domain.validation import check_finite
from readiness.domain.validation import report_schema_errors

SCHEMA_2_PATH = Path(__file__).resolve().parents[2] / "questionnaires" / "schema.json"


@lru_cache(maxsize=1)
def schema_2_validator() -> jsonschema.Draft202012Validator:
    """The JSON Schema validator of format 2: its part of questionnaires/schema.json (once)."""
    schema = json.loads(SCHEMA_2_PATH.read_text(encoding="utf-8"))["$defs"]["format-2"]
    return jsonschema.Draft202012Validator(schema)


def validate_instrument(
    raw: dict[str, Any], source: str, lines: Mapping[PathT, int] | None = None
) -> list[Problem]:
    """Every problem of a parsed format-2 document, sorted by line."""
    reporter = Reporter(raw, source, lines)
    report_schema_errors(schema_2_validator(), raw, reporter)
    check_finite(raw, reporter)
    check_tree(raw, reporter)
    unique = list(dict.fromkeys(reporter.problems))
    return sorted(unique, key=lambda p: p.line or 0)
