"""Format 1 read as a tree: pillars and challenge areas become nodes over the questions.

A format-1 questionnaire is the two-tier special case of the tree: the root `overall` has one
node per pillar (`pillar.<id>`) whose children are the pillar's questions; each challenge area is
a node (`area.<id>`) outside the root's subtree over the questions mapped to it (weight × mapping
weight). Each node gets the format-1 rule of its tier: `weighted_mean` → weighted mean of the
question fractions × 100 with the levels' `min_score` as bands; `gated` → share-gated levels
(threshold, gate_level, max_lead); `minimum` → the lowest part. Question outcomes are computed
by the format-1 scoring functions themselves, so points, fractions and levels stay as they are.
"""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

from readiness.domain.aggregation.engine import evaluate_node
from readiness.domain.aggregation.engine import evaluate_outcomes
from readiness.domain.aggregation.model import Band
from readiness.domain.aggregation.model import Child
from readiness.domain.aggregation.model import Instrument
from readiness.domain.aggregation.model import InstrumentLevel
from readiness.domain.aggregation.model import Item
from readiness.domain.aggregation.model import Node
from readiness.domain.aggregation.model import Rule
from readiness.domain.aggregation.outcomes import Outcome
from readiness.domain.aggregation.outcomes import TreeResult
from readiness.domain.answers import DONT_KNOW
from readiness.domain.answers import NOT_APPLICABLE
from readiness.domain.answers import AnswerSet
from readiness.domain.answers import points
from readiness.domain.answers import question_level
from readiness.domain.questionnaire import Aggregation
from readiness.domain.questionnaire import Questionnaire


def _rule(aggregation: Aggregation, questionnaire: Questionnaire, of: str, scale: float) -> Rule:
    """The tree rule of a format-1 aggregation (levels from the questionnaire's bands)."""
    bands = tuple(Band(lv.level, lv.min_score) for lv in questionnaire.levels)
    if aggregation.method == "minimum":
        return Rule("minimum", of=of, scale=scale)
    if aggregation.method == "gated":
        return Rule(
            "gated",
            of=of,
            scale=scale,
            threshold=aggregation.threshold,
            max_lead=aggregation.max_lead,
        )
    return Rule("weighted_mean", of=of, scale=scale, bands=bands, max_lead=aggregation.max_lead)


def tree_of(questionnaire: Questionnaire) -> Instrument:
    """The tree a format-1 questionnaire stands for."""
    rules = questionnaire.scoring
    nodes = [
        Node(
            "overall",
            questionnaire.title,
            tuple(Child(f"pillar.{p.id}", p.weight) for p in questionnaire.pillars),
            _rule(rules.overall, questionnaire, "value", 1.0),
            decimals=1,
        )
    ]
    for pillar in questionnaire.pillars:
        children = tuple(
            Child(q.id, q.weight, q.gate_level) for q in questionnaire.questions_of(pillar.id)
        )
        rule = _rule(rules.pillar, questionnaire, "fraction", 100.0)
        nodes.append(Node(f"pillar.{pillar.id}", pillar.title, children, rule, decimals=1))
    for area in questionnaire.challenge_areas:
        children = tuple(
            Child(q.id, q.weight * q.challenge_areas[area.id], q.gate_level)
            for q in questionnaire.questions
            if area.id in q.challenge_areas
        )
        rule = _rule(rules.challenge_area, questionnaire, "fraction", 100.0)
        nodes.append(Node(f"area.{area.id}", area.title, children, rule, decimals=1))
    return Instrument(
        id=questionnaire.id,
        version=questionnaire.version,
        languages=questionnaire.languages,
        title=questionnaire.title,
        description=questionnaire.description,
        items=tuple(Item(q.id, q.type, q.text) for q in questionnaire.questions),
        nodes=tuple(nodes),
        root="overall",
        levels=tuple(
            InstrumentLevel(lv.level, lv.name, lv.description) for lv in questionnaire.levels
        ),
        source=questionnaire.source,
        format=1,
        path=questionnaire.path,
    )


def question_outcomes(questionnaire: Questionnaire, answers: AnswerSet) -> dict[str, Outcome]:
    """Each question's outcome as format 1 scores it (not applicable: no value)."""
    found = {}
    for question in questionnaire.questions:
        value = answers.get(question.id)
        if value is NOT_APPLICABLE:
            found[question.id] = Outcome(
                question.id, None, question.max_points, None, "not_applicable"
            )
            continue
        status = (
            "unanswered" if value is None else "dont_know" if value is DONT_KNOW else "answered"
        )
        found[question.id] = Outcome(
            question.id,
            points(question, value),
            question.max_points,
            question_level(question, value),
            status,
        )
    return found


def _unknown_left_out(outcome: Outcome) -> Outcome:
    """A "don't know" outcome as not applicable: version 2 reads gated levels without them."""
    if outcome.status != "dont_know":
        return outcome
    return replace(outcome, value=None, level=None, status="not_applicable")


def evaluate_format_1(questionnaire: Questionnaire, answers: AnswerSet) -> TreeResult:
    """A format-1 questionnaire's answers evaluated by the tree engine, with the same level range
    as format-1 scoring: each node's `level` counts only known answers where the rule is gated
    (else unknowns count as the lowest answer), `level_low` counts every unknown as the lowest
    answer, and a challenge area's levels stay at or below those of its `pillars`."""
    tree = tree_of(questionnaire)
    items = question_outcomes(questionnaire, answers)
    low = evaluate_outcomes(tree, items)  # values; levels with unknowns counted lowest
    known = evaluate_outcomes(tree, {k: _unknown_left_out(o) for k, o in items.items()})
    upper: dict[str, int | None] = {}
    lowest: dict[str, int | None] = {}
    for node in tree.nodes:
        if node.id == tree.root:
            continue
        floor = low.nodes[node.id].level
        level = known.nodes[node.id].level if node.rule.method == "gated" else floor
        upper[node.id] = floor if level is None else level
        lowest[node.id] = floor
    for area in questionnaire.challenge_areas:
        key = f"area.{area.id}"
        caps = [
            (upper[f"pillar.{p}"], lowest[f"pillar.{p}"])
            for p in area.pillars
            if low.nodes.get(f"pillar.{p}") is not None and low.nodes[f"pillar.{p}"].applicable
        ]
        if caps and upper[key] is not None:
            upper[key] = min(upper[key], *(c[0] for c in caps))
            lowest[key] = min(lowest[key], *(c[1] for c in caps), upper[key])
    root = tree.node(tree.root)
    pillars = {k: replace(v, level=upper.get(k, v.level)) for k, v in low.nodes.items()}
    upper[tree.root] = evaluate_node(root, pillars).level  # from the pillars' upper levels
    lowest[tree.root] = low.nodes[tree.root].level  # from their lowest levels
    nodes = {
        k: replace(
            o,
            level=upper[k],
            level_low=lowest[k] if lowest[k] is not None and lowest[k] != upper[k] else None,
        )
        for k, o in low.nodes.items()
    }
    return TreeResult(tree.root, low.items, MappingProxyType(nodes))
