"""Loading: files and mappings become frozen Questionnaire objects; directories load per file."""

from __future__ import annotations

import copy
import dataclasses
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from readiness.domain.export import questionnaire_to_dict
from readiness.domain.loading import from_mapping
from readiness.domain.loading import load_questionnaire
from readiness.domain.loading import load_questionnaires
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.reading import parse_yaml
from readiness.domain.validation import QuestionnaireError

MINI_RAW = yaml.safe_load((Path(__file__).parent / "data" / "mini.yaml").read_text("utf-8"))


def test_load_builds_the_whole_model(mini_path: Path) -> None:
    q = load_questionnaire(mini_path)
    assert (q.key, q.languages, q.path) == ("mini@1", ("en", "zh"), str(mini_path))
    assert q.title.get("zh") == "迷你成熟度检查"
    assert [lv.min_score for lv in q.levels] == [0, 15, 35, 55, 75, 90]
    assert q.level(2).name.get("zh") == "规范级"
    assert (q.scoring.pillar.method, q.scoring.pillar.threshold) == ("gated", 0.8)
    assert q.scoring.overall.method == "weighted_mean"
    assert (q.scoring.confidence_high, q.scoring.confidence_medium) == (0.9, 0.7)
    assert [(p.id, p.weight) for p in q.pillars] == [
        ("technology", 1.0),
        ("data", 2.0),
        ("infrastructure", 1.0),
        ("talent", 1.0),
    ]
    assert [(a.id, a.measure) for a in q.challenge_areas] == [
        ("5.1", "6.1"),
        ("5.2", "6.2"),
        ("5.3", "6.3"),
        ("5.4", "6.4"),
    ]
    assert [q.measure(m).paper for m in ("6.1", "6.4")] == ["6.1", "6.4"]
    assert [q.id for q in q.questions_of("technology")] == ["technology.rd", "technology.patents"]


def test_load_builds_each_question_type(mini_path: Path) -> None:
    q = load_questionnaire(mini_path)
    rd = q.question("technology.rd")
    assert (rd.type, rd.dont_know, rd.not_applicable, rd.max_points) == ("level", True, False, 5)
    assert [d.level for d in rd.levels] == [0, 1, 2, 3, 4, 5]
    gov = q.question("data.governance")
    assert dict(gov.challenge_areas) == {"5.2": 2.0, "5.3": 1.0}
    assert (gov.weight, gov.max_score, gov.help.get("en")) == (
        2.0,
        4.0,
        "Think of production data.",
    )
    assert gov.option("owner_named").score == 4.0
    network = q.question("infrastructure.network")
    assert (network.not_applicable, [o.id for o in network.options]) == (
        True,
        ["wired", "wifi", "fiveg"],
    )
    hours = q.question("talent.training_hours")
    assert (hours.min, hours.max, hours.unit.get("zh"), hours.max_points) == (0, 1000, "小时", 3)
    assert [(b.min, b.score) for b in hours.bands] == [(0, 0), (8, 1), (24, 2), (40, 3)]
    patents = q.question("technology.patents")
    assert (patents.yes_scores, patents.evidence, patents.max_points) == (True, False, 1.0)


def test_load_builds_actions_and_profile(mini_path: Path) -> None:
    q = load_questionnaire(mini_path)
    tailored = next(a for a in q.measure("6.1").actions if a.id == "process-rd")
    assert (tailored.from_level, tailored.pillar, dict(tailored.when)) == (
        0,
        "technology",
        {"sector": ("process",)},
    )
    assert tailored.applies_to({"sector": "process"}) and not tailored.applies_to({})
    erp = next(a for a in q.measure("6.3").actions if a.id == "erp-link")
    assert erp.applies_to({"has_erp": True}) and not erp.applies_to({"has_erp": False})
    assert [(f.id, f.type, len(f.options)) for f in q.profile] == [
        ("sector", "single_choice", 2),
        ("has_erp", "yes_no", 0),
        ("notes", "text", 0),
    ]


def test_the_model_is_frozen(mini_path: Path) -> None:
    q = load_questionnaire(mini_path)
    with pytest.raises(dataclasses.FrozenInstanceError):
        q.id = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        q.question("data.governance").challenge_areas["5.2"] = 9  # type: ignore[index]


def test_from_mapping_equals_loading_the_file(mini_path: Path, mini_raw: dict[str, Any]) -> None:
    from_file = load_questionnaire(mini_path)
    built = from_mapping(mini_raw, str(mini_path))
    assert questionnaire_to_dict(built) == questionnaire_to_dict(from_file)


def test_from_mapping_raises_with_every_problem(mini_raw: dict[str, Any]) -> None:
    mini_raw["questions"][0]["weight"] = 0
    mini_raw["pillars"][0]["id"] = "Tech"
    with pytest.raises(QuestionnaireError) as caught:
        from_mapping(mini_raw, "in-memory")
    assert len(caught.value.problems) >= 2
    assert all(p.file == "in-memory" for p in caught.value.problems)
    assert str(caught.value).count("\n") == len(caught.value.problems) - 1


def _catalogue_dir(root: Path, mini_path: Path) -> Path:
    """A directory with one good questionnaire, one broken file and one misnamed file."""
    (root / "mini").mkdir()
    shutil.copy(mini_path, root / "mini" / "1.yaml")
    text = mini_path.read_text(encoding="utf-8").replace("version: 1", "version: 2", 1)
    (root / "mini" / "2.yaml").write_text(text, encoding="utf-8")
    (root / "broken").mkdir()
    (root / "broken" / "1.yaml").write_text("format: 1\nid: [\n", encoding="utf-8")
    (root / "mini" / "3.yaml").write_text(text, encoding="utf-8")  # says version 2
    (root / "notes.yaml").write_text("not: in a questionnaire folder\n", encoding="utf-8")
    return root


def test_load_questionnaires_skips_broken_files(tmp_path: Path, mini_path: Path) -> None:
    result = load_questionnaires(_catalogue_dir(tmp_path, mini_path))
    assert [q.key for q in result.questionnaires] == ["mini@1", "mini@2"]
    problems = sorted(
        (Path(p.file).relative_to(tmp_path).as_posix(), p.message) for p in result.problems
    )
    assert [file for file, _ in problems] == ["broken/1.yaml", "mini/3.yaml"]
    assert "not valid YAML" in problems[0][1]
    assert problems[1][1] == "id and version say the file must be mini/2.yaml"


def test_load_questionnaires_of_an_empty_directory(tmp_path: Path) -> None:
    result = load_questionnaires(tmp_path)
    assert (result.questionnaires, result.problems) == ((), ())


# --- properties: nothing but QuestionnaireError ever escapes ----------------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-10, 10)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside a document."""
    found = [path] if path else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*path, index))
    return found


PATHS = _paths(MINI_RAW)


@st.composite
def mutated_documents(draw: st.DrawFn) -> dict[str, Any]:
    """The mini questionnaire with a few values replaced by random ones or removed."""
    raw = copy.deepcopy(MINI_RAW)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS))
        parent: Any = raw
        try:
            for part in path[:-1]:
                parent = parent[part]
            if draw(st.booleans()):
                parent[path[-1]] = draw(JSON_VALUES)
            elif isinstance(parent, dict):
                del parent[path[-1]]
            else:
                parent.pop(path[-1])
        except (KeyError, IndexError, TypeError, AttributeError):
            continue  # an earlier mutation removed or replaced this path (e.g. by a scalar)
    return raw


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_documents())
def test_a_mutated_document_loads_or_raises_questionnaire_error(raw: dict[str, Any]) -> None:
    try:
        q = from_mapping(raw, "mutated.yaml")
    except QuestionnaireError as exc:
        assert exc.problems
        assert all("\n" not in str(p) and p.file == "mutated.yaml" for p in exc.problems)
    else:
        assert isinstance(q, Questionnaire)
        questionnaire_to_dict(q)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200).map(lambda s: s.encode("utf-8")))
def test_random_bytes_parse_or_raise_questionnaire_error(data: bytes) -> None:
    try:
        result = parse_yaml(data, "random.yaml")
    except QuestionnaireError as exc:
        assert len(exc.problems) == 1
    else:
        assert isinstance(result.data, dict)


@settings(max_examples=60, deadline=None)
@given(mutated_documents())
def test_a_mutated_file_loads_or_raises_questionnaire_error(
    tmp_path_factory: pytest.TempPathFactory, raw: dict[str, Any]
) -> None:
    path = tmp_path_factory.mktemp("mutated") / "1.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    try:
        load_questionnaire(path)
    except QuestionnaireError as exc:
        assert all(p.line is None or p.line >= 1 for p in exc.problems)


def test_gate_level_max_lead_and_exclusive_load_and_export(mini_raw: dict[str, Any]) -> None:
    network = next(q for q in mini_raw["questions"] if q["id"] == "infrastructure.network")
    network["gate_level"] = 3
    network["options"][2]["exclusive"] = True
    mini_raw["scoring"]["overall"]["max_lead"] = 1
    built = from_mapping(mini_raw, "in-memory")
    question = built.question("infrastructure.network")
    assert question.gate_level == 3 and built.question("technology.rd").gate_level == 1
    assert [o.exclusive for o in question.options] == [False, False, True]
    assert (built.scoring.overall.max_lead, built.scoring.pillar.max_lead) == (1, None)
    exported = {q["id"]: q for q in questionnaire_to_dict(built)["questions"]}
    assert exported["infrastructure.network"]["gate_level"] == 3
    assert [o["exclusive"] for o in exported["infrastructure.network"]["options"]] == [
        False,
        False,
        True,
    ]
