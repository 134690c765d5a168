"""The rule families: each turns the outcomes of a node's children into the node's outcome."""

from __future__ import annotations

import math
from collections.abc import Callable
from collections.abc import Sequence

from readiness.domain.aggregation.model import Child
from readiness.domain.aggregation.model import Condition
from readiness.domain.aggregation.model import Node
from readiness.domain.aggregation.model import Rule
from readiness.domain.aggregation.outcomes import Outcome

EPSILON = 1e-9
Lookup = Callable[[str], Outcome | None]  # the outcome of any part by ID
Members = Callable[[str], Sequence[str]]  # the IDs a set name or node stands for
Parts = list[tuple[Child, Outcome]]


def _fmt(x: float) -> str:
    return f"{x:.6g}"


def quantity(outcome: Outcome, of: str) -> float | None:
    """The quantity of a child that a rule reads: its value, fraction or level."""
    if outcome.value is None:
        return None
    if of == "fraction":
        return outcome.fraction if outcome.maximum else 0.0
    if of == "level":
        return None if outcome.level is None else float(outcome.level)
    return outcome.value


def _used(parts: Parts, of: str) -> list[tuple[Child, Outcome, float]]:
    """The applicable parts with the quantity the rule reads."""
    found = []
    for child, outcome in parts:
        q = quantity(outcome, of)
        if q is not None:
            found.append((child, outcome, q))
    return found


def _band_level(rule: Rule, value: float) -> int | None:
    """The highest band the value reaches (None when the rule has no bands)."""
    if not rule.bands:
        return None
    reached = [b.level for b in rule.bands if value + EPSILON >= b.min]
    return max(reached, default=min(b.level for b in rule.bands) - 1)


def _capped(
    rule: Rule, level: int | None, used: Sequence[tuple[Child, Outcome, float]]
) -> int | None:
    """The level after `max_lead`: at most the lowest child level + max_lead."""
    if level is None or rule.max_lead is None:
        return level
    levels = [o.level for _, o, _ in used if o.level is not None]
    return min(level, min(levels) + rule.max_lead) if levels else level


def _max_of(used: Sequence[tuple[Child, Outcome, float]], rule: Rule) -> float:
    """The maximum of one child's quantity (averaged over children, by weight, for values)."""
    if rule.of == "fraction":
        return 1.0
    if rule.of == "level":
        return float(rule.top_level)
    total = sum(c.weight for c, _, _ in used)
    return sum(c.weight * (o.maximum or 0.0) for c, o, _ in used) / total if total else 0.0


def weighted(node: Node, parts: Parts, summed: bool) -> Outcome:
    """weighted_mean (Σwq/Σw) or weighted_sum (Σwq), times `scale`; level from bands."""
    rule = node.rule
    used = _used(parts, rule.of)
    if not used:
        return Outcome(
            node.id, None, None, None, "not_applicable", node.decimals, "no part applies"
        )
    total = sum(c.weight for c, _, _ in used)
    raw = sum(c.weight * q for c, _, q in used)
    value = rule.scale * (raw if summed else raw / total)
    per = _max_of(used, rule)
    maximum = rule.scale * (per * total if summed else per)
    terms = " + ".join(f"{_fmt(c.weight)}×{_fmt(q)}" for c, _, q in used)
    text = f"{_fmt(rule.scale)}×({terms})" + ("" if summed else f" / {_fmt(total)}")
    level = _capped(rule, _band_level(rule, value), used)
    return Outcome(
        node.id, value, maximum, level, "answered", node.decimals, f"{text} = {_fmt(value)}"
    )


def points(node: Node, parts: Parts) -> Outcome:
    """sum: the children's values added on the native scale, capped at `cap`; level from bands."""
    rule = node.rule
    used = _used(parts, rule.of)
    if not used:
        return Outcome(
            node.id, None, None, None, "not_applicable", node.decimals, "no part applies"
        )
    value = sum(q for _, _, q in used)
    maximum = sum((o.maximum or 0.0) for _, o, _ in used) if rule.of == "value" else None
    text = " + ".join(_fmt(q) for _, _, q in used) + f" = {_fmt(value)}"
    if rule.cap is not None and value > rule.cap:
        value, text = rule.cap, f"{text}, capped at {_fmt(rule.cap)}"
    if rule.cap is not None:
        maximum = rule.cap if maximum is None else min(maximum, rule.cap)
    level = _capped(rule, _band_level(rule, value), used)
    return Outcome(node.id, value, maximum, level, "answered", node.decimals, text)


def minimum(node: Node, parts: Parts) -> Outcome:
    """minimum: the lowest child quantity; the level is the lowest child level (or from bands)."""
    rule = node.rule
    used = _used(parts, rule.of)
    if not used:
        return Outcome(
            node.id, None, None, None, "not_applicable", node.decimals, "no part applies"
        )
    child, _, lowest = min(used, key=lambda u: (u[2], u[0].id))
    low = rule.scale * lowest
    levels = [o.level for _, o, _ in used if o.level is not None]
    level = _band_level(rule, low)
    if level is None and rule.of == "level":
        level = int(lowest)
    elif level is None and len(levels) == len(used):
        level = min(levels)
    maximum = rule.scale * min(_max_of([u], rule) for u in used)
    text = f"lowest of {len(used)} parts: {_fmt(low)} ({child.id})"
    return Outcome(node.id, low, maximum, level, "answered", node.decimals, text)


def gated(node: Node, parts: Parts) -> Outcome:
    """Share-gated levels: level n when, for every k ≤ n, the children at level ≥ k carry at least
    `threshold` of the weight that gate k counts (children with gate_level ≤ k)."""
    rule = node.rule
    base = weighted(node, parts, summed=False)
    if base.value is None:
        return base
    used = [(c, o) for c, o in parts if o.value is not None and o.level is not None]
    level = 0
    shares = []
    for k in range(1, rule.top_level + 1):
        counted = [(c, o) for c, o in used if c.gate_level <= k]
        total = sum(c.weight for c, _ in counted)
        if not total:
            level = k
            shares.append(f"≥{k}: none, passed")
            continue
        share = sum(c.weight for c, o in counted if o.level >= k) / total
        shares.append(f"≥{k}: {share:.0%}")
        if share + EPSILON < rule.threshold:
            break
        level = k
    capped = _capped(rule, level, [(c, o, 0.0) for c, o in used])
    text = f"{base.working}; gated at {rule.threshold:.0%} ({', '.join(shares)}): level {level}"
    if capped != level:
        text += f", capped at {capped} by max_lead {rule.max_lead}"
    return Outcome(node.id, base.value, base.maximum, capped, "answered", node.decimals, text)


def cumulative(node: Node, parts: Parts) -> Outcome:
    """Cumulative levels: each level's requirements' mean rating; a level counts (1 each) when
    the mean reaches `threshold`, in order up to the first that fails, whose mean is added when
    `partial`. The level is the number of levels counted."""
    rule = node.rule
    by_level: dict[int, list[float]] = {}
    for child, outcome in parts:
        q = quantity(outcome, rule.of)
        if q is not None and child.level is not None:
            by_level.setdefault(child.level, []).append(q)
    if not by_level:
        return Outcome(
            node.id, None, None, None, "not_applicable", node.decimals, "no part applies"
        )
    value, level, steps = 0.0, 0, []
    for k in sorted(by_level):
        mean = sum(by_level[k]) / len(by_level[k])
        if mean + EPSILON >= rule.threshold:
            value, level = value + 1.0, k
            steps.append(f"L{k} mean {_fmt(mean)} ≥ {_fmt(rule.threshold)}: +1")
            continue
        if rule.partial:
            value += mean
            steps.append(f"L{k} mean {_fmt(mean)} < {_fmt(rule.threshold)}: +{_fmt(mean)}, stop")
        else:
            steps.append(f"L{k} mean {_fmt(mean)} < {_fmt(rule.threshold)}: stop")
        break
    text = "; ".join(steps) + f" → {_fmt(value)}"
    maximum = float(len(by_level))
    return Outcome(node.id, value, maximum, level, "answered", node.decimals, text)


def _holds(
    condition: Condition, level: int, own: Outcome, lookup: Lookup, members: Members
) -> bool:
    """Whether one condition of a level rule holds."""
    if condition.kind == "points":
        target = own if condition.node is None else lookup(condition.node)
        value = None if target is None else target.value
        return value is not None and value + EPSILON >= condition.at_least
    needed = level if condition.level is None else condition.level
    count = 0
    for member in members(condition.within or ""):
        outcome = lookup(member)
        if outcome is not None and outcome.level is not None and outcome.level >= needed:
            count += 1
    return count + EPSILON >= condition.at_least


def level_rules(node: Node, parts: Parts, lookup: Lookup, members: Members) -> Outcome:
    """Level rules with conditions: the value is the children's points (capped); level k is
    reached when all its conditions hold and every lower declared level is reached."""
    base = points(node, parts)
    if node.rule.value_of is not None:
        source = lookup(node.rule.value_of)
        if source is not None:
            base = Outcome(
                node.id,
                source.value,
                source.maximum,
                None,
                source.status,
                node.decimals,
                f"value of {node.rule.value_of}: {source.display}",
            )
    own = base if base.value is not None else Outcome(node.id, 0.0, base.maximum)
    level = min((r.level for r in node.rule.levels), default=1) - 1
    steps = []
    for rule in sorted(node.rule.levels, key=lambda r: r.level):
        failed = [
            i
            for i, c in enumerate(rule.conditions, 1)
            if not _holds(c, rule.level, own, lookup, members)
        ]
        if failed:
            steps.append(f"level {rule.level}: condition {', '.join(map(str, failed))} not met")
            break
        level = rule.level
        steps.append(f"level {rule.level}: all {len(rule.conditions)} conditions met")
    text = f"{base.working}; " + "; ".join(steps)
    return Outcome(node.id, base.value, base.maximum, level, base.status, node.decimals, text)


def floor_level(fraction: float, levels: int) -> int:
    """floor(fraction × levels), with float noise absorbed (3/5 × 5 is 3)."""
    return min(levels, int(math.floor(fraction * levels + EPSILON)))
