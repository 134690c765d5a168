"""A format-2 result document made ready for pages and reports: the node tree as rows, each
section's answers with their points, the level conditions and the instrument's levels."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from readiness.domain.questionnaire import Questionnaire
from readiness.services.result_explain import answer_text


@dataclass(frozen=True)
class NodeRow:
    """One node of the tree: its depth, title, value (full precision and rounded) and level."""

    id: str
    depth: int
    title: str
    value: float | None
    display: str | None
    maximum: float | None
    level: int | None
    level_name: str | None


@dataclass(frozen=True)
class AnswerRow:
    """One item's answer as text with the points it earned."""

    id: str
    kind: str  # the question type: a level item's points are its level
    text: str
    answer: str
    status: str
    display: str | None
    maximum: float | None
    level: int | None


@dataclass(frozen=True)
class SectionView:
    """A section (a page of the questionnaire) with its node result and its answers."""

    id: str
    title: str
    node: NodeRow | None
    answers: tuple[AnswerRow, ...]


@dataclass(frozen=True)
class TreeView:
    """Everything a page or report shows of a format-2 result, in one language."""

    lang: str
    title: str
    version: int
    overall: NodeRow
    levels: tuple[dict[str, Any], ...]
    conditions: tuple[dict[str, Any], ...]
    nodes: tuple[NodeRow, ...]
    sections: tuple[SectionView, ...]
    recommendations: tuple[dict[str, Any], ...]
    notes: tuple[str, ...]
    coverage_percent: float
    unanswered: int
    document: Mapping[str, Any]
    level_names: Mapping[int, str]


def _fmt_max(value: float | None) -> float | None:
    """A maximum as people write it (100, not 100.0)."""
    return None if value is None else (int(value) if float(value).is_integer() else value)


def _row(node_id: str, depth: int, data: Mapping[str, Any], names: Mapping[int, str]) -> NodeRow:
    level = data.get("level")
    return NodeRow(
        id=node_id,
        depth=depth,
        title=data.get("title", node_id),
        value=data.get("value"),
        display=data.get("display"),
        maximum=_fmt_max(data.get("maximum")),
        level=level,
        level_name=data.get("level_name") or names.get(level) if level is not None else None,
    )


def _walk(
    questionnaire: Questionnaire, doc: Mapping[str, Any], names: Mapping[int, str]
) -> list[NodeRow]:
    """The nodes depth first from the root (each once), then any node outside the root's tree."""
    instrument = questionnaire.instrument
    rows: list[NodeRow] = []
    seen: set[str] = set()
    stack = [(instrument.root, 0)]
    while stack:
        node_id, depth = stack.pop()
        if node_id in seen or node_id not in doc["nodes"]:
            continue
        seen.add(node_id)
        rows.append(_row(node_id, depth, doc["nodes"][node_id], names))
        node = instrument.node(node_id)
        stack.extend(
            (c.id, depth + 1) for c in reversed(node.children) if instrument.node(c.id) is not None
        )
    rows.extend(_row(k, 0, v, names) for k, v in doc["nodes"].items() if k not in seen)
    return rows


def tree_view(questionnaire: Questionnaire, doc: Mapping[str, Any], lang: str) -> TreeView:
    """The stored result document `doc` of a format-2 assessment, ready to show in `lang`."""
    names = {lv.level: lv.name.get(lang) for lv in questionnaire.levels}
    nodes = _walk(questionnaire, doc, names)
    by_id = {row.id: row for row in nodes}
    sections = []
    for pillar in questionnaire.pillars:
        answers = []
        for question in questionnaire.questions_of(pillar.id):
            item = doc["items"].get(question.id, {})
            status = item.get("status", "unanswered")
            answers.append(
                AnswerRow(
                    id=question.id,
                    kind=question.type,
                    text=question.text.get(lang),
                    answer=answer_text(question, item.get("answer"), status, lang),
                    status=status,
                    display=item.get("display"),
                    maximum=_fmt_max(item.get("maximum")),
                    level=item.get("level"),
                )
            )
        sections.append(
            SectionView(pillar.id, pillar.title.get(lang), by_id.get(pillar.id), tuple(answers))
        )
    levels = tuple(
        {"level": lv.level, "name": lv.name.get(lang), "description": lv.description.get(lang)}
        for lv in questionnaire.levels
    )
    return TreeView(
        lang=lang,
        title=questionnaire.title.get(lang),
        version=questionnaire.version,
        overall=by_id[questionnaire.instrument.root],
        levels=levels,
        conditions=tuple(doc.get("conditions", ())),
        nodes=tuple(nodes),
        sections=tuple(sections),
        recommendations=tuple(doc.get("recommendations", ())),
        notes=tuple(doc.get("notes", ())),
        coverage_percent=round(doc.get("coverage", 0.0) * 100, 1),
        unanswered=len(doc.get("unanswered", ())),
        document=doc,
        level_names=names,
    )
