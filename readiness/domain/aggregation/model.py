"""The tree model of an instrument: items (leaves), nodes with their rules, levels and sets."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from types import MappingProxyType

from readiness.domain.questionnaire import EMPTY_TEXT
from readiness.domain.questionnaire import LevelDescription
from readiness.domain.questionnaire import Text

ITEM_TYPES = ("single_choice", "multiple_choice", "level", "yes_no", "number")
METHODS = (
    "weighted_mean",
    "weighted_sum",
    "sum",
    "minimum",
    "gated",
    "cumulative",
    "level_rules",
)
QUANTITIES = ("value", "fraction", "level")  # which result of a child a rule reads


@dataclass(frozen=True)
class ItemOption:
    """An option of a choice item: its points on the instrument's scale and, optionally, a level."""

    id: str
    text: Text
    points: float = 0.0
    level: int | None = None
    exclusive: bool = False


@dataclass(frozen=True)
class NumberBand:
    """A band of a number item: answers from `min` upwards earn `points` (and `level`)."""

    min: float
    points: float
    level: int | None = None


@dataclass(frozen=True)
class Item:
    """A leaf of the tree: one question the user answers."""

    id: str
    type: str
    text: Text
    help: Text = EMPTY_TEXT
    options: tuple[ItemOption, ...] = ()
    cap: float | None = None  # multiple choice: the most points the chosen options can earn
    levels: tuple[LevelDescription, ...] = ()  # type level: what each answer level means
    yes_points: float = 1.0
    no_points: float = 0.0
    fraction_levels: int | None = None  # level = floor(fraction × n) when no option has a level
    not_applicable: bool = False
    dont_know: bool = False
    note: Text = EMPTY_TEXT  # e.g. what of this item could not be verified against its source
    bands: tuple[NumberBand, ...] = ()  # number items, in ascending `min`
    min: float | None = None  # number items: the allowed range
    max: float | None = None
    unit: Text = EMPTY_TEXT
    symbol: Text = EMPTY_TEXT

    def band(self, value: float) -> NumberBand | None:
        """A number item's band reached by `value` (the last whose `min` it reaches)."""
        reached = [b for b in self.bands if b.min <= value]
        return reached[-1] if reached else None

    def option(self, option_id: str) -> ItemOption | None:
        """The option with `option_id`, or None."""
        return next((o for o in self.options if o.id == option_id), None)

    @property
    def maximum(self) -> float:
        """The most points an answer can earn on the item's native scale."""
        if self.type == "level":
            return float(max((lv.level for lv in self.levels), default=0))
        if self.type == "yes_no":
            return max(self.yes_points, self.no_points)
        if self.type == "multiple_choice":
            total = sum(o.points for o in self.options)
            return total if self.cap is None else min(total, self.cap)
        if self.type == "number":
            return max((b.points for b in self.bands), default=0.0)
        return max((o.points for o in self.options), default=0.0)

    @property
    def minimum(self) -> float:
        """The fewest points an answer can earn."""
        if self.type == "level":
            return float(min((lv.level for lv in self.levels), default=0))
        if self.type == "yes_no":
            return min(self.yes_points, self.no_points)
        if self.type == "multiple_choice":
            return 0.0
        if self.type == "number":
            return min((b.points for b in self.bands), default=0.0)
        return min((o.points for o in self.options), default=0.0)


@dataclass(frozen=True)
class Child:
    """A node's reference to a child (item or node) with what the rule needs to know of it."""

    id: str
    weight: float = 1.0
    gate_level: int = 1  # gated: the child counts towards gates gate_level and above
    level: int | None = None  # cumulative: the level whose requirement this child is


@dataclass(frozen=True)
class Condition:
    """One condition of a level rule.

    `points`: the value of `node` (default: the rule's own node) is at least `at_least`.
    `count`: at least `at_least` members of `within` (a set name, or a node: its children) have a
    level of at least `level` (default: the level the rule is for).
    """

    kind: str
    at_least: float
    node: str | None = None
    within: str | None = None
    level: int | None = None


@dataclass(frozen=True)
class LevelRule:
    """Level `level` is reached when all conditions hold (and every lower level is reached)."""

    level: int
    conditions: tuple[Condition, ...]
    note: Text = EMPTY_TEXT


@dataclass(frozen=True)
class Band:
    """A value band: a value of at least `min` reaches `level`."""

    level: int
    min: float


@dataclass(frozen=True)
class Rule:
    """How a node combines its children (see docs/questionnaire-format.md, format 2)."""

    method: str
    of: str = "value"
    scale: float = 1.0
    cap: float | None = None
    threshold: float = 0.8
    top_level: int = 5  # gated: the highest gate
    partial: bool = True  # cumulative: add the first failing level's mean rating
    bands: tuple[Band, ...] = ()
    levels: tuple[LevelRule, ...] = ()
    max_lead: int | None = None
    value_of: str | None = None  # level_rules: take the value from this node (e.g. a points total)
    cap_by: tuple[str, ...] = ()  # the level is at most the lowest level of these nodes


@dataclass(frozen=True)
class Recommendation:
    """Advice shown for a node whose level (or value) is below a bound; None: always shown."""

    id: str
    text: Text
    below_level: int | None = None
    below_value: float | None = None


@dataclass(frozen=True)
class Node:
    """An inner node of the tree: its children, its rule and how its value is displayed."""

    id: str
    title: Text
    children: tuple[Child, ...]
    rule: Rule
    description: Text = EMPTY_TEXT
    decimals: int = 2
    recommendations: tuple[Recommendation, ...] = ()
    note: Text = EMPTY_TEXT


@dataclass(frozen=True)
class InstrumentLevel:
    """A level the instrument declares (its own number, name and meaning)."""

    level: int
    name: Text
    description: Text = EMPTY_TEXT


@dataclass(frozen=True)
class Instrument:
    """One version of an instrument as a tree: items, nodes, the root, levels and named sets."""

    id: str
    version: int
    languages: tuple[str, ...]
    title: Text
    description: Text
    items: tuple[Item, ...]
    nodes: tuple[Node, ...]
    root: str
    levels: tuple[InstrumentLevel, ...] = ()
    sets: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    source: Text = EMPTY_TEXT
    notes: tuple[Text, ...] = ()
    format: int = 2
    path: str | None = None
    sections: tuple[str, ...] = ()  # the nodes whose items form one page each when filled in

    @property
    def key(self) -> str:
        """`id@version`."""
        return f"{self.id}@{self.version}"

    def item(self, item_id: str) -> Item | None:
        """The item with `item_id`, or None."""
        return self._index()[0].get(item_id)

    def node(self, node_id: str) -> Node | None:
        """The node with `node_id`, or None."""
        return self._index()[1].get(node_id)

    def level(self, number: int) -> InstrumentLevel | None:
        """The declared level `number`, or None (also for instruments without levels)."""
        return next((lv for lv in self.levels if lv.level == number), None)

    def _index(self) -> tuple[dict[str, Item], dict[str, Node]]:
        cache = self.__dict__.get("_idx")
        if cache is None:
            cache = ({i.id: i for i in self.items}, {n.id: n for n in self.nodes})
            object.__setattr__(self, "_idx", cache)
        return cache
