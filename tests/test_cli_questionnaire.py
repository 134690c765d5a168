"""`readiness questionnaire validate|list|export`: exit codes and output through the CLI runner."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from click.testing import Result
from flask import Flask
from flask.cli import ScriptInfo

from readiness import create_app
from readiness.cli import cli
from tests.paths import QUESTIONNAIRES

MINI = Path(__file__).resolve().parent / "domain" / "data" / "mini.yaml"


@pytest.fixture
def catalogue_dir(tmp_path: Path) -> Path:
    """A questionnaire directory: mini versions 1 and 2, and one broken file."""
    root = tmp_path / "questionnaires"
    (root / "mini").mkdir(parents=True)
    shutil.copy(MINI, root / "mini" / "1.yaml")
    text = MINI.read_text(encoding="utf-8")
    v2 = text.replace("version: 1", "version: 2", 1).replace("迷你成熟度检查", "迷你检查二")
    (root / "mini" / "2.yaml").write_text(v2, encoding="utf-8")
    (root / "broken").mkdir()
    (root / "broken" / "1.yaml").write_text("- not\n- a mapping\n", encoding="utf-8")
    return root


@pytest.fixture
def cli_app(catalogue_dir: Path) -> Flask:
    """An app whose only questionnaires are those of the temporary catalogue."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test",
        "QUESTIONNAIRE_DIR": str(catalogue_dir),
        "BUILTIN_QUESTIONNAIRES": False,
    }
    return create_app(config)


def run(app: Flask, *args: str) -> Result:
    """Invoke `readiness questionnaire ARGS` against `app`."""
    return app.test_cli_runner().invoke(cli, ["questionnaire", *args])


def test_validate_a_good_file() -> None:
    result = CliRunner().invoke(cli, ["questionnaire", "validate", str(MINI)])
    assert result.exit_code == 0, result.output
    assert result.output == f"{MINI}: ok (mini@1, 5 questions)\n"


def test_validate_reports_every_problem_of_every_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    text = MINI.read_text(encoding="utf-8").replace("    weight: 2\n", "    weight: 0\n", 1)
    bad.write_text(text.replace("format: 1", "format: 1\nfromat: 1", 1), encoding="utf-8")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("id: caf\xe9\n".encode("latin-1"))
    result = CliRunner().invoke(
        cli, ["questionnaire", "validate", str(bad), str(MINI), str(latin), str(tmp_path / "no")]
    )
    assert result.exit_code == 1
    weight_line = text[: text.index("weight: 0")].count("\n") + 2  # + the inserted line
    lines = result.output.splitlines()
    assert lines == [
        f"{bad}: top level: unknown key 'fromat' (line 4)",
        f"{bad}: question data.governance: weight must be greater than 0 (got 0)"
        f" (line {weight_line})",
        f"{MINI}: ok (mini@1, 5 questions)",
        f"{latin}: line 1: not UTF-8 text",
        f"{tmp_path / 'no'}: file: no such file",
    ]


def test_validate_needs_a_file() -> None:
    result = CliRunner().invoke(cli, ["questionnaire", "validate"])
    assert result.exit_code == 2
    assert "Missing argument" in result.output


def test_list_shows_questionnaires_and_problems_on_stderr(cli_app: Flask) -> None:
    result = run(cli_app, "list")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "mini\t1\tMini readiness check\t迷你成熟度检查",
        "mini\t2\tMini readiness check\t迷你检查二",
    ]
    assert "broken/1.yaml: line 1: the document must be a mapping, not a list" in result.stderr


def test_list_without_an_app_uses_the_default_directory() -> None:
    def no_app() -> Flask:
        raise RuntimeError("no app today")

    result = CliRunner().invoke(cli, ["questionnaire", "list"], obj=ScriptInfo(create_app=no_app))
    assert result.exit_code == 0, result.output
    expected = sorted(p.parent.name for p in QUESTIONNAIRES.glob("*/*.yaml"))
    assert sorted({line.split("\t")[0] for line in result.stdout.splitlines()}) == sorted(
        set(expected)
    )


def test_export_prints_the_latest_version_as_json(cli_app: Flask) -> None:
    result = run(cli_app, "export", "mini")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert (doc["id"], doc["version"], doc["title"]["zh"]) == ("mini", 2, "迷你检查二")
    assert [p["id"] for p in doc["pillars"]] == ["technology", "data", "infrastructure", "talent"]
    assert doc["challenge_areas"][0] == {
        "id": "5.1",
        "title": {"en": "Innovation capacity", "zh": "创新能力"},
        "measure": "6.1",
    }
    assert [lv["min_score"] for lv in doc["levels"]] == [0, 15, 35, 55, 75, 90]
    questions = {q["id"]: q for q in doc["questions"]}
    rd = questions["technology.rd"]
    assert (rd["levels"], rd["dont_know_allowed"], rd["not_applicable_allowed"]) == (
        [0, 1, 2, 3, 4, 5],
        True,
        False,
    )
    assert rd["level_descriptions"]["5"] == {"en": "Leading.", "zh": "领先。"}
    gov = questions["data.governance"]
    assert (gov["weight"], gov["max_score"], gov["challenge_areas"]) == (
        2.0,
        4.0,
        {"5.2": 2.0, "5.3": 1.0},
    )
    assert gov["options"][2] == {
        "id": "owner_named",
        "text": {"en": "A named owner", "zh": "指定负责人"},
        "score": 4.0,
        "exclusive": False,
    }
    assert gov["gate_level"] == 1
    hours = questions["talent.training_hours"]
    assert (hours["min"], hours["max"], hours["unit"]["en"]) == (0, 1000, "hours")
    assert hours["bands"][1] == {"min": 8, "score": 1}
    assert [f["id"] for f in doc["profile"]] == ["sector", "has_erp", "notes"]


def test_export_a_given_version(cli_app: Flask) -> None:
    result = run(cli_app, "export", "mini", "--version", "1")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["title"]["zh"] == "迷你成熟度检查"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope"], "Error: unknown questionnaire: nope\n"),
        (["mini", "--version", "7"], "Error: unknown questionnaire: mini version 7\n"),
    ],
)
def test_export_of_an_unknown_questionnaire_fails_in_one_line(
    cli_app: Flask, args: list[str], message: str
) -> None:
    result = run(cli_app, "export", *args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == message


def test_upgrade_rewrites_a_format_1_file_that_validates_as_format_2(tmp_path: Path) -> None:
    out = tmp_path / "mini" / "1.yaml"
    out.parent.mkdir()
    result = CliRunner().invoke(cli, ["questionnaire", "upgrade", str(MINI), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "not carried over (format 2 has no place for it): measures" in result.output
    checked = CliRunner().invoke(cli, ["questionnaire", "validate", str(out)])
    assert checked.exit_code == 0, checked.output
    assert checked.output == f"{out}: ok (mini@1, 5 questions)\n"
    again = CliRunner().invoke(cli, ["questionnaire", "upgrade", str(out)])
    assert again.exit_code != 0
    assert "is format 2 already" in again.output
