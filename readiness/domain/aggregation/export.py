"""A format-2 instrument as plain JSON-ready data (for `readiness questionnaire export`)."""

from __future__ import annotations

from typing import Any

from readiness.domain.aggregation.model import Instrument
from readiness.domain.aggregation.model import Item
from readiness.domain.aggregation.model import Node
from readiness.domain.export import text_dict


def _item(item: Item) -> dict[str, Any]:
    data: dict[str, Any] = {"id": item.id, "type": item.type, "text": text_dict(item.text)}
    if item.help.values:
        data["help"] = text_dict(item.help)
    if item.options:
        data["options"] = [
            {"id": o.id, "points": o.points, "text": text_dict(o.text)}
            | ({"level": o.level} if o.level is not None else {})
            | ({"exclusive": True} if o.exclusive else {})
            for o in item.options
        ]
    if item.cap is not None:
        data["cap"] = item.cap
    if item.levels:
        data["levels"] = [{"level": lv.level, "text": text_dict(lv.text)} for lv in item.levels]
    if item.type == "number":
        data.update({"min": item.min, "max": item.max, "unit": text_dict(item.unit)})
        data["bands"] = [
            {"min": b.min, "points": b.points} | ({"level": b.level} if b.level is not None else {})
            for b in item.bands
        ]
    data["maximum"] = item.maximum
    if item.note.values:
        data["unverified"] = text_dict(item.note)
    return data


def _node(node: Node) -> dict[str, Any]:
    return {
        "id": node.id,
        "title": text_dict(node.title),
        "method": node.rule.method,
        "children": [c.id for c in node.children],
    }


def instrument_to_dict(instrument: Instrument) -> dict[str, Any]:
    """Everything a client needs to answer an instrument: items with their answers, the tree."""
    return {
        "id": instrument.id,
        "version": instrument.version,
        "format": 2,
        "languages": list(instrument.languages),
        "title": text_dict(instrument.title),
        "description": text_dict(instrument.description),
        "levels": [
            {
                "level": lv.level,
                "name": text_dict(lv.name),
                "description": text_dict(lv.description),
            }
            for lv in instrument.levels
        ],
        "root": instrument.root,
        "items": [_item(i) for i in instrument.items],
        "nodes": [_node(n) for n in instrument.nodes],
        "sets": {k: list(v) for k, v in instrument.sets.items()},
        "notes": [text_dict(n) for n in instrument.notes],
    }
