"""Cross-checks of declared option/band levels, area pillars, action plans and version mapping."""

from __future__ import annotations

from typing import Any

from readiness.domain.messages import N_
from readiness.domain.messages import Message
from readiness.domain.problems import PathT
from readiness.domain.problems import Reporter


def _entries(container: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
    items = container.get(key) if isinstance(container, dict) else None
    if not isinstance(items, list):
        return []
    return [(i, item) for i, item in enumerate(items) if isinstance(item, dict)]


def _ids(raw: Any, key: str) -> set[str]:
    return {e["id"] for _, e in _entries(raw, key) if isinstance(e.get("id"), str)}


def check_plan_and_levels(raw: dict[str, Any], report: Reporter) -> None:
    """Declared levels rise with points; areas, prerequisites, done_when and previous IDs exist."""
    questions = {q["id"]: q for _, q in _entries(raw, "questions") if isinstance(q.get("id"), str)}
    for index, question in _entries(raw, "questions"):
        _check_declared_levels(question, ("questions", index), report)
    pillars = _ids(raw, "pillars")
    for index, area in _entries(raw, "challenge_areas"):
        for pillar in area.get("pillars") or ():
            if isinstance(pillar, str) and pillar not in pillars:
                report.add(
                    ("challenge_areas", index, "pillars"),
                    Message(N_("unknown pillar '%(id)s'"), id=pillar),
                    False,
                )
    actions: dict[str, list[str]] = {}
    for m_index, measure in _entries(raw, "measures"):
        for a_index, action in _entries(measure, "actions"):
            where = ("measures", m_index, "actions", a_index)
            requires = [r for r in action.get("requires") or () if isinstance(r, str)]
            if isinstance(action.get("id"), str):
                actions[action["id"]] = requires
            _check_done_when(action, questions, where, report)
    for m_index, measure in _entries(raw, "measures"):
        for a_index, action in _entries(measure, "actions"):
            for required in action.get("requires") or ():
                if isinstance(required, str) and required not in actions:
                    report.add(
                        ("measures", m_index, "actions", a_index, "requires"),
                        Message(N_("unknown action '%(id)s'"), id=required),
                        False,
                    )
    cycle = _cycle(actions)
    if cycle:
        report.add(
            ("measures",),
            Message(N_("actions require each other in a circle: %(ids)s"), ids=" → ".join(cycle)),
            False,
        )
    previous = raw.get("previous")
    mapping = previous.get("questions") if isinstance(previous, dict) else None
    if isinstance(mapping, dict):
        for old, new in mapping.items():
            if isinstance(new, str) and new not in questions:
                report.add(
                    ("previous", "questions", old),
                    Message(N_("unknown question '%(id)s'"), id=new),
                    False,
                )
        for old in previous.get("changed_meaning") or ():
            if isinstance(old, str) and not isinstance(mapping.get(old), str):
                report.add(
                    ("previous", "changed_meaning"),
                    Message(N_("'%(id)s' is not mapped to a question of this version"), id=old),
                    False,
                )


def _check_declared_levels(question: dict[str, Any], path: PathT, report: Reporter) -> None:
    """Declared option (single choice) and band levels never fall as the points rise."""
    if question.get("type") == "single_choice":
        rows = [(o.get("score"), o.get("level"), i) for i, o in _entries(question, "options")]
        key = "options"
    elif question.get("type") == "number":
        rows = [(b.get("score"), b.get("level"), i) for i, b in _entries(question, "bands")]
        key = "bands"
    else:
        return
    declared = [r for r in rows if isinstance(r[1], int)]
    if not declared:
        return
    if len(declared) != len(rows):
        report.add((*path, key), Message(N_("declare a level on all of them or on none")), False)
        return
    ordered = sorted(
        (r for r in declared if isinstance(r[0], int | float)), key=lambda r: (r[0], r[1])
    )
    if ordered and ordered[-1][1] != 5:
        report.add(
            (*path, key, ordered[-1][2], "level"),
            Message(N_("the best answer must evidence level 5, or the question caps its pillar")),
            False,
        )
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after[1] < before[1]:
            report.add(
                (*path, key, after[2], "level"),
                Message(
                    N_("a level must not fall as the points rise (%(low)d after %(high)d)"),
                    low=after[1],
                    high=before[1],
                ),
                False,
            )


def _check_done_when(
    action: dict[str, Any], questions: dict[str, Any], where: PathT, report: Reporter
) -> None:
    """`done_when` names known questions and, for options, options they have."""
    done = action.get("done_when")
    if done is not None and action.get("always_relevant") is not None:
        report.add(
            (*where, "always_relevant"),
            Message(N_("an action with done_when cannot also be always_relevant")),
            False,
        )
    if not isinstance(done, dict):
        return
    for qid, condition in done.items():
        question = questions.get(qid)
        if question is None:
            report.add(
                (*where, "done_when"), Message(N_("unknown question '%(id)s'"), id=qid), False
            )
            continue
        known = {o.get("id") for _, o in _entries(question, "options")}
        options = condition.get("options") if isinstance(condition, dict) else None
        for option in options or ():
            if option not in known:
                report.add(
                    (*where, "done_when", qid),
                    Message(N_("unknown option '%(option)s'"), option=option),
                    False,
                )


def _cycle(requires: dict[str, list[str]]) -> list[str]:
    """A circle of prerequisites, as a list of action IDs ([] when there is none)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in requires.get(node, ()):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt in requires and state.get(nxt) is None:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return []

    for node in requires:
        if state.get(node) is None:
            found = visit(node)
            if found:
                return found
    return []
