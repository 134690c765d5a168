"""The engine: score the items of an instrument, then evaluate every node bottom-up."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import replace
from types import MappingProxyType

from readiness.domain.aggregation import rules
from readiness.domain.aggregation.model import Instrument
from readiness.domain.aggregation.model import Item
from readiness.domain.aggregation.model import Node
from readiness.domain.aggregation.model import Recommendation
from readiness.domain.aggregation.outcomes import ANSWERED
from readiness.domain.aggregation.outcomes import DONT_KNOW
from readiness.domain.aggregation.outcomes import NOT_APPLICABLE
from readiness.domain.aggregation.outcomes import UNANSWERED
from readiness.domain.aggregation.outcomes import Outcome
from readiness.domain.aggregation.outcomes import TreeResult
from readiness.domain.answers import DONT_KNOW as DONT_KNOW_ANSWER
from readiness.domain.answers import NOT_APPLICABLE as NOT_APPLICABLE_ANSWER

# answers of format 2: option ID, tuple of option IDs, level, bool, or one of the sentinels
NA = NOT_APPLICABLE_ANSWER
DK = DONT_KNOW_ANSWER


def item_points(item: Item, answer: object) -> float:
    """The points an answer earns on the item's native scale (multiple choice: capped sum)."""
    if item.type == "level":
        return float(answer)  # type: ignore[arg-type]
    if item.type == "yes_no":
        return item.yes_points if answer else item.no_points
    if item.type == "number":
        band = item.band(float(answer))  # type: ignore[arg-type]
        return band.points if band is not None else 0.0
    if item.type == "multiple_choice":
        total = sum(o.points for o in item.options if o.id in answer)  # type: ignore[operator]
        return total if item.cap is None else min(total, item.cap)
    option = item.option(answer)  # type: ignore[arg-type]
    return option.points if option is not None else 0.0


def item_level(item: Item, answer: object, value: float) -> int | None:
    """The level an answer reaches: a level item's answer, the highest chosen option (or reached
    band) level, or floor(fraction × fraction_levels); None when the item gives no level.

    A multiple-choice item with both option levels and `fraction_levels` takes the higher of
    the two, so that choosing one more option never lowers its level.
    """
    if item.type == "level":
        return int(answer)  # type: ignore[call-overload]
    by_fraction = None
    if item.fraction_levels is not None:
        by_fraction = rules.floor_level(
            value / item.maximum if item.maximum else 0.0, item.fraction_levels
        )
    if item.type == "number":
        if any(b.level is not None for b in item.bands):
            reached = [b.level or 0 for b in item.bands if b.min <= float(answer)]  # type: ignore[arg-type]
            return max(reached, default=0)
        return by_fraction
    chosen = []
    if item.type == "single_choice":
        option = item.option(answer)  # type: ignore[arg-type]
        chosen = [option] if option is not None else []
    elif item.type == "multiple_choice":
        chosen = [o for o in item.options if o.id in answer]  # type: ignore[operator]
    if any(o.level is not None for o in item.options):
        declared = max((o.level or 0 for o in chosen), default=0)
        if item.type == "multiple_choice" and by_fraction is not None:
            return max(declared, by_fraction)
        return declared
    return by_fraction


def score_item(item: Item, answer: object) -> Outcome:
    """One item's outcome. Unanswered and don't know earn the lowest answer's points (and its
    level); not applicable has no value and is left out of every parent."""
    if answer is NA:
        return Outcome(item.id, None, item.maximum, None, NOT_APPLICABLE)
    status = ANSWERED
    if answer is None or answer is DK:
        status = UNANSWERED if answer is None else DONT_KNOW
        answer = _lowest_answer(item)
    value = item_points(item, answer)
    level = item_level(item, answer, value)
    return Outcome(item.id, value, item.maximum, level, status)


def _lowest_answer(item: Item) -> object:
    """The answer that earns the fewest points (what a missing answer counts as)."""
    if item.type == "level":
        return min((lv.level for lv in item.levels), default=0)
    if item.type == "yes_no":
        return item.yes_points < item.no_points
    if item.type == "multiple_choice":
        return ()
    if item.type == "number":
        return item.min if item.min is not None else 0.0
    return min(item.options, key=lambda o: o.points).id


def evaluate(instrument: Instrument, answers: Mapping[str, object]) -> TreeResult:
    """Score every item from `answers` and evaluate every node (not only the root's subtree)."""
    items = {item.id: score_item(item, answers.get(item.id)) for item in instrument.items}
    return evaluate_outcomes(instrument, items)


def evaluate_outcomes(instrument: Instrument, items: Mapping[str, Outcome]) -> TreeResult:
    """Evaluate every node from item outcomes already computed (e.g. by the format-1 scoring)."""
    nodes: dict[str, Outcome] = {}
    visiting: set[str] = set()

    def members(name: str) -> Sequence[str]:
        if name in instrument.sets:
            return instrument.sets[name]
        node = instrument.node(name)
        return [c.id for c in node.children] if node is not None else ()

    def lookup(part_id: str) -> Outcome | None:
        if part_id in items:
            return items[part_id]
        node = instrument.node(part_id)
        if node is None:
            return None
        if part_id not in nodes:
            if part_id in visiting:  # the validator refuses cycles; never loop on one anyway
                raise ValueError(f"cycle through node {part_id}")
            visiting.add(part_id)
            nodes[part_id] = _capped(node, _evaluate_node(node, lookup, members), lookup)
            visiting.discard(part_id)
        return nodes[part_id]

    for node in instrument.nodes:
        lookup(node.id)
    ordered = {n.id: nodes[n.id] for n in instrument.nodes}
    return TreeResult(instrument.root, MappingProxyType(dict(items)), MappingProxyType(ordered))


def evaluate_node(node: Node, parts: Mapping[str, Outcome]) -> Outcome:
    """One node's outcome from its children's outcomes given directly (sets are not known
    here, so level conditions count only a node's own children)."""

    def members(name: str) -> Sequence[str]:
        return [c.id for c in node.children] if name == node.id else ()

    return _evaluate_node(node, parts.get, members)


def _evaluate_node(node: Node, lookup: rules.Lookup, members: rules.Members) -> Outcome:
    """One node's outcome under its rule."""
    parts = []
    for child in node.children:
        outcome = lookup(child.id)
        if outcome is not None:
            parts.append((child, outcome))
    method = node.rule.method
    if method in ("weighted_mean", "weighted_sum"):
        return rules.weighted(node, parts, summed=method == "weighted_sum")
    if method == "sum":
        return rules.points(node, parts)
    if method == "minimum":
        return rules.minimum(node, parts)
    if method == "gated":
        return rules.gated(node, parts)
    if method == "cumulative":
        return rules.cumulative(node, parts)
    if method == "level_rules":
        return rules.level_rules(node, parts, lookup, members)
    raise ValueError(f"unknown method {method!r}")


def _capped(node: Node, outcome: Outcome, lookup: rules.Lookup) -> Outcome:
    """The outcome with its level held at the lowest level of the rule's `cap_by` nodes."""
    caps = [lookup(c) for c in node.rule.cap_by]
    levels = [c.level for c in caps if c is not None and c.applicable and c.level is not None]
    if not levels or outcome.level is None or outcome.level <= min(levels):
        return outcome
    working = f"{outcome.working}; held at level {min(levels)} of {', '.join(node.rule.cap_by)}"
    return replace(outcome, level=min(levels), working=working)


def recommendations(
    instrument: Instrument, result: TreeResult
) -> list[tuple[Node, Recommendation]]:
    """The recommendations that apply: a node's advice whose bound its outcome is below."""
    found = []
    for node in instrument.nodes:
        outcome = result.nodes[node.id]
        for advice in node.recommendations:
            if advice.below_level is not None and (
                outcome.level is None or outcome.level >= advice.below_level
            ):
                continue
            if advice.below_value is not None and (
                outcome.value is None or outcome.value + rules.EPSILON >= advice.below_value
            ):
                continue
            found.append((node, advice))
    return found
