"""The format-2 validator explains tree mistakes with file, place and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from readiness.domain.loading import load_any
from readiness.domain.loading import load_instrument
from readiness.domain.loading import load_questionnaire
from readiness.domain.problems import QuestionnaireError
from tests.paths import ROOT

BASE = (Path(__file__).resolve().parents[1] / "instruments" / "level-rules.yaml").read_text()


def problems_of(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QuestionnaireError) as caught:
        load_instrument(path)
    return [str(p).removeprefix(f"{tmp_path}/") for p in caught.value.problems]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (  # a cycle: scenarios -> overall -> scenarios
            "children: [s1, s2, s3, s4]",
            "children: [s1, s2, s3, s4, overall]",
            "x.yaml: node overall: cycle: overall → scenarios → overall (line 41)",
        ),
        (
            "children: [p1, p2]",
            "children: []",
            "x.yaml: node score: a node needs at least one child (line 61)",
        ),
        (
            "{count_at_least: 1, within: mandatory}",
            "{count_at_least: 1, within: must_have}",
            "x.yaml: node overall: rule.levels[0].all[2].within: names an unknown set or node "
            "'must_have' (line 50)",
        ),
        (
            "children: [p1, p2]",
            "children: [p1, p3]",
            "x.yaml: node score: children[1]: unknown child 'p3' (neither an item nor a node) "
            "(line 61)",
        ),
        (
            "value_of: score",
            "value_of: scores",
            "x.yaml: node overall: rule.value_of: names an unknown node 'scores' (line 44)",
        ),
        ("root: overall", "root: top", "x.yaml: top level: root: names an unknown node 'top'"),
        (
            "  mandatory: [s1, s2]",
            "  mandatory: [s1, s9]",
            "x.yaml: top level: sets.mandatory[1]: names an unknown item or node 's9' (line 13)",
        ),
        (
            "- {level: 3, name: {en: Level 3}}",
            "",
            "x.yaml: node overall: rule.levels[2]: level 3 is not declared",
        ),
        (
            "rule: {method: sum}",
            "rule: {method: average}",
            "x.yaml: node score: rule.method must be one of weighted_mean, weighted_sum, sum, "
            "minimum, gated, cumulative, level_rules (got 'average')",
        ),
    ],
)
def test_tree_mistakes_are_explained(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in BASE
    found = problems_of(tmp_path, BASE.replace(old, new, 1))
    assert any(p.startswith(expected.split(" (line")[0]) for p in found), found
    if "(line" in expected:
        assert expected in found, found


def test_cumulative_children_need_their_level(tmp_path: Path) -> None:
    text = (Path(__file__).resolve().parents[1] / "instruments" / "cumulative.yaml").read_text()
    found = problems_of(tmp_path, text.replace("{id: r5a, level: 5}", "r5a"))
    assert any(
        "children[7]: under a cumulative rule every child needs its level" in p for p in found
    )


def test_format_1_files_load_unchanged_and_format_2_is_told_apart() -> None:
    flagship = ROOT / "readiness" / "questionnaires" / "smart-manufacturing-readiness" / "1.yaml"
    assert load_any(flagship) == load_questionnaire(flagship)
    with pytest.raises(QuestionnaireError, match="must be 2"):
        load_instrument(flagship)


def test_a_note_without_a_translation_is_refused(tmp_path: Path) -> None:
    text = (Path(__file__).resolve().parents[1] / "instruments" / "points.yaml").read_text()
    text = text.replace("languages: [en]", "languages: [en, zh]").replace(
        "title: {en: Points conformance}",
        "title: {en: Points conformance, zh: 计分}\nnotes:\n  - {en: Only English}",
    )
    found = problems_of(tmp_path, text)
    assert any("notes[0] has no 'zh' translation" in p for p in found), found
