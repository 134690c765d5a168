"""Cross-checks of a format-2 document that its JSON Schema cannot express: the tree's shape."""

from __future__ import annotations

from typing import Any

from readiness.domain.checks import _check_translations
from readiness.domain.checks import _entries
from readiness.domain.checks import _unique
from readiness.domain.messages import N_
from readiness.domain.messages import Message
from readiness.domain.problems import PathT
from readiness.domain.problems import Reporter

CHOICE_TYPES = ("single_choice", "multiple_choice")


def check_tree(raw: dict[str, Any], report: Reporter) -> None:
    """Apply every format-2 cross-check (the document may also break the schema)."""
    _check_translations(raw, report)
    _check_notes(raw, report)
    _unique(raw, "items", (), report)
    _unique(raw, "nodes", (), report)
    items = {i["id"]: i for _, i in _entries(raw, "items") if isinstance(i.get("id"), str)}
    nodes = {n["id"]: n for _, n in _entries(raw, "nodes") if isinstance(n.get("id"), str)}
    for index, item in _entries(raw, "items"):
        _unique(item, "options", ("items", index), report)
        _check_item(item, ("items", index), report)
        if item.get("id") in nodes:
            report.add(
                ("items", index, "id"),
                Message(N_("'%(id)s' is also the ID of a node"), id=item["id"]),
                False,
            )
    sets = raw.get("sets") if isinstance(raw.get("sets"), dict) else {}
    for name, members in sets.items():
        for position, member in enumerate(members if isinstance(members, list) else []):
            if isinstance(member, str) and member not in items and member not in nodes:
                report.add(
                    ("sets", name, position),
                    Message(N_("names an unknown item or node '%(id)s'"), id=member),
                )
    declared = {lv.get("level") for _, lv in _entries(raw, "levels")}
    for index, node in _entries(raw, "nodes"):
        _check_node(node, ("nodes", index), items, nodes, sets, declared, report)
    root = raw.get("root")
    if isinstance(root, str) and root not in nodes:
        report.add(("root",), Message(N_("names an unknown node '%(id)s'"), id=root))
    for position, section in enumerate(raw.get("sections") or ()):
        if isinstance(section, str) and section not in nodes:
            report.add(
                ("sections", position), Message(N_("names an unknown node '%(id)s'"), id=section)
            )
    _check_cycles(raw, nodes, report)


def _check_notes(raw: dict[str, Any], report: Reporter) -> None:
    """Every top-level note carries exactly the declared languages."""
    languages = raw.get("languages")
    notes = raw.get("notes")
    if not isinstance(languages, list) or not isinstance(notes, list):
        return
    for index, note in enumerate(notes):
        if not isinstance(note, dict):
            continue
        for lang in languages:
            if lang not in note:
                report.add(
                    ("notes", index), Message(N_("has no '%(lang)s' translation"), lang=lang)
                )


def _check_item(item: dict[str, Any], path: PathT, report: Reporter) -> None:
    """A choice item has options, a level item levels; a capped choice can reach its cap."""
    kind = item.get("type")
    if kind in CHOICE_TYPES and not item.get("options"):
        report.add(path, Message(N_("a %(type)s item needs options"), type=kind))
    if kind == "level" and not item.get("levels"):
        report.add(path, Message(N_("a level item needs levels")))
    number_keys = ("bands", "min", "max", "unit", "symbol")
    if kind == "number":
        _check_number(item, path, report)
    for key in number_keys:
        if key in item and kind != "number":
            report.add((*path, key), Message(N_("is not allowed for type %(type)s"), type=kind))
    for key in ("options", "cap"):
        if key in item and kind not in CHOICE_TYPES:
            report.add((*path, key), Message(N_("is not allowed for type %(type)s"), type=kind))
    if "cap" in item and kind == "multiple_choice":
        total = sum(o.get("points", 0) for _, o in _entries(item, "options"))
        if isinstance(item["cap"], int | float) and total < item["cap"]:
            report.add(
                (*path, "cap"),
                Message(N_("cannot be reached: all options together earn %(total)s"), total=total),
            )


def _check_number(item: dict[str, Any], path: PathT, report: Reporter) -> None:
    """A number item has a range (min < max) and bands in ascending order within it."""
    if not item.get("bands") or "min" not in item or "max" not in item:
        report.add(path, Message(N_("a number item needs min, max and bands")))
        return
    low, high = item["min"], item["max"]
    if isinstance(low, int | float) and isinstance(high, int | float) and low >= high:
        report.add((*path, "max"), Message(N_("must be greater than min")))
    starts = [b.get("min") for _, b in _entries(item, "bands")]
    if any(not isinstance(s, int | float) for s in starts):
        return
    if starts != sorted(starts) or len(set(starts)) != len(starts):
        report.add((*path, "bands"), Message(N_("bands must be in ascending order of min")))
    if starts and isinstance(high, int | float) and starts[-1] > high:
        report.add((*path, "bands"), Message(N_("no band may start above max")))


def _check_node(
    node: dict[str, Any],
    path: PathT,
    items: dict[str, Any],
    nodes: dict[str, Any],
    sets: dict[str, Any],
    declared: set[Any],
    report: Reporter,
) -> None:
    """A node has children that exist, and its rule names only known nodes, sets and levels."""
    children = node.get("children")
    if isinstance(children, list) and not children:
        report.add((*path, "children"), Message(N_("a node needs at least one child")), False)
    rule = node.get("rule") if isinstance(node.get("rule"), dict) else {}
    for index, child in enumerate(children if isinstance(children, list) else []):
        ident = child.get("id") if isinstance(child, dict) else child
        if isinstance(ident, str) and ident not in items and ident not in nodes:
            report.add(
                (*path, "children", index),
                Message(N_("unknown child '%(id)s' (neither an item nor a node)"), id=ident),
            )
        if rule.get("method") == "cumulative" and not (
            isinstance(child, dict) and "level" in child
        ):
            report.add(
                (*path, "children", index),
                Message(N_("under a cumulative rule every child needs its level")),
            )
    value_of = rule.get("value_of")
    if isinstance(value_of, str) and value_of not in nodes:
        report.add(
            (*path, "rule", "value_of"),
            Message(N_("names an unknown node '%(id)s'"), id=value_of),
        )
    for position, capping in enumerate(rule.get("cap_by") or ()):
        if isinstance(capping, str) and capping not in nodes:
            report.add(
                (*path, "rule", "cap_by", position),
                Message(N_("names an unknown node '%(id)s'"), id=capping),
            )
    if "levels" in rule and rule.get("method") != "level_rules":
        report.add((*path, "rule", "levels"), Message(N_("is only for method level_rules")))
    if rule.get("method") == "level_rules" and not rule.get("levels"):
        report.add((*path, "rule"), Message(N_("method level_rules needs levels")))
    previous = None
    for index, level_rule in _entries(rule, "levels"):
        where = (*path, "rule", "levels", index)
        number = level_rule.get("level")
        if declared and number not in declared:
            report.add(where, Message(N_("level %(level)s is not declared"), level=number))
        if isinstance(number, int) and previous is not None and number <= previous:
            report.add(where, Message(N_("levels must rise (got %(level)s)"), level=number))
        previous = number if isinstance(number, int) else previous
        for c_index, condition in _entries(level_rule, "all"):
            _check_condition(condition, (*where, "all", c_index), nodes, sets, report)


def _check_condition(
    condition: dict[str, Any],
    path: PathT,
    nodes: dict[str, Any],
    sets: dict[str, Any],
    report: Reporter,
) -> None:
    """A condition is either a points bound or a count within a known set or node."""
    points = "points_at_least" in condition
    count = "count_at_least" in condition
    if points == count:
        report.add(path, Message(N_("give either points_at_least or count_at_least")))
        return
    if count and "within" not in condition:
        report.add(path, Message(N_("count_at_least needs within (a set or node)")))
    within = condition.get("within")
    if isinstance(within, str) and within not in sets and within not in nodes:
        report.add(
            (*path, "within"), Message(N_("names an unknown set or node '%(id)s'"), id=within)
        )
    node = condition.get("node")
    if isinstance(node, str) and node not in nodes:
        report.add((*path, "node"), Message(N_("names an unknown node '%(id)s'"), id=node))


def _check_cycles(raw: dict[str, Any], nodes: dict[str, Any], report: Reporter) -> None:
    """No node is its own descendant; each cycle is reported once, at its first node."""
    index_of = {n["id"]: i for i, n in _entries(raw, "nodes") if isinstance(n.get("id"), str)}
    reported: set[frozenset[str]] = set()

    def kids(node_id: str) -> list[str]:
        children = nodes[node_id].get("children")
        found = []
        for child in children if isinstance(children, list) else []:
            ident = child.get("id") if isinstance(child, dict) else child
            if isinstance(ident, str) and ident in nodes:
                found.append(ident)
        return found

    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node_id: str, trail: list[str]) -> None:
        state[node_id] = 1
        trail.append(node_id)
        for kid in kids(node_id):
            if state.get(kid) == 1:
                cycle = trail[trail.index(kid) :] + [kid]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    report.add(
                        ("nodes", index_of[kid], "children"),
                        Message(N_("cycle: %(path)s"), path=" → ".join(cycle)),
                        False,
                    )
            elif kid not in state:
                visit(kid, trail)
        trail.pop()
        state[node_id] = 2

    for node_id in nodes:
        if node_id not in state:
            visit(node_id, [])
