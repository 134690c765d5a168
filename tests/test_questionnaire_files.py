"""Every questionnaire shipped in questionnaires/ loads and validates; so does the schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from readiness.domain.loading import load_any
from readiness.domain.loading import load_questionnaires
from readiness.domain.validation import SCHEMA_PATH
from tests.paths import ROOT

QUESTIONNAIRES = ROOT / "readiness" / "questionnaires"
FILES = sorted(QUESTIONNAIRES.glob("*/*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_questionnaire_file_is_valid(path: Path) -> None:
    questionnaire = load_any(path)  # raises QuestionnaireError listing every problem
    assert f"{questionnaire.id}/{questionnaire.version}.yaml" == f"{path.parent.name}/{path.name}"


def test_the_catalogue_has_no_broken_file() -> None:
    result = load_questionnaires(QUESTIONNAIRES)
    assert [str(p) for p in result.problems] == []
    assert len(result.questionnaires) + len(result.instruments) == len(FILES)


def test_the_flagship_is_shipped() -> None:
    assert (QUESTIONNAIRES / "smart-manufacturing-readiness" / "1.yaml") in FILES


def test_the_miit_2024_instrument_is_shipped_in_format_2() -> None:
    result = load_questionnaires(QUESTIONNAIRES)
    assert [i.key for i in result.instruments] == ["miit-sme-digital-2024@1"]


def test_the_schema_is_a_draft_2020_12_schema() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_one_schema_file_checks_both_formats(path: Path) -> None:
    """An editor pointed at schema.json checks a file of either format (the `format` key
    picks the embedded schema)."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(document)
    wrong = {**document, "format": 1 if document["format"] == 2 else 2}
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(wrong))
