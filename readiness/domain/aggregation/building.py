"""Building an Instrument from a format-2 document that the validator found no problem in."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from readiness.domain.aggregation.model import Band
from readiness.domain.aggregation.model import Child
from readiness.domain.aggregation.model import Condition
from readiness.domain.aggregation.model import Instrument
from readiness.domain.aggregation.model import InstrumentLevel
from readiness.domain.aggregation.model import Item
from readiness.domain.aggregation.model import ItemOption
from readiness.domain.aggregation.model import LevelRule
from readiness.domain.aggregation.model import Node
from readiness.domain.aggregation.model import NumberBand
from readiness.domain.aggregation.model import Recommendation
from readiness.domain.aggregation.model import Rule
from readiness.domain.questionnaire import EMPTY_TEXT
from readiness.domain.questionnaire import LevelDescription
from readiness.domain.questionnaire import Text


def text(value: Mapping[str, str] | None) -> Text:
    """A Text from a language -> string mapping (EMPTY_TEXT when absent)."""
    if not value:
        return EMPTY_TEXT
    return Text(MappingProxyType(dict(value)))


def build_instrument(raw: Mapping[str, Any], source: str | None = None) -> Instrument:
    """The frozen Instrument of a valid format-2 document."""
    return Instrument(
        id=raw["id"],
        version=raw["version"],
        languages=tuple(raw["languages"]),
        title=text(raw["title"]),
        description=text(raw.get("description")),
        source=text(raw.get("source")),
        notes=tuple(text(n) for n in raw.get("notes", ())),
        levels=tuple(
            InstrumentLevel(lv["level"], text(lv["name"]), text(lv.get("description")))
            for lv in raw.get("levels", ())
        ),
        sets=MappingProxyType({k: tuple(v) for k, v in raw.get("sets", {}).items()}),
        items=tuple(_item(i) for i in raw["items"]),
        nodes=tuple(_node(n) for n in raw["nodes"]),
        root=raw["root"],
        path=source,
        sections=tuple(raw.get("sections", ())),
    )


def _item(raw: Mapping[str, Any]) -> Item:
    """An Item of any type."""
    cap = raw.get("cap")
    return Item(
        id=raw["id"],
        type=raw["type"],
        text=text(raw["text"]),
        help=text(raw.get("help")),
        options=tuple(
            ItemOption(
                o["id"],
                text(o["text"]),
                float(o.get("points", 0)),
                o.get("level"),
                o.get("exclusive", False),
            )
            for o in raw.get("options", ())
        ),
        cap=None if cap is None else float(cap),
        levels=tuple(
            LevelDescription(lv["level"], text(lv["text"])) for lv in raw.get("levels", ())
        ),
        yes_points=float(raw.get("yes_points", 1)),
        no_points=float(raw.get("no_points", 0)),
        fraction_levels=raw.get("fraction_levels"),
        not_applicable=raw.get("not_applicable", False),
        dont_know=raw.get("dont_know", False),
        note=text(raw.get("unverified")),
        bands=tuple(
            NumberBand(float(b["min"]), float(b["points"]), b.get("level"))
            for b in raw.get("bands", ())
        ),
        min=None if raw.get("min") is None else float(raw["min"]),
        max=None if raw.get("max") is None else float(raw["max"]),
        unit=text(raw.get("unit")),
        symbol=text(raw.get("symbol")),
    )


def child(raw: str | Mapping[str, Any]) -> Child:
    """A child reference: an ID, or `{id, weight?, gate_level?, level?}`."""
    if isinstance(raw, str):
        return Child(raw)
    return Child(raw["id"], float(raw.get("weight", 1)), raw.get("gate_level", 1), raw.get("level"))


def _condition(raw: Mapping[str, Any]) -> Condition:
    """One condition of a level rule: `{points_at_least, node?}` or `{count_at_least, within,
    level?}`."""
    if "points_at_least" in raw:
        return Condition("points", float(raw["points_at_least"]), node=raw.get("node"))
    return Condition(
        "count", float(raw["count_at_least"]), within=raw["within"], level=raw.get("level")
    )


def rule(raw: Mapping[str, Any]) -> Rule:
    """A Rule from its mapping."""
    cap = raw.get("cap")
    return Rule(
        method=raw["method"],
        of=raw.get("of", "fraction" if raw["method"] == "gated" else "value"),
        scale=float(raw.get("scale", 1)),
        cap=None if cap is None else float(cap),
        threshold=float(raw.get("threshold", 0.8)),
        top_level=raw.get("top_level", 5),
        partial=raw.get("partial", True),
        bands=tuple(Band(b["level"], float(b["min"])) for b in raw.get("bands", ())),
        levels=tuple(
            LevelRule(
                lv["level"],
                tuple(_condition(c) for c in lv["all"]),
                text(lv.get("unverified")),
            )
            for lv in raw.get("levels", ())
        ),
        max_lead=raw.get("max_lead"),
        value_of=raw.get("value_of"),
        cap_by=tuple(raw.get("cap_by", ())),
    )


def _node(raw: Mapping[str, Any]) -> Node:
    """A Node with its children, rule and recommendations."""
    return Node(
        id=raw["id"],
        title=text(raw["title"]),
        description=text(raw.get("description")),
        children=tuple(child(c) for c in raw["children"]),
        rule=rule(raw["rule"]),
        decimals=raw.get("decimals", 2),
        recommendations=tuple(
            Recommendation(r["id"], text(r["text"]), r.get("below_level"), r.get("below_value"))
            for r in raw.get("recommendations", ())
        ),
        note=text(raw.get("unverified")),
    )
