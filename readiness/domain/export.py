"""A questionnaire as plain JSON-ready data (for `readiness questionnaire export` and the API)."""

from __future__ import annotations

from typing import Any

from readiness.domain.questionnaire import Option
from readiness.domain.questionnaire import Question
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.questionnaire import Text


def questionnaire_to_dict(q: Questionnaire) -> dict[str, Any]:
    """Everything a client needs to show and answer a questionnaire, as JSON-ready data."""
    return {
        "id": q.id,
        "version": q.version,
        "languages": list(q.languages),
        "title": text_dict(q.title),
        "description": text_dict(q.description),
        "levels": [
            {
                "level": lv.level,
                "min_score": lv.min_score,
                "name": text_dict(lv.name),
                "description": text_dict(lv.description),
            }
            for lv in q.levels
        ],
        "pillars": [
            {"id": p.id, "title": text_dict(p.title), "weight": p.weight} for p in q.pillars
        ],
        "challenge_areas": [
            {"id": a.id, "title": text_dict(a.title), "measure": a.measure}
            for a in q.challenge_areas
        ],
        "questions": [question_to_dict(question) for question in q.questions],
        "profile": [
            {
                "id": f.id,
                "type": f.type,
                "text": text_dict(f.text),
                "options": [_option(o, scored=False) for o in f.options],
            }
            for f in q.profile
        ],
    }


def question_to_dict(question: Question) -> dict[str, Any]:
    """One question with the keys its type needs."""
    out: dict[str, Any] = {
        "id": question.id,
        "pillar": question.pillar,
        "type": question.type,
        "text": text_dict(question.text),
        "help": text_dict(question.help),
        "challenge_areas": dict(question.challenge_areas),
        "weight": question.weight,
        "not_applicable_allowed": question.not_applicable,
        "dont_know_allowed": question.dont_know,
        "evidence": question.evidence,
        "gate_level": question.gate_level,
    }
    if question.type == "level":
        out["levels"] = [d.level for d in question.levels]
        out["level_descriptions"] = {str(d.level): text_dict(d.text) for d in question.levels}
    elif question.type in ("single_choice", "multiple_choice"):
        out["options"] = [_option(o, scored=True) for o in question.options]
        out["max_score"] = question.max_score
    elif question.type == "number":
        out["min"] = question.min
        out["max"] = question.max
        out["unit"] = text_dict(question.unit)
        if question.symbol.values:
            out["symbol"] = text_dict(question.symbol)
        out["bands"] = [{"min": b.min, "score": b.score} for b in question.bands]
    elif question.type == "yes_no":
        out["yes_scores"] = question.yes_scores
    return out


def text_dict(text: Text) -> dict[str, str]:
    """A Text as a plain language -> string mapping."""
    return dict(text.values)


def _option(option: Option, scored: bool) -> dict[str, Any]:
    """An option; choice-question options carry their score, profile options do not."""
    out: dict[str, Any] = {"id": option.id, "text": text_dict(option.text)}
    if scored:
        out["score"] = option.score
        out["exclusive"] = option.exclusive
    return out
