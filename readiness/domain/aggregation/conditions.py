"""Which conditions of a node's level rules hold: what each asks, what the answers give."""

from __future__ import annotations

from typing import Any

from readiness.domain.aggregation.model import Condition
from readiness.domain.aggregation.model import Instrument
from readiness.domain.aggregation.outcomes import TreeResult
from readiness.domain.aggregation.rules import EPSILON


def _title(instrument: Instrument, part_id: str, lang: str) -> str:
    """A node's title or an item's text in `lang` (else the ID)."""
    node = instrument.node(part_id)
    if node is not None:
        return node.title.get(lang)
    item = instrument.item(part_id)
    return item.text.get(lang) if item is not None else part_id


def _members(instrument: Instrument, name: str) -> tuple[str, ...]:
    """A set's members, or a node's children."""
    if name in instrument.sets:
        return instrument.sets[name]
    node = instrument.node(name)
    return tuple(c.id for c in node.children) if node is not None else ()


def _condition(
    instrument: Instrument,
    result: TreeResult,
    node_id: str,
    level: int,
    condition: Condition,
    lang: str,
) -> dict[str, Any]:
    """One condition with its required and actual values and whether it holds."""
    if condition.kind == "points":
        own = instrument.node(node_id)
        target = condition.node or (own.rule.value_of if own is not None else None) or node_id
        outcome = result.get(target)
        actual = None if outcome is None else outcome.value
        return {
            "kind": "points",
            "node": target,
            "title": _title(instrument, target, lang),
            "at_least": condition.at_least,
            "actual": actual,
            "display": None if outcome is None else outcome.display,
            "holds": actual is not None and actual + EPSILON >= condition.at_least,
        }
    needed = level if condition.level is None else condition.level
    within = condition.within or ""
    members = []
    for member in _members(instrument, within):
        outcome = result.get(member)
        reached = outcome.level if outcome is not None else None
        members.append(
            {
                "id": member,
                "title": _title(instrument, member, lang),
                "level": reached,
                "meets": reached is not None and reached >= needed,
            }
        )
    count = sum(m["meets"] for m in members)
    return {
        "kind": "count",
        "within": within,
        "title": None if within in instrument.sets else _title(instrument, within, lang),
        "level": needed,
        "at_least": condition.at_least,
        "actual": count,
        "of": len(members),
        "members": members,
        "holds": count + EPSILON >= condition.at_least,
    }


def level_conditions(
    instrument: Instrument, result: TreeResult, lang: str, node_id: str | None = None
) -> list[dict[str, Any]]:
    """For each level rule of a node (default: the root), lowest first: the level, its name,
    whether the node reached it, and every condition with what it needs and what holds."""
    node = instrument.node(node_id or instrument.root)
    if node is None or not node.rule.levels:
        return []
    reached = result.nodes[node.id].level
    found = []
    for rule in sorted(node.rule.levels, key=lambda r: r.level):
        declared = instrument.level(rule.level)
        conditions = [
            _condition(instrument, result, node.id, rule.level, c, lang) for c in rule.conditions
        ]
        found.append(
            {
                "level": rule.level,
                "name": declared.name.get(lang) if declared is not None else str(rule.level),
                "reached": reached is not None and reached >= rule.level,
                "all_hold": all(c["holds"] for c in conditions),
                "conditions": conditions,
                "unverified": rule.note.get(lang) if rule.note.values else None,
            }
        )
    return found
