"""Small Questionnaire objects built from the dataclasses, and hypothesis strategies, for tests."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from collections.abc import Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

from hypothesis import strategies as st

from readiness.domain.answers import DONT_KNOW
from readiness.domain.answers import NOT_APPLICABLE
from readiness.domain.answers import AnswerSet
from readiness.domain.questionnaire import Action
from readiness.domain.questionnaire import Aggregation
from readiness.domain.questionnaire import Band
from readiness.domain.questionnaire import ChallengeArea
from readiness.domain.questionnaire import Level
from readiness.domain.questionnaire import Measure
from readiness.domain.questionnaire import Option
from readiness.domain.questionnaire import Pillar
from readiness.domain.questionnaire import ProfileField
from readiness.domain.questionnaire import Question
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.questionnaire import ScoringRules
from readiness.domain.questionnaire import Text

LEVEL_NAMES = ("Not started", "Planning", "Standardised", "Integrated", "Optimised", "Leading")
LEVEL_NAMES_ZH = ("未起步", "规划级", "规范级", "集成级", "优化级", "引领级")
MIN_SCORES = (0, 15, 35, 55, 75, 90)
AREAS = ("5.1", "5.2", "5.3", "5.4")
MEAN = Aggregation("weighted_mean")


def t(en: str, zh: str | None = None) -> Text:
    """A two-language text."""
    return Text(MappingProxyType({"en": en, "zh": zh or f"中文:{en}"}))


def levels() -> tuple[Level, ...]:
    """The six levels with the flagship-like bands 0/15/35/55/75/90."""
    return tuple(
        Level(n, MIN_SCORES[n], t(LEVEL_NAMES[n], LEVEL_NAMES_ZH[n]), t(f"level {n}"))
        for n in range(6)
    )


def q(
    qid: str,
    pillar: str,
    kind: str = "level",
    areas: Mapping[str, float] | None = None,
    weight: float = 1.0,
    **extra: Any,
) -> Question:
    """A question; `level` questions need nothing else, others pass options/bands/min/max."""
    return Question(
        id=qid,
        pillar=pillar,
        type=kind,
        text=t(f"Question {qid}?"),
        challenge_areas=MappingProxyType(dict(areas or {"5.1": 1.0})),
        weight=weight,
        **extra,
    )


def choice(qid: str, pillar: str, scores: Sequence[float], max_score: float, **kw: Any) -> Question:
    """A single-choice question with options o0, o1 … scoring `scores`."""
    options = tuple(Option(f"o{i}", t(f"option {i}"), s) for i, s in enumerate(scores))
    return q(qid, pillar, "single_choice", options=options, max_score=max_score, **kw)


def measures(extra_actions: Sequence[Action] = ()) -> tuple[Measure, ...]:
    """Measures 6.1-6.4, each with one general action per from_level 0-4 (plus `extra_actions`)."""
    result = []
    for n in range(1, 5):
        mid = f"6.{n}"
        actions = tuple(
            Action(f"m{n}-l{lv}", lv, t(f"Measure {mid} step from level {lv}")) for lv in range(5)
        )
        actions += tuple(a for a in extra_actions if a.id.startswith(f"m{n}-"))
        result.append(Measure(mid, mid, t(f"Measure {mid}"), t(f"Summary {mid}"), actions))
    return tuple(result)


def questionnaire(
    questions: Sequence[Question],
    pillars: Sequence[str | tuple[str, float]] = ("technology", "data"),
    pillar_rule: Aggregation = MEAN,
    area_rule: Aggregation = MEAN,
    overall_rule: Aggregation = MEAN,
    extra_actions: Sequence[Action] = (),
) -> Questionnaire:
    """A questionnaire around `questions` with four challenge areas and measures."""
    pillar_objs = tuple(
        Pillar(p, t(p.title()))
        if isinstance(p, str)
        else Pillar(p[0], t(p[0].title()), weight=p[1])
        for p in pillars
    )
    sector = ProfileField(
        "sector",
        "single_choice",
        t("Sector"),
        tuple(Option(o, t(o)) for o in ("process", "discrete", "mixed")),
    )
    headcount = ProfileField(
        "headcount",
        "single_choice",
        t("Headcount"),
        tuple(Option(o, t(o)) for o in ("1_49", "50_249", "250_plus")),
    )
    return Questionnaire(
        id="test",
        version=1,
        languages=("en", "zh"),
        title=t("Test questionnaire"),
        description=t("For tests"),
        levels=levels(),
        scoring=ScoringRules(pillar_rule, area_rule, overall_rule),
        pillars=pillar_objs,
        challenge_areas=tuple(ChallengeArea(a, f"6.{a[-1]}", t(f"Area {a}")) for a in AREAS),
        measures=measures(extra_actions),
        questions=tuple(questions),
        profile=(sector, headcount),
    )


def number_question(qid: str, pillar: str, **kw: Any) -> Question:
    """A number question 0-100 with bands 0→0, 10→1, 50→3, 80→4 (max 4)."""
    bands = (Band(0, 0), Band(10, 1), Band(50, 3), Band(80, 4))
    return q(qid, pillar, "number", unit=t("%"), min=0, max=100, bands=bands, **kw)


def multi_question(qid: str, pillar: str, **kw: Any) -> Question:
    """A multiple-choice question: a=2, b=2, c=1, capped at max_score 4."""
    options = (Option("a", t("A"), 2), Option("b", t("B"), 2), Option("c", t("C"), 1))
    return q(qid, pillar, "multiple_choice", options=options, max_score=4, **kw)


def worked_example() -> Questionnaire:
    """The questionnaire of docs/methodology.md §6 (worked example)."""
    automation = Question(
        id="technology.automation",
        pillar="technology",
        type="single_choice",
        text=t("Automation?"),
        challenge_areas=MappingProxyType({"5.2": 1.0}),
        options=(
            Option("none", t("None"), 0),
            Option("partial", t("Partial"), 2),
            Option("full", t("Full"), 4),
        ),
        max_score=4,
    )
    sensors = Question(
        id="data.sensors",
        pillar="data",
        type="number",
        text=t("Sensors?"),
        challenge_areas=MappingProxyType({"5.3": 1.0}),
        unit=t("%"),
        min=0,
        max=100,
        bands=(Band(0, 0), Band(20, 1), Band(50, 2), Band(80, 3)),
        dont_know=True,
    )
    return questionnaire(
        [
            q("technology.rd_spend", "technology", weight=2, areas={"5.1": 1}),
            automation,
            q("technology.cloud", "technology", "yes_no", weight=0.5, areas={"5.2": 1}),
            q("data.governance", "data", "yes_no", areas={"5.3": 1, "5.2": 0.5}),
            sensors,
            q("data.patents", "data", areas={"5.4": 1}, not_applicable=True),
        ],
        pillars=(("technology", 2.0), ("data", 1.0)),
        pillar_rule=Aggregation("gated", 0.8),
    )


METHODOLOGY = Path(__file__).resolve().parents[2] / "docs" / "methodology.md"


def doc_block(name: str) -> Any:
    """The JSON block fenced as ```json <name> in docs/methodology.md."""
    text = METHODOLOGY.read_text(encoding="utf-8")
    match = re.search(rf"```json {name}\n(.*?)```", text, re.DOTALL)
    assert match, f"docs/methodology.md has no ```json {name} block"
    return json.loads(match.group(1))


# --- hypothesis strategies: random small questionnaires and answer sets --------------------------

WM, GATED, MINIMUM = Aggregation("weighted_mean"), Aggregation("gated", 0.8), Aggregation("minimum")
KINDS = ("level", "single_choice", "multiple_choice", "number", "yes_no")
GATED_LEAD, WM_LEAD = (
    Aggregation("gated", 0.8, max_lead=1),
    Aggregation("weighted_mean", max_lead=0),
)
RULES = st.sampled_from(
    [
        WM,
        GATED,
        MINIMUM,
        Aggregation("gated", 0.5),
        Aggregation("gated", 1.0),
        GATED_LEAD,
        WM_LEAD,
        Aggregation("gated", 0.75, max_lead=0),
        Aggregation("weighted_mean", max_lead=2),
    ]
)


@st.composite
def questionnaires(draw, rule: st.SearchStrategy = RULES) -> Questionnaire:
    """A random small questionnaire of every question type, with random declared rules."""
    questions = []
    for i in range(draw(st.integers(1, 7))):
        kind = draw(st.sampled_from(KINDS))
        common = {
            "weight": draw(st.sampled_from([0.5, 1.0, 2.0, 3.0])),
            "areas": draw(
                st.dictionaries(
                    st.sampled_from(AREAS), st.sampled_from([0.5, 1.0, 2.0]), min_size=1
                )
            ),
            "not_applicable": draw(st.booleans()),
            "dont_know": draw(st.booleans()),
            "gate_level": draw(st.sampled_from([1, 1, 1, 2, 3, 4, 5])),
        }
        pillar = draw(st.sampled_from(["technology", "data"]))
        qid = f"{pillar}.q{i}"
        if kind == "single_choice":
            scores = draw(st.lists(st.sampled_from([0, 1, 2, 3]), min_size=1, max_size=4))
            questions.append(choice(qid, pillar, scores + [4], max_score=4, **common))
        elif kind == "multiple_choice":
            questions.append(multi_question(qid, pillar, **common))
        elif kind == "number":
            questions.append(number_question(qid, pillar, **common))
        else:
            questions.append(q(qid, pillar, kind, **common))
    return questionnaire(
        questions,
        pillars=(("technology", draw(st.sampled_from([1.0, 2.0]))), ("data", 1.0)),
        pillar_rule=draw(rule),
        area_rule=draw(rule),
        overall_rule=draw(rule),
    )


def possible_answers(question) -> list:
    """Every answer value worth trying for a question (None = unanswered)."""
    values: list = [None]
    if question.not_applicable:
        values.append(NOT_APPLICABLE)
    if question.dont_know:
        values.append(DONT_KNOW)
    if question.type == "level":
        values += list(range(6))
    elif question.type == "single_choice":
        values += [o.id for o in question.options]
    elif question.type == "multiple_choice":
        values += [(), ("a",), ("c",), ("a", "c"), ("a", "b"), ("a", "b", "c")]
    elif question.type == "number":
        values += [0, 5, 10, 49.5, 50, 80, 100]
    else:
        values += [True, False]
    return values


@st.composite
def scored(draw, rule: st.SearchStrategy = RULES) -> tuple[Questionnaire, AnswerSet]:
    """A random questionnaire with a random answer set."""
    qn = draw(questionnaires(rule))
    values = {}
    for question in qn.questions:
        value = draw(st.sampled_from(possible_answers(question)))
        if value is not None:
            values[question.id] = value
    return qn, AnswerSet(values)
