"""Validation: a table of broken documents, unsafe files, and all problems reported at once."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from readiness.domain.loading import load_questionnaire
from readiness.domain.problems import Problem
from readiness.domain.reading import MAX_BYTES
from readiness.domain.validation import QuestionnaireError
from readiness.domain.validation import validate

Raw = dict[str, Any]


def question(raw: Raw, question_id: str) -> dict[str, Any]:
    """The question with `question_id` in a raw document."""
    return next(q for q in raw["questions"] if q["id"] == question_id)


def action(raw: Raw, measure_id: str, action_id: str) -> dict[str, Any]:
    """The action `action_id` of measure `measure_id` in a raw document."""
    measure = next(m for m in raw["measures"] if m["id"] == measure_id)
    return next(a for a in measure["actions"] if a["id"] == action_id)


def _set(target: Callable[[Raw], dict[str, Any]], key: str, value: Any) -> Callable[[Raw], None]:
    """A mutation setting target(raw)[key] = value."""
    return lambda raw: target(raw).__setitem__(key, value)


def _del(target: Callable[[Raw], dict[str, Any]], key: str) -> Callable[[Raw], None]:
    """A mutation deleting target(raw)[key]."""
    return lambda raw: target(raw).__delitem__(key)


def _q(question_id: str) -> Callable[[Raw], dict[str, Any]]:
    return lambda raw: question(raw, question_id)


def _top(raw: Raw) -> Raw:
    return raw


GOV, RD, NET, HOURS, PAT = (
    "data.governance",
    "technology.rd",
    "infrastructure.network",
    "talent.training_hours",
    "technology.patents",
)

BROKEN = [
    # (case id, mutation, expected location, expected substring of the message)
    ("duplicate question", _set(_q(GOV), "id", RD), f"question {RD}", "duplicate question ID"),
    ("unknown pillar", _set(_q(GOV), "pillar", "finance"), f"question {GOV}", "unknown pillar"),
    (
        "unknown area",
        _set(_q(GOV), "challenge_areas", {"5.9": 1}),
        f"question {GOV}",
        "unknown challenge area '5.9'",
    ),
    (
        "unknown measure",
        lambda raw: raw["challenge_areas"][0].__setitem__("measure", "6.9"),
        "challenge area 5.1",
        "unknown measure '6.9'",
    ),
    (
        "five levels",
        lambda raw: question(raw, RD)["levels"].pop(),
        f"question {RD}",
        "levels must have exactly 6 entries (has 5)",
    ),
    (
        "levels unordered",
        lambda raw: question(raw, RD)["levels"][0].__setitem__("level", 3),
        f"question {RD}",
        "levels[0].level must be 0",
    ),
    (
        "level without text",
        lambda raw: question(raw, RD)["levels"][2].__delitem__("text"),
        f"question {RD}",
        "levels[2]: missing required key 'text'",
    ),
    (
        "missing translation",
        lambda raw: question(raw, GOV)["text"].pop("zh"),
        f"question {GOV}",
        "text has no 'zh' translation",
    ),
    (
        "extra language",
        lambda raw: raw["title"].__setitem__("fr", "Mini"),
        "top level",
        "title has a 'fr' text, not in languages",
    ),
    (
        "bad language key",
        lambda raw: raw["title"].__setitem__("English", "Mini"),
        "top level",
        "key 'English' is not allowed",
    ),
    ("zero weight", _set(_q(GOV), "weight", 0), f"question {GOV}", "weight must be greater than 0"),
    (
        "negative area weight",
        _set(_q(GOV), "challenge_areas", {"5.2": -1}),
        f"question {GOV}",
        "challenge_areas.5.2 must be greater than 0 (got -1)",
    ),
    (
        "negative pillar weight",
        lambda raw: raw["pillars"][1].__setitem__("weight", -2),
        "pillar data",
        "weight must be greater than 0 (got -2)",
    ),
    ("nan weight", _set(_q(GOV), "weight", float("nan")), f"question {GOV}", "finite number"),
    (
        "single choice unreachable",
        _set(_q(GOV), "max_score", 5),
        f"question {GOV}",
        "no option reaches max_score 5",
    ),
    (
        "multiple choice unreachable",
        _set(_q(NET), "max_score", 10),
        f"question {NET}",
        "cannot reach max_score 10",
    ),
    (
        "negative option score",
        lambda raw: question(raw, GOV)["options"][0].__setitem__("score", -1),
        f"question {GOV}",
        "options[0].score must be at least 0",
    ),
    (
        "duplicate option",
        lambda raw: question(raw, GOV)["options"][1].__setitem__("id", "nobody"),
        f"question {GOV}",
        "duplicate option ID 'nobody'",
    ),
    (
        "bands out of order",
        lambda raw: question(raw, HOURS)["bands"][2].__setitem__("min", 5),
        f"question {HOURS}",
        "bands out of order: 5 does not come after 8",
    ),
    (
        "first band above min",
        lambda raw: question(raw, HOURS)["bands"][0].__setitem__("min", 1),
        f"question {HOURS}",
        "bands[0].min must equal the question's min 0",
    ),
    (
        "min above max",
        _set(_q(HOURS), "min", 2000),
        f"question {HOURS}",
        "min must be less than max",
    ),
    (
        "bands never score",
        lambda raw: [b.__setitem__("score", 0) for b in question(raw, HOURS)["bands"]],
        f"question {HOURS}",
        "band with a score above 0",
    ),
    ("unknown top key", _set(_top, "titel", {"en": "x"}), "top level", "unknown key 'titel'"),
    ("unknown question key", _set(_q(GOV), "wieght", 2), f"question {GOV}", "unknown key 'wieght'"),
    (
        "key of another type",
        _set(_q(PAT), "max_score", 2),
        f"question {PAT}",
        "max_score is not allowed for type yes_no",
    ),
    ("missing text", _del(_q(GOV), "text"), f"question {GOV}", "missing required key 'text'"),
    ("unknown type", _set(_q(GOV), "type", "slider"), f"question {GOV}", "type must be one of"),
    (
        "area id as number",
        lambda raw: raw["challenge_areas"][0].__setitem__("id", 5.1),
        "challenge area 5.1",
        'id must be a text (got 5.1; quote it: "5.1")',
    ),
    (
        "when unknown field",
        _set(lambda raw: action(raw, "6.1", "process-rd"), "when", {"size": ["big"]}),
        "measure 6.1 action process-rd",
        "unknown profile field 'size'",
    ),
    (
        "when unknown option",
        _set(lambda raw: action(raw, "6.1", "process-rd"), "when", {"sector": ["mining"]}),
        "measure 6.1 action process-rd",
        "unknown option 'mining' of profile field 'sector'",
    ),
    (
        "when yes_no option",
        _set(lambda raw: action(raw, "6.3", "erp-link"), "when", {"has_erp": ["maybe"]}),
        "measure 6.3 action erp-link",
        "unknown option 'maybe'",
    ),
    (
        "when free text",
        _set(lambda raw: action(raw, "6.1", "process-rd"), "when", {"notes": ["x"]}),
        "measure 6.1 action process-rd",
        "is free text",
    ),
    (
        "when unquoted yes",
        _set(lambda raw: action(raw, "6.3", "erp-link"), "when", {"has_erp": [True]}),
        "measure 6.3 action erp-link",
        "when.has_erp[0] must be a text (got true",
    ),
    (
        "action unknown pillar",
        _set(lambda raw: action(raw, "6.1", "process-rd"), "pillar", "finance"),
        "measure 6.1 action process-rd",
        "unknown pillar 'finance'",
    ),
    (
        "duplicate action",
        _set(lambda raw: action(raw, "6.1", "lab"), "id", "budget"),
        "measure 6.1 action budget",
        "duplicate action ID 'budget'",
    ),
    (
        "no generic action",
        lambda raw: raw["measures"][1]["actions"].pop(2),
        "measure 6.2",
        "no action without `when` for from_level 2",
    ),
    (
        "only a tailored action",
        lambda raw: action(raw, "6.2", "pilot").__setitem__("when", {"sector": ["process"]}),
        "measure 6.2",
        "for from_level 0 ",
    ),
    (
        "from_level 5",
        _set(lambda raw: action(raw, "6.2", "share"), "from_level", 5),
        "measure 6.2 action share",
        "from_level must be at most 4",
    ),
    ("five top levels", lambda raw: raw["levels"].pop(), "top level", "levels must have exactly 6"),
    (
        "level 0 above 0",
        lambda raw: raw["levels"][0].__setitem__("min_score", 10),
        "level 0",
        "min_score must be 0 for level 0",
    ),
    (
        "scores not rising",
        lambda raw: raw["levels"][3].__setitem__("min_score", 30),
        "level 3",
        "min_score must be greater than the previous level's (30 <= 35)",
    ),
    (
        "levels misnumbered",
        lambda raw: raw["levels"][2].__setitem__("level", 3),
        "level 2",
        "level must be 2",
    ),
    (
        "unknown method",
        lambda raw: raw["scoring"]["overall"].__setitem__("method", "average"),
        "scoring",
        "overall.method must be one of weighted_mean, gated, minimum (got 'average')",
    ),
    (
        "threshold above 1",
        lambda raw: raw["scoring"]["pillar"].__setitem__("threshold", 1.5),
        "scoring",
        "pillar.threshold must be at most 1",
    ),
    (
        "choice profile without options",
        lambda raw: raw["profile"][0].__delitem__("options"),
        "profile field sector",
        "missing required key 'options'",
    ),
    (
        "gate level 0",
        _set(_q(GOV), "gate_level", 0),
        f"question {GOV}",
        "gate_level must be at least 1",
    ),
    (
        "gate level 6",
        _set(_q(GOV), "gate_level", 6),
        f"question {GOV}",
        "gate_level must be at most 5",
    ),
    (
        "gate level not whole",
        _set(_q(GOV), "gate_level", 2.5),
        f"question {GOV}",
        "gate_level must be a whole number",
    ),
    (
        "max_lead below 0",
        lambda raw: raw["scoring"]["overall"].__setitem__("max_lead", -1),
        "scoring",
        "overall.max_lead must be at least 0 (got -1)",
    ),
    (
        "max_lead not whole",
        lambda raw: raw["scoring"]["pillar"].__setitem__("max_lead", 0.5),
        "scoring",
        "pillar.max_lead must be a whole number",
    ),
    (
        "unknown aggregation key",
        lambda raw: raw["scoring"]["overall"].__setitem__("lead", 1),
        "scoring",
        "unknown key 'lead'",
    ),
    (
        "exclusive not a flag",
        lambda raw: question(raw, NET)["options"][0].__setitem__("exclusive", "yes"),
        f"question {NET}",
        "exclusive must be true or false",
    ),
    ("wrong format", _set(_top, "format", 2), "top level", "format must be 1 (got 2)"),
    ("bad id", _set(_top, "id", "Mini Check"), "top level", "id must be made of lower-case"),
    ("version 0", _set(_top, "version", 0), "top level", "version must be at least 1"),
    ("no questions", _set(_top, "questions", []), "top level", "questions must have at least 1"),
]


def test_the_fixture_is_valid(mini_raw: Raw) -> None:
    assert validate(mini_raw, "mini.yaml") == []


@pytest.mark.parametrize(
    ("mutate", "location", "reason"),
    [case[1:] for case in BROKEN],
    ids=[case[0] for case in BROKEN],
)
def test_broken_documents_are_refused(
    mini_raw: Raw, mutate: Callable[[Raw], None], location: str, reason: str
) -> None:
    mutate(mini_raw)
    problems = validate(mini_raw, "mini.yaml")
    assert any(p.location == location and reason in p.message for p in problems), "\n".join(
        map(str, problems)
    )
    assert all(p.file == "mini.yaml" for p in problems)


def test_problem_is_one_line() -> None:
    problem = Problem("q/1.yaml", "question tech.x", "weight must be greater than 0 (got 0)")
    assert str(problem) == "q/1.yaml: question tech.x: weight must be greater than 0 (got 0)"
    with_line = Problem("q/1.yaml", "question tech.x", "unknown key 'x'", line=12)
    assert str(with_line) == "q/1.yaml: question tech.x: unknown key 'x' (line 12)"
    assert str(Problem("q/1.yaml", "line 3", "not UTF-8 text", line=3)) == (
        "q/1.yaml: line 3: not UTF-8 text"
    )


def test_several_problems_are_reported_at_once(mini_raw: Raw) -> None:
    question(mini_raw, GOV)["weight"] = 0
    question(mini_raw, HOURS)["bands"][2]["min"] = 5
    mini_raw["typo"] = 1
    mini_raw["pillars"][0]["title"].pop("en")
    problems = validate(mini_raw, "mini.yaml")
    messages = [f"{p.location}: {p.message}" for p in problems]
    assert len(problems) >= 4, messages
    assert any("weight must be greater than 0" in m for m in messages)
    assert any("bands out of order" in m for m in messages)
    assert any("unknown key 'typo'" in m for m in messages)
    assert any(m.startswith("pillar technology: title has no 'en'") for m in messages)
    assert all("\n" not in str(p) for p in problems)


def test_a_document_that_is_not_a_mapping_is_refused() -> None:
    problems = validate(["a", "list"], "x.yaml")
    assert [p.message for p in problems] == ["the document must be a mapping, not a list"]


# --- whole files: safety and YAML line numbers ------------------------------------------------


def _only_problem(path: Any) -> Problem:
    with pytest.raises(QuestionnaireError) as caught:
        load_questionnaire(path)
    assert len(caught.value.problems) == 1, caught.value.problems
    return caught.value.problems[0]


def test_not_utf8_gives_the_line(write_file: Callable[..., Any]) -> None:
    path = write_file("latin.yaml", "format: 1\nid: caf\xe9\n".encode("latin-1"))
    problem = _only_problem(path)
    assert (problem.location, problem.message) == ("line 2", "not UTF-8 text")


def test_not_yaml_gives_the_parser_line(write_file: Callable[..., Any]) -> None:
    path = write_file("bad.yaml", "format: 1\nid: x\ntitle: {en: a\nversion: 1\n")
    problem = _only_problem(path)
    assert problem.location.startswith("line ")
    assert int(problem.location.split()[1]) >= 3
    assert "not valid YAML" in problem.message


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("- a\n- b\n", "must be a mapping, not a list"),
        ("just a sentence\n", "must be a mapping, not a str"),
        ("", "the file is empty"),
        ("a: 1\n---\nb: 2\n", "expected a single document"),
        ("a: !!python/object:os.system {}\n", "not valid YAML"),
        ("a: 2024-13-45\n", "a value cannot be read"),
    ],
)
def test_unusable_documents(write_file: Callable[..., Any], content: str, reason: str) -> None:
    problem = _only_problem(write_file("x.yaml", content))
    assert reason in problem.message
    assert "\n" not in str(problem)


def test_a_file_over_one_mebibyte_is_refused_before_parsing(
    write_file: Callable[..., Any],
) -> None:
    # not YAML at all: had it been parsed, the problem would be a parse error
    path = write_file("big.yaml", b"{[" * (MAX_BYTES // 2 + 1))
    problem = _only_problem(path)
    assert (problem.location, problem.message[:13]) == ("file", "file too big ")


def test_a_missing_file_is_one_problem(tmp_path: Any) -> None:
    problem = _only_problem(tmp_path / "nope.yaml")
    assert (problem.location, problem.message) == ("file", "no such file")


BILLION_LAUGHS = "\n".join(
    [f'a0: &a0 ["{"lol" * 3}"' + ', "lol"' * 8 + "]"]
    + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
)


def test_an_alias_bomb_is_refused_quickly(write_file: Callable[..., Any]) -> None:
    path = write_file("bomb.yaml", BILLION_LAUGHS)
    started = time.perf_counter()
    problem = _only_problem(path)
    assert time.perf_counter() - started < 2
    assert "aliases expand too far" in problem.message
    assert problem.location.startswith("line ")


def test_a_self_referring_alias_is_refused(write_file: Callable[..., Any]) -> None:
    problem = _only_problem(write_file("loop.yaml", "a: &a [1, *a]\n"))
    assert (problem.location, problem.message) == ("line 1", "alias *a refers to itself")


def test_modest_aliases_are_fine(write_file: Callable[..., Any], mini_path: Any) -> None:
    text = mini_path.read_text(encoding="utf-8")
    text = text.replace(
        "title: {en: Technology, zh: 技术}", "title: &tech {en: Technology, zh: 技术}", 1
    )
    text = text.replace("unit: {en: hours, zh: 小时}", "unit: *tech", 1)
    q = load_questionnaire(write_file("aliased.yaml", text))
    assert q.question(HOURS).unit.get("zh") == "技术"


def _line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def test_duplicate_yaml_keys_are_refused_with_their_line(
    write_file: Callable[..., Any], mini_path: Any
) -> None:
    text = mini_path.read_text(encoding="utf-8").replace(
        "    max_score: 4\n", "    max_score: 4\n    max_score: 2\n", 1
    )
    with pytest.raises(QuestionnaireError) as caught:
        load_questionnaire(write_file("dup.yaml", text))
    line = _line_of(text, "    max_score: 2")
    assert [str(p).split(": ", 1)[1] for p in caught.value.problems] == [
        f"line {line}: duplicate key 'max_score' (first on line {line - 1})"
    ]


def test_problems_carry_the_yaml_line(write_file: Callable[..., Any], mini_path: Any) -> None:
    text = mini_path.read_text(encoding="utf-8")
    text = text.replace("    weight: 2\n", "    weight: 0\n", 1)
    text = text.replace("    min: 0\n", "    min: 0\n    minimum: 3\n", 1)
    path = write_file("lines.yaml", text)
    with pytest.raises(QuestionnaireError) as caught:
        load_questionnaire(path)
    found = {(p.location, p.message, p.line) for p in caught.value.problems}
    assert found == {
        (f"question {GOV}", "weight must be greater than 0 (got 0)", _line_of(text, "weight: 0")),
        (f"question {HOURS}", "unknown key 'minimum'", _line_of(text, "minimum: 3")),
    }
    assert str(path) in str(caught.value)
