"""What the engine computes for each item and node: value on its native scale, level, display."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP
from decimal import Decimal
from typing import Any

ANSWERED = "answered"
UNANSWERED = "unanswered"
NOT_APPLICABLE = "not_applicable"
DONT_KNOW = "dont_know"


@dataclass(frozen=True)
class Outcome:
    """The result of an item or a node.

    `value` is full precision on the native scale (None: not applicable); `maximum` the most it
    can be; `level` the level reached (None where the rule gives none); `working` one line of how.
    """

    id: str
    value: float | None
    maximum: float | None
    level: int | None = None
    status: str = ANSWERED
    decimals: int = 2
    working: str = ""
    # the level when every "don't know" counts as the lowest answer, where it is below `level`
    # (format 1 read by the tree: the range version 2 of the flagship reports); None: no range
    level_low: int | None = None

    @property
    def applicable(self) -> bool:
        """Whether the outcome has a value (a not-applicable part is left out of its parents)."""
        return self.value is not None

    @property
    def fraction(self) -> float | None:
        """value / maximum (None when not applicable or the maximum is 0)."""
        if self.value is None or not self.maximum:
            return None
        return self.value / self.maximum

    @property
    def display(self) -> str | None:
        """The value rounded for display to the node's decimals ("1.48", "62.5")."""
        if self.value is None:
            return None
        # half up from the shortest repr, as people round: 49.175 → 49.18 (not 49.17)
        step = Decimal(1).scaleb(-self.decimals)
        text = str(Decimal(repr(self.value)).quantize(step, rounding=ROUND_HALF_UP))
        return text.rstrip("0").rstrip(".") if "." in text else text

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: full-precision value, display value, maximum, level, status."""
        return {
            "value": self.value,
            "display": self.display,
            "maximum": self.maximum,
            "level": self.level,
            "level_low": self.level_low,
            "status": self.status,
            "working": self.working,
        }


@dataclass(frozen=True)
class TreeResult:
    """Every outcome of one evaluation: items and nodes by ID, plus the root's ID."""

    root: str
    items: Mapping[str, Outcome]
    nodes: Mapping[str, Outcome]

    @property
    def overall(self) -> Outcome:
        """The root node's outcome."""
        return self.nodes[self.root]

    def get(self, part_id: str) -> Outcome | None:
        """The outcome of a node or item by ID."""
        return self.nodes.get(part_id) or self.items.get(part_id)
