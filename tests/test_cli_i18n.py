"""The command line in Chinese (domain errors too), its English unchanged, QUESTIONNAIRE_DIR."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from click.testing import Result
from flask import render_template_string

from readiness.cli import cli
from readiness.cli import language as cli_language_module
from readiness.domain.answer_files import parse_answer_file
from readiness.domain.answers import AnswerError
from tests.i18n_checks import compile_catalogs
from tests.i18n_checks import english_words

MINI = Path(__file__).resolve().parent / "domain" / "data" / "mini.yaml"
ZH = {"READINESS_LANG": "zh"}
EN = {"READINESS_LANG": "en"}


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogs() -> None:
    """The .mo catalogs the command line reads, compiled from the current .po files."""
    compile_catalogs()
    cli_language_module._cli_translations.cache_clear()


@pytest.fixture
def catalogue_dir(tmp_path: Path) -> Path:
    """A QUESTIONNAIRE_DIR holding only the mini questionnaire."""
    root = tmp_path / "qd"
    (root / "mini").mkdir(parents=True)
    shutil.copy(MINI, root / "mini" / "1.yaml")
    return root


def invoke(args: list[str], env: dict[str, str | None], catalogue_dir: Path) -> Result:
    """Run `readiness ARGS` as in production without SECRET_KEY, with QUESTIONNAIRE_DIR set."""
    environ = {"READINESS_ENV": "production", "SECRET_KEY": None, **env}
    environ["QUESTIONNAIRE_DIR"] = str(catalogue_dir)
    return CliRunner().invoke(cli, args, env=environ)


def _bad_answers(tmp_path: Path, content: str) -> Path:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    return path


def _broken_questionnaire(tmp_path: Path) -> Path:
    """The mini questionnaire with a misspelt top-level key and a pillar weight of 0."""
    text = MINI.read_text(encoding="utf-8").replace("    weight: 2\n", "    weight: 0\n", 1)
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("format: 1", "format: 1\nfromat: 1", 1), encoding="utf-8")
    return bad


def _latin(text: str, *keep: str) -> list[str]:
    """English words left in CLI output once paths, IDs and file keys (`keep`) are removed."""
    return english_words(text.replace("<", " ").replace(">", " "), keep)


@pytest.mark.parametrize(
    ("content", "chinese", "keep"),
    [
        (
            {"answers": {"technology.rd": 7}},
            "错误：问题 technology.rd：等级必须在 0 到 5 之间（实际为 7）",
            ["technology.rd"],
        ),
        (
            {"answers": {"talent.training_hours": "many"}},
            "问题 talent.training_hours：应为数字，实际为文本",
            ["talent.training_hours"],
        ),
        ("{broken", "答案文件不是有效的 JSON：", ["JSON"]),
        (
            {"answers": {}, "profile": {"sector": "mining"}},
            "企业概况字段 sector",
            ["sector", "'mining'"],
        ),
    ],
)
def test_bad_answers_file_fails_in_chinese(
    tmp_path: Path, catalogue_dir: Path, content, chinese: str, keep: list[str]
) -> None:
    """The domain's one-line answer errors come out in Chinese, with no English left."""
    text = content if isinstance(content, str) else json.dumps(content)
    path = _bad_answers(tmp_path, text)
    result = invoke(["score", "mini", str(path)], ZH, catalogue_dir)
    assert result.exit_code == 1
    assert chinese in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not _latin(result.stderr, str(path), *keep), result.stderr


def test_bad_answers_file_english_is_unchanged(tmp_path: Path, catalogue_dir: Path) -> None:
    """English output is byte for byte what it always was."""
    path = _bad_answers(tmp_path, json.dumps({"answers": {"technology.rd": 7}}))
    result = invoke(["score", "mini", str(path)], EN, catalogue_dir)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: question technology.rd: level must be between 0 and 5 (got 7)\n"
    )
    result = invoke(["score", "mini", str(_bad_answers(tmp_path, "{broken"))], EN, catalogue_dir)
    assert result.stderr == (
        "Error: the answers file is not valid JSON: "
        "Expecting property name enclosed in double quotes (line 1, column 2)\n"
    )


def test_broken_questionnaire_file_fails_in_chinese(tmp_path: Path) -> None:
    """Every validator line of `questionnaire validate` is Chinese (file keys stay as written)."""
    bad = _broken_questionnaire(tmp_path)
    missing = tmp_path / "no.yaml"
    result = CliRunner().invoke(cli, ["questionnaire", "validate", str(bad), str(missing)], env=ZH)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == f"{bad}：顶层：未知的键“fromat”（第 4 行）", lines
    assert lines[1].startswith(f"{bad}：问题 data.governance：weight 必须大于 0（实际为 0）")
    assert lines[2] == f"{missing}：文件：文件不存在"
    keys = ("data.governance", "weight", "fromat")
    assert not _latin(result.output, str(bad), str(missing), *keys), result.output


def test_broken_questionnaire_english_is_unchanged(tmp_path: Path) -> None:
    """The English validator lines are unchanged by translation support."""
    bad = _broken_questionnaire(tmp_path)
    result = CliRunner().invoke(cli, ["questionnaire", "validate", str(bad)], env=EN)
    assert result.output.splitlines()[0] == f"{bad}: top level: unknown key 'fromat' (line 4)"


def test_questionnaire_dir_is_used_without_secret_key(catalogue_dir: Path) -> None:
    """In production without SECRET_KEY, the questionnaire commands still read QUESTIONNAIRE_DIR."""
    listed = invoke(["questionnaire", "list"], EN, catalogue_dir)
    assert listed.exit_code == 0, listed.output
    lines = listed.stdout.splitlines()
    # QUESTIONNAIRE_DIR adds to the questionnaires shipped in the package.
    assert "mini\t1\tMini readiness check\t迷你成熟度检查" in lines
    assert any(line.startswith("smart-manufacturing-readiness\t1\t") for line in lines), lines
    exported = invoke(["questionnaire", "export", "mini"], EN, catalogue_dir)
    assert exported.exit_code == 0 and json.loads(exported.stdout)["id"] == "mini"
    unknown = invoke(
        ["questionnaire", "export", "no-such-questionnaire"], ZH, catalogue_dir
    )
    assert unknown.exit_code == 1
    assert "未知问卷：no-such-questionnaire" in unknown.stderr, unknown.stderr


def test_the_web_app_shows_domain_messages_in_the_request_language(app) -> None:
    """The `message_text` filter translates an AnswerError for a Chinese request."""
    with pytest.raises(AnswerError) as caught:
        parse_answer_file("[]")
    template = "{{ error|message_text }}"
    with app.test_request_context("/?lang=zh"):
        chinese = render_template_string(template, error=caught.value)
    with app.test_request_context("/?lang=en"):
        english = render_template_string(template, error=caught.value)
    assert english == str(caught.value) == "the answers file must hold a JSON object, got a list"
    assert chinese == "答案文件必须是一个 JSON 对象，实际为列表"


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["score", "mini", "{path}", "--lang", "zh"], EN, "错误：问题 technology.rd："),
        (["score", "nope", "{path}", "--lang", "zh"], EN, "错误：未知问卷：nope"),
        (["score", "mini", "{path}", "--lang", "en"], ZH, "Error: question technology.rd:"),
        (
            ["report", "{path}", "--questionnaire", "nope", "--lang", "zh", "-o", "{out}"],
            EN,
            "错误：未知问卷：nope",
        ),
        (
            ["report", "{path}", "--questionnaire", "mini", "--lang", "en", "-o", "{out}"],
            ZH,
            "Error: question technology.rd:",
        ),
    ],
)
def test_lang_option_sets_the_language_of_the_messages(
    tmp_path: Path, catalogue_dir: Path, args: list[str], env: dict, expected: str
) -> None:
    """An explicit --lang wins over READINESS_LANG for the errors too."""
    path = _bad_answers(tmp_path, json.dumps({"answers": {"technology.rd": 7}}))
    out = tmp_path / "out.pdf"
    args = [a.format(path=path, out=out) for a in args]
    result = invoke(args, env, catalogue_dir)
    assert result.exit_code == 1
    assert result.stderr.startswith(expected), result.stderr
    # Without --lang the environment still decides.
    result = invoke([a for a in args if a not in ("--lang", "zh", "en")], ZH, catalogue_dir)
    assert result.stderr.startswith("错误：")
