"""`readiness compare`: JSON and CSV output, versions, swapped files, and one-line errors."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from flask import Flask

from readiness import create_app
from readiness.cli import cli

MINI = Path(__file__).resolve().parent / "domain" / "data" / "mini.yaml"
BEFORE = {
    "answers": {
        "technology.rd": 3,
        "technology.patents": True,
        "data.governance": "it",
        "infrastructure.network": None,
        "talent.training_hours": 30,
    },
    "profile": {"sector": "process"},
}
AFTER = {
    "answers": {
        **BEFORE["answers"],
        "technology.rd": 5,
        "data.governance": {"value": "owner_named", "comment": "CDO named in 2025"},
    }
}


@pytest.fixture
def cli_app(tmp_path: Path) -> Flask:
    """An app whose catalogue holds mini version 1 and a version 2 with one question renamed."""
    catalogue = tmp_path / "questionnaires" / "mini"
    catalogue.mkdir(parents=True)
    shutil.copy(MINI, catalogue / "1.yaml")
    text = MINI.read_text(encoding="utf-8")
    text = text.replace("version: 1", "version: 2").replace(
        "talent.training_hours", "talent.training_days"
    )
    (catalogue / "2.yaml").write_text(text, encoding="utf-8")
    return create_app(
        {"TESTING": True, "QUESTIONNAIRE_DIR": str(catalogue.parent), "SECRET_KEY": "test"}
    )


@pytest.fixture
def run(cli_app: Flask, tmp_path: Path):
    """Write two answer documents and run `readiness compare` on them."""

    def invoke(before: dict | str, after: dict | str, *args: str):
        paths = []
        for name, content in (("before.json", before), ("after.json", after)):
            path = tmp_path / name
            path.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")
            paths.append(str(path))
        return cli_app.test_cli_runner().invoke(
            cli, ["compare", *paths, "--questionnaire", "mini", *args]
        )

    return invoke


def test_json_has_before_after_change_per_pillar_and_area(run) -> None:
    result = run(BEFORE, AFTER, "--version", "1")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    tech = doc["pillars"]["technology"]
    # rd 3 → 60 and patents 100: 80 (gated: level 3); rd 5: 100, level 5
    assert (tech["before"], tech["after"], tech["change"]) == (80.0, 100.0, 20.0)
    assert (tech["level_before"], tech["level_after"], tech["trend"]) == (3, 5, "improved")
    data = doc["pillars"]["data"]
    assert (data["before"], data["after"], data["level_change"]) == (50.0, 100.0, 3)
    assert doc["pillars"]["talent"]["trend"] == "unchanged"
    assert doc["pillars"]["infrastructure"]["trend"] == "n/a"  # its only question is N/A
    assert set(doc["challenge_areas"]) == {"5.1", "5.2", "5.3", "5.4"}
    for area in doc["challenge_areas"].values():
        assert {"before", "after", "change", "level_before", "level_after"} <= set(area)
    assert doc["questions"]["data.governance"]["comment_after"] == "CDO named in 2025"
    assert doc["questions"]["data.governance"]["change"] == "changed"
    assert doc["overall"]["trend"] == "improved"


def test_swapping_the_files_flips_the_signs(run) -> None:
    forward = json.loads(run(BEFORE, AFTER, "--version", "1").stdout)
    backward = json.loads(run(AFTER, BEFORE, "--version", "1").stdout)
    for pid, d in forward["pillars"].items():
        e = backward["pillars"][pid]
        assert e["change"] == (None if d["change"] is None else -d["change"])
        assert (e["before"], e["after"]) == (d["after"], d["before"])


def test_two_versions_mark_added_removed_and_not_comparable(run) -> None:
    after = {"answers": {**BEFORE["answers"]}}
    after["answers"]["talent.training_days"] = after["answers"].pop("talent.training_hours")
    result = run(BEFORE, after, "--version", "1", "--version", "2")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["questionnaire"] == {"before": "mini@1", "after": "mini@2"}
    assert doc["added_questions"] == ["talent.training_days"]
    assert doc["removed_questions"] == ["talent.training_hours"]
    assert doc["pillars"]["talent"]["comparable"] is False
    assert "talent.training_days" in doc["pillars"]["talent"]["note"]
    assert doc["pillars"]["technology"]["comparable"] is True


def test_csv_to_a_file(run, tmp_path: Path) -> None:
    out = tmp_path / "comparison.csv"
    result = run(BEFORE, AFTER, "--version", "1", "--format", "csv", "-o", str(out))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    tech = next(r for r in rows if r["section"] == "pillar" and r["id"] == "technology")
    assert (tech["before"], tech["after"], tech["change"], tech["trend"]) == (
        "80.0",
        "100.0",
        "20.0",
        "improved",
    )
    assert {r["section"] for r in rows} >= {"overall", "pillar", "challenge_area", "question"}


@pytest.mark.parametrize(
    ("before", "after", "args", "message"),
    [
        (
            {"answers": {"technology.rd": 9}},
            AFTER,
            (),
            "before.json: question technology.rd: level",
        ),
        (BEFORE, "{broken", ("--version", "1"), "after.json: the answers file is not valid JSON"),
        (BEFORE, AFTER, ("--version", "7"), "unknown questionnaire: mini version 7"),
        (BEFORE, AFTER, ("--version", "1") * 3, "at most twice"),
        (
            BEFORE,
            {"answers": {"talent.training_hours": 5}},
            ("--version", "1", "--version", "2"),
            "after.json: question talent.training_hours: unknown question",
        ),
    ],
)
def test_bad_input_fails_with_one_line(run, before, after, args, message: str) -> None:
    result = run(before, after, *args)
    assert result.exit_code != 0
    assert result.stdout == ""
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.output


def test_pdf_report_needs_an_output_file(run, tmp_path: Path) -> None:
    assert "--format pdf needs -o FILE" in run(BEFORE, AFTER, "--format", "pdf").stderr
    out = tmp_path / "comparison.pdf"
    result = run(BEFORE, AFTER, "--version", "1", "--format", "pdf", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
