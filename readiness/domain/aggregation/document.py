"""The result document of a format-2 instrument: every node on its native scale, in one language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from readiness.domain.aggregation.conditions import level_conditions
from readiness.domain.aggregation.engine import DK
from readiness.domain.aggregation.engine import NA
from readiness.domain.aggregation.engine import recommendations
from readiness.domain.aggregation.form import sections
from readiness.domain.aggregation.model import Instrument
from readiness.domain.aggregation.outcomes import ANSWERED
from readiness.domain.aggregation.outcomes import UNANSWERED
from readiness.domain.aggregation.outcomes import Outcome
from readiness.domain.aggregation.outcomes import TreeResult
from readiness.domain.answers import DONT_KNOW_JSON


def _level_name(instrument: Instrument, level: int | None, lang: str) -> str | None:
    declared = instrument.level(level) if level is not None else None
    return declared.name.get(lang) if declared is not None else None


def _node(instrument: Instrument, outcome: Outcome, lang: str) -> dict[str, Any]:
    node = instrument.node(outcome.id)
    data: dict[str, Any] = {"title": node.title.get(lang) if node else outcome.id}
    data.update(outcome.to_dict())
    data["level_name"] = _level_name(instrument, outcome.level, lang)
    if node is not None and node.rule.levels and outcome.level is not None:
        notes = [r.note.get(lang) for r in node.rule.levels if r.note.values]
        if notes:
            data["unverified"] = notes
    return data


def instrument_document(
    instrument: Instrument, result: TreeResult, answers: Mapping[str, object], lang: str
) -> dict[str, Any]:
    """Scores, levels and recommendations of a format-2 answer set, as JSON-ready data."""
    statuses = [o.status for o in result.items.values()]
    return {
        "questionnaire": {
            "id": instrument.id,
            "version": instrument.version,
            "format": instrument.format,
            "title": instrument.title.get(lang),
        },
        "overall": {"id": instrument.root, **_node(instrument, result.overall, lang)},
        "levels": [
            {"level": lv.level, "name": lv.name.get(lang), "description": lv.description.get(lang)}
            for lv in instrument.levels
        ],
        "nodes": {k: _node(instrument, o, lang) for k, o in result.nodes.items()},
        "items": {
            k: {"answer": _json(answers.get(k)), **o.to_dict()} for k, o in result.items.items()
        },
        "coverage": sum(s == ANSWERED for s in statuses) / len(statuses) if statuses else 0.0,
        "unanswered": [k for k, o in result.items.items() if o.status == UNANSWERED],
        "recommendations": [
            {"node": node.id, "id": advice.id, "text": advice.text.get(lang)}
            for node, advice in recommendations(instrument, result)
        ],
        "notes": [note.get(lang) for note in instrument.notes],
        "sections": [section for section, _items in sections(instrument)],
        "conditions": level_conditions(instrument, result, lang),
        "lang": lang,
    }


def _json(value: object) -> object:
    """An answer as it appears in an answers file."""
    if value is NA:
        return None
    if value is DK:
        return DONT_KNOW_JSON
    return list(value) if isinstance(value, tuple) else value
