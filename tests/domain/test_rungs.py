"""Rungs state one capability each: a lint of the flagship's level and single-choice ladders.

"Choose the highest level whose statements all hold" only works when a rung does not bundle
several independent conditions (a firm that meets two of three cannot answer honestly). The
lint below flags a rung whose text, outside parentheses (examples and lists), joins clauses
with "and", "but", "while" or ";" (English) or with "，", "；", "并", "但", "且", "同时"
(Chinese), beyond a small allow-list of fixed noun phrases. Version 2 must pass; version 1 is
the "before" picture, kept untouched, and must be flagged, so the lint is known to bite.
"""

from __future__ import annotations

import re

import pytest

from readiness.domain.loading import load_questionnaire
from readiness.domain.questionnaire import Questionnaire
from tests.paths import QUESTIONNAIRES

FLAGSHIP = QUESTIONNAIRES / "smart-manufacturing-readiness"
V1 = load_questionnaire(FLAGSHIP / "1.yaml")
V2 = load_questionnaire(FLAGSHIP / "2.yaml")

EN_JOINERS = (";", " and ", " but ", " while ", " as well as ", " also ")
ZH_JOINERS = ("；", "，", "并", "但", "且", "同时")
# fixed noun phrases, not a second condition
EN_ALLOWED = ("cloud and edge",)
ZH_ALLOWED = ("合并",)
PARENTHESES = re.compile(r"\([^)]*\)|（[^）]*）")


def bundled(text: str, lang: str) -> list[str]:
    """The clause joiners a rung's text uses outside parentheses and the allow-list."""
    bare = PARENTHESES.sub("", text)
    bare = bare.lower() if lang == "en" else bare
    for phrase in EN_ALLOWED if lang == "en" else ZH_ALLOWED:
        bare = bare.replace(phrase, "")
    return [j for j in (EN_JOINERS if lang == "en" else ZH_JOINERS) if j in bare]


def rungs(questionnaire: Questionnaire) -> list[tuple[str, str, str, str]]:
    """(question ID, rung, language, text) of every level rung and single-choice option."""
    found = []
    for question in questionnaire.questions:
        if question.type == "level":
            ladder = [(str(d.level), d.text) for d in question.levels]
        elif question.type == "single_choice":
            ladder = [(o.id, o.text) for o in question.options]
        else:
            continue
        for rung, text in ladder:
            found += [(question.id, rung, lang, text.values[lang]) for lang in ("en", "zh")]
    return found


def test_no_rung_of_version_2_bundles_conditions() -> None:
    flagged = [
        f"{qid} {rung} {lang}: {joiners} in {text!r}"
        for qid, rung, lang, text in rungs(V2)
        if (joiners := bundled(text, lang))
    ]
    assert flagged == [], "\n".join(flagged)


def test_the_lint_flags_the_bundled_rungs_of_version_1() -> None:
    flagged = {(qid, rung) for qid, rung, lang, text in rungs(V1) if bundled(text, lang)}
    # version 1 (kept as it was, for comparison) bundles conditions in most ladders
    assert len(flagged) >= 60
    assert ("technology.roadmap", "3") in flagged  # "linked to goals, …, and reviewed yearly"


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Firewalls allow only listed connections and are reviewed every year.", "en", [" and "]),
        ("Cloud and edge resources are planned together.", "en", []),
        ("Design data flow into CAM (models, BOMs and recipes).", "en", []),
        ("A plan exists; it is reviewed.", "en", [";"]),
        ("网络分区之间的防火墙只放行清单内的连接，并每年复查。", "zh", ["，", "并"]),
        ("检验结果与每个批次的工艺数据相关联（批次、序列号，并记录）。", "zh", []),
    ],
)
def test_the_lint_reads_joiners_outside_parentheses(text, lang, expected) -> None:
    assert bundled(text, lang) == expected


def test_the_level_instruction_is_in_both_languages() -> None:
    assert "choose the highest level whose statements all hold" in V2.description.values["en"]
    assert "完全符合其全部表述的最高等级" in V2.description.values["zh"]
    assert "each level adds one thing to the level below" in V2.description.values["en"]
    assert "每一级都在下一级的基础上增加一项" in V2.description.values["zh"]
