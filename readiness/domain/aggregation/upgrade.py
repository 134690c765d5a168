"""Rewrite a format-1 questionnaire as a format-2 document: the same questions as items and the
same scoring as a tree (pillars under the root, challenge areas beside it), so that the engine
scores both files alike. What format 2 does not express is listed, never dropped silently."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from readiness.domain.aggregation.legacy import tree_of
from readiness.domain.aggregation.model import Child
from readiness.domain.aggregation.model import Node
from readiness.domain.aggregation.model import Rule
from readiness.domain.export import text_dict
from readiness.domain.questionnaire import Question
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.questionnaire import Text


def _text(value: Text) -> dict[str, str]:
    return text_dict(value)


def _item(question: Question) -> dict[str, Any]:
    """A question as a format-2 item with the same points, maximum and level."""
    data: dict[str, Any] = {"id": question.id, "type": question.type, "text": _text(question.text)}
    if question.help.values:
        data["help"] = _text(question.help)
    if question.type in ("single_choice", "multiple_choice"):
        data["options"] = [
            {"id": o.id, "points": min(o.score, question.max_points), "text": _text(o.text)}
            | ({"level": o.level} if o.level is not None else {})
            | ({"exclusive": True} if o.exclusive else {})
            for o in question.options
        ]
        if question.type == "multiple_choice":
            data["cap"] = question.max_points
    if question.type == "level":
        data["levels"] = [{"level": lv.level, "text": _text(lv.text)} for lv in question.levels]
    if question.type == "number":
        data.update({"min": question.min, "max": question.max, "unit": _text(question.unit)})
        if question.symbol.values:
            data["symbol"] = _text(question.symbol)
        data["bands"] = [
            {"min": b.min, "points": b.score} | ({"level": b.level} if b.level is not None else {})
            for b in question.bands
        ]
    if question.type == "yes_no":
        data["yes_points"], data["no_points"] = (1, 0) if question.yes_scores else (0, 1)
    declared = question.type == "single_choice" and any(
        o.level is not None for o in question.options
    )
    if question.type != "level" and not declared:
        data["fraction_levels"] = 5  # format 1: a question's level is floor(fraction × 5)
    if question.not_applicable:
        data["not_applicable"] = True
    if question.dont_know:
        data["dont_know"] = True
    return data


def _child(child: Child) -> str | dict[str, Any]:
    if child.weight == 1 and child.gate_level == 1:
        return child.id
    data: dict[str, Any] = {"id": child.id}
    if child.weight != 1:
        data["weight"] = child.weight
    if child.gate_level != 1:
        data["gate_level"] = child.gate_level
    return data


def _rule(rule: Rule) -> dict[str, Any]:
    data: dict[str, Any] = {"method": rule.method, "of": rule.of}
    if rule.scale != 1:
        data["scale"] = rule.scale
    if rule.method == "gated":
        data["threshold"] = rule.threshold
    if rule.bands:
        data["bands"] = [{"level": b.level, "min": b.min} for b in rule.bands]
    if rule.max_lead is not None:
        data["max_lead"] = rule.max_lead
    if rule.cap_by:
        data["cap_by"] = list(rule.cap_by)
    return data


def _node(node: Node) -> dict[str, Any]:
    data: dict[str, Any] = {"id": node.id, "title": _text(node.title)}
    if node.description.values:
        data["description"] = _text(node.description)
    data.update(
        {
            "decimals": node.decimals,
            "children": [_child(c) for c in node.children],
            "rule": _rule(node.rule),
        }
    )
    return data


def not_carried(questionnaire: Questionnaire) -> list[str]:
    """What of the format-1 file the format-2 document does not hold (in English)."""
    lost = []
    if questionnaire.measures:
        lost.append("measures and their actions (recommendations, roadmap, action plan)")
    if questionnaire.profile:
        lost.append("the company profile")
    if any(q.dont_know for q in questionnaire.questions):
        lost.append(
            "don't-know level ranges and confidence: format 2 counts don't know as the lowest "
            "answer (the lower end of format 1's range)"
        )
    if questionnaire.previous_version is not None:
        lost.append("the map of the previous version's question IDs (previous)")
    if questionnaire.not_applicable_needs_comment:
        lost.append("not_applicable_needs_comment")
    return lost


def upgrade_document(questionnaire: Questionnaire) -> dict[str, Any]:
    """The format-2 document of a format-1 questionnaire (same IDs, same scores and levels)."""
    tree = tree_of(questionnaire)
    nodes = list(tree.nodes)
    for index, node in enumerate(nodes):  # challenge areas stay at or below their pillars
        area = questionnaire.challenge_area(node.id.removeprefix("area."))
        if node.id.startswith("area.") and area is not None and area.pillars:
            caps = tuple(f"pillar.{p}" for p in area.pillars)
            nodes[index] = replace(node, rule=replace(node.rule, cap_by=caps))
    data: dict[str, Any] = {
        "format": 2,
        "id": questionnaire.id,
        "version": questionnaire.version,
        "languages": list(questionnaire.languages),
        "title": _text(questionnaire.title),
        "description": _text(questionnaire.description),
    }
    if questionnaire.source.values:
        data["source"] = _text(questionnaire.source)
    data["levels"] = [
        {"level": lv.level, "name": _text(lv.name), "description": _text(lv.description)}
        for lv in questionnaire.levels
    ]
    data["items"] = [_item(q) for q in questionnaire.questions]
    data["nodes"] = [_node(n) for n in nodes]
    data["root"] = tree.root
    data["sections"] = [f"pillar.{p.id}" for p in questionnaire.pillars]
    return data
