"""`readiness score`: exit codes, the JSON shape, languages, and one-line errors for bad files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from readiness import create_app
from readiness.cli import cli
from tests.paths import ROOT

MINI = Path(__file__).resolve().parent / "domain" / "data" / "mini.yaml"
FLAGSHIP = ROOT / "readiness" / "questionnaires" / "smart-manufacturing-readiness" / "1.yaml"
GOOD = {
    "answers": {
        "technology.rd": 3,
        "technology.patents": True,
        "data.governance": "it",
        "infrastructure.network": None,
        "talent.training_hours": 30,
    },
    "profile": {"sector": "process"},
}


@pytest.fixture
def cli_app(tmp_path: Path) -> Flask:
    """An app whose QUESTIONNAIRE_DIR holds only the mini questionnaire."""
    catalogue = tmp_path / "questionnaires"
    (catalogue / "mini").mkdir(parents=True)
    shutil.copy(MINI, catalogue / "mini" / "1.yaml")
    return create_app({"TESTING": True, "QUESTIONNAIRE_DIR": str(catalogue), "SECRET_KEY": "test"})


@pytest.fixture
def score_cli(cli_app: Flask, tmp_path: Path):
    """Run `readiness score` on an answers document (dict) or raw text; return the result."""
    runner: FlaskCliRunner = cli_app.test_cli_runner()

    def run(content: dict | str, *args: str, questionnaire: str = "mini"):
        path = tmp_path / "answers.json"
        text = content if isinstance(content, str) else json.dumps(content)
        path.write_text(text, encoding="utf-8")
        return runner.invoke(cli, ["score", questionnaire, str(path), *args])

    return run


def test_scores_and_prints_the_document(score_cli) -> None:
    result = score_cli(GOOD)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(doc["pillars"]) == {"technology", "data", "infrastructure", "talent"}
    assert set(doc["challenge_areas"]) == {"5.1", "5.2", "5.3", "5.4"}
    for section in (doc["overall"], *doc["pillars"].values()):
        assert {"score", "level", "level_name"} <= set(section)
    # technology (gated 0.8): rd 3 → 60, level 3; patents yes → 100, level 5: score 80,
    # weight at level >= 4 only 50% → level 3
    assert doc["pillars"]["technology"]["score"] == 80.0
    assert doc["pillars"]["technology"]["level"] == 3
    assert doc["pillars"]["technology"]["level_name"] == "Integrated"
    assert doc["pillars"]["infrastructure"]["applicable"] is False  # its only question is N/A
    assert doc["coverage"] == 1.0 and doc["unanswered"] == [] and doc["confidence"] == "high"
    # overall 61.7 is level 3; data (level 2) is the lowest pillar below 4, so the areas of
    # its blocking answer (governance: 5.2 ×1, 5.3 ×0.5) cap the firm and come first; then
    # technology and talent (level 3) hold it; gaps are (100 - score) / 4 areas
    assert [
        (r["measure"], r["gap"], r["reason"]["kind"], r["reason"]["share"])
        for r in doc["recommendations"]
    ] == [
        ("6.2", 12.5, "caps", 0.667),
        ("6.3", 12.5, "caps", 0.333),
        ("6.4", 8.33, "holds", 0.5),
        ("6.1", 5.0, "holds", 0.5),
    ]
    assert doc["recommendations"][0]["reason"]["questions"] == ["data.governance"]
    assert [r["priority"] for r in doc["recommendations"]] == [1, 2, 3, 4]
    process = [a for r in doc["recommendations"] for a in r["actions"] if a["id"] == "process-rd"]
    assert not process or process[0]["tailored"]
    assert [h["horizon"] for h in doc["roadmap"]] == ["0-6", "6-18", "18-36", "backlog"]
    assert set(doc["next_level"]) == set(doc["pillars"])
    assert doc["overall_next"]["reachable"] and doc["overall_next"]["new_level"] == 4


def test_chinese_texts(score_cli) -> None:
    result = score_cli(GOOD, "--lang", "zh", "--version", "1")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["pillars"]["technology"]["level_name"] == "集成级"
    assert doc["questionnaire"]["title"] == "迷你成熟度检查"
    texts = [a["text"] for r in doc["recommendations"] for a in r["actions"]]
    assert texts and all(any("\u4e00" <= ch <= "\u9fff" for ch in text) for text in texts)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"answers": {"technology.nope": 1}}, "question technology.nope: unknown question"),
        ({"answers": {"technology.rd": 9}}, "question technology.rd: level must be between 0"),
        ({"answers": {"technology.patents": "yes"}}, "question technology.patents: expected"),
        ({"answers": {"data.governance": "boss"}}, "question data.governance: unknown option"),
        (
            {"answers": {"talent.training_hours": True}},
            "question talent.training_hours: expected a",
        ),
        ({"answers": {"data.governance": None}}, "question data.governance: 'not applicable'"),
        ({"answers": {}, "profile": {"sector": "mining"}}, "profile field sector: unknown option"),
        ("{broken", "the answers file is not valid JSON"),
        ("[]", "the answers file must hold a JSON object"),
        ({"profile": {}}, 'the answers file has no "answers" object'),
    ],
)
def test_bad_answer_files_fail_with_one_line(score_cli, content, message: str) -> None:
    result = score_cli(content)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.output


def test_unknown_questionnaire_and_missing_file(score_cli, cli_app: Flask) -> None:
    result = score_cli(GOOD, questionnaire="nope")
    assert result.exit_code == 1 and "unknown questionnaire: nope" in result.stderr
    result = score_cli(GOOD, "--version", "7")
    assert result.exit_code == 1 and "mini version 7" in result.stderr
    runner = cli_app.test_cli_runner()
    result = runner.invoke(cli, ["score", "mini", "/nonexistent/answers.json"])
    assert result.exit_code != 0 and "Traceback" not in result.output


@pytest.mark.skipif(not FLAGSHIP.exists(), reason=f"{FLAGSHIP} is not written yet")
@pytest.mark.parametrize("version", ["1", "2"])
def test_scores_the_flagship_with_a_full_answer_set(tmp_path: Path, version: str) -> None:
    """Every flagship question answered with its best answer: every result at level 5."""
    from readiness.domain.loading import load_questionnaire
    from readiness.domain.recommendations import answer_for_level

    flagship = load_questionnaire(FLAGSHIP.parent / f"{version}.yaml")
    answers = {}
    for question in flagship.questions:
        best = answer_for_level(question, 5)
        if question.type == "multiple_choice":  # full marks: every option but "none of these"
            best = [o.id for o in question.options if not o.exclusive]
        answers[question.id] = best
    app = create_app({"TESTING": True, "QUESTIONNAIRE_DIR": str(FLAGSHIP.parent.parent)})
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"answers": answers}), encoding="utf-8")
    result = app.test_cli_runner().invoke(
        cli, ["score", flagship.id, str(path), "--version", version]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["coverage"] == 1.0 and doc["unanswered"] == []
    assert doc["overall"]["score"] == 100.0 and doc["overall"]["level"] == 5
    assert set(doc["challenge_areas"]) == {"5.1", "5.2", "5.3", "5.4"}
    assert all(p["level"] == 5 for p in doc["pillars"].values())


def test_a_format_2_questionnaire_scores_on_its_native_scale(tmp_path: Path) -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "test"})
    path = tmp_path / "miit.json"
    answers = {"foundation.systems": "e", "management.funding": "e", "operations.finance": 2}
    path.write_text(json.dumps({"answers": answers}), encoding="utf-8")
    result = app.test_cli_runner().invoke(
        cli, ["score", "miit-sme-digital-2024", str(path), "--lang", "zh"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    # 10 (systems) + 7.5 (funding) = 17.5 < 20: no level yet
    assert (doc["overall"]["value"], doc["overall"]["maximum"]) == (17.5, 100.0)
    assert doc["overall"]["level"] == 0 and doc["overall"]["level_name"] is None
    assert doc["nodes"]["foundation"]["title"] == "数字化基础"
    assert [lv["name"] for lv in doc["levels"]] == ["一级", "二级", "三级", "四级"]


def test_a_format_2_answer_mistake_is_one_line(tmp_path: Path) -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "test"})
    path = tmp_path / "miit.json"
    path.write_text(json.dumps({"answers": {"operations.finance": 7}}), encoding="utf-8")
    result = app.test_cli_runner().invoke(cli, ["score", "miit-sme-digital-2024", str(path)])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: question operations.finance: expected one of the levels 0, 1, 2, 3, 4"
    )


def test_the_flagship_document_carries_the_miit_estimate(tmp_path: Path) -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "test"})
    path = tmp_path / "flagship.json"
    answers = {"infrastructure.equipment_connected": 35, "technology.digital_design": 3}
    path.write_text(json.dumps({"answers": answers}), encoding="utf-8")
    result = app.test_cli_runner().invoke(
        cli, ["score", "smart-manufacturing-readiness", str(path), "--version", "1"]
    )
    assert result.exit_code == 0, result.output
    (estimate,) = json.loads(result.stdout)["crosswalks"]
    assert estimate["questionnaire"] == {"id": "miit-sme-digital-2024", "version": 1}
    assert estimate["settled"] == ["foundation.equipment_networked", "operations.product_design"]
    assert estimate["level_range"] == {"min": 0, "max": 3}


def test_crosswalk_prefills_a_miit_answers_file_that_scores(tmp_path: Path) -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "test"})
    runner = app.test_cli_runner()
    source = tmp_path / "flagship.json"
    answers = {"infrastructure.equipment_connected": 35, "technology.digital_design": 2}
    source.write_text(json.dumps({"answers": answers}), encoding="utf-8")
    prefilled = tmp_path / "miit.json"
    result = runner.invoke(
        cli,
        [
            "crosswalk",
            "smart-manufacturing-readiness",
            str(source),
            "--version",
            "1",
            "--to",
            "miit-sme-digital-2024",
            "-o",
            str(prefilled),
        ],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(prefilled.read_text(encoding="utf-8"))
    assert doc["answers"] == {
        "foundation.equipment_networked": "c",
        "operations.product_design": 2,
    }
    scored = runner.invoke(cli, ["score", "miit-sme-digital-2024", str(prefilled)])
    assert scored.exit_code == 0, scored.output
    assert json.loads(scored.stdout)["overall"]["value"] == 3.0  # networked share c: 3 points
    missing = runner.invoke(
        cli, ["crosswalk", "smart-manufacturing-readiness", str(source), "--to", "nothing"]
    )
    assert missing.exit_code == 1
    assert "no crosswalk leads from smart-manufacturing-readiness@2 to nothing" in missing.stderr


def test_a_format_2_questionnaire_exports_its_items_and_tree() -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "test"})
    result = app.test_cli_runner().invoke(cli, ["questionnaire", "export", "miit-sme-digital-2024"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert (doc["format"], doc["root"], len(doc["items"])) == (2, "miit", 31)
    network = next(i for i in doc["items"] if i["id"] == "foundation.network")
    assert (network["cap"], network["maximum"]) == (8.0, 8.0)
    assert [o["points"] for o in network["options"]] == [0.0, 2.0, 2.0, 2.0, 2.0]


# --- which flagship version an answers file is for ----------------------------------------------

V1_ONLY = {"technology.rd_spend": 2, "infrastructure.security_incident": False}
COMMON = {"technology.rd_spend": 2, "data.governance": 3}


@pytest.fixture
def flagship_cli(tmp_path: Path):
    """Run `readiness score smart-manufacturing-readiness` (built-in versions 1 and 2)."""
    runner = create_app({"TESTING": True, "SECRET_KEY": "test"}).test_cli_runner()

    def run(document: dict, *args: str):
        path = tmp_path / "answers.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        return runner.invoke(cli, ["score", "smart-manufacturing-readiness", str(path), *args])

    return run


@pytest.mark.parametrize(
    ("document", "version", "note"),
    [
        ({"answers": V1_ONLY}, 1, "the only version whose questions match"),
        ({"answers": {"operations.planning": 2}}, 2, "the only version whose questions match"),
        ({"answers": COMMON}, 2, 'fit versions 1, 2 of smart-manufacturing-readiness; scored'),
        ({"version": 1, "answers": COMMON}, 1, None),
        ({"questionnaire": {"id": "x", "version": 1}, "answers": COMMON}, 1, None),
        ({"answers": {}}, 2, None),
    ],
)
def test_the_version_comes_from_the_file(flagship_cli, document, version, note) -> None:
    result = flagship_cli(document)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["questionnaire"]["version"] == version
    if note is None:
        assert result.stderr == ""
    else:
        (line,) = result.stderr.strip().splitlines()
        assert note in line


def test_an_explicit_version_wins_and_a_missing_one_is_one_line(flagship_cli) -> None:
    chosen = flagship_cli({"answers": COMMON}, "--version", "1")
    assert json.loads(chosen.stdout)["questionnaire"]["version"] == 1 and chosen.stderr == ""
    missing = flagship_cli({"version": 7, "answers": COMMON})
    assert missing.exit_code == 1 and missing.stdout == ""
    assert missing.stderr.strip() == (
        "Error: the answers file is for version 7, which is not installed"
    )
    wrong = flagship_cli({"version": "one", "answers": COMMON})
    assert wrong.exit_code == 1 and "must be a whole number" in wrong.stderr
    # a version-1 answer under version 2's rules is refused, naming the question
    forced = flagship_cli({"answers": V1_ONLY}, "--version", "2")
    assert forced.exit_code == 1 and "infrastructure.security_incident" in forced.stderr
