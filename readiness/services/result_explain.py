"""Explanations of a result document in words: blocking answers, next steps, priority reasons."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _

from readiness.domain.questionnaire import Question
from readiness.domain.questionnaire import Questionnaire


def list_join(items: Iterable[str], lang: str) -> str:
    """Items joined as a list in `lang`: "、" in Chinese, "; " otherwise."""
    return ("、" if lang == "zh" else "; ").join(items)


def answer_text(question: Question, answer: Any, status: str, lang: str) -> str:
    """An answer (its JSON form) as a sentence in `lang`: option texts, level description, unit."""
    if status == "unanswered":
        return _("Not answered")
    if status == "not_applicable":
        return _("Not applicable")
    if status == "dont_know":
        return _("Don't know")
    if question.type == "level":
        description = next((d.text.get(lang) for d in question.levels if d.level == answer), "")
        return f"{answer} – {description}" if description else str(answer)
    if question.type == "single_choice":
        option = question.option(str(answer))
        return option.text.get(lang) if option else str(answer)
    if question.type == "multiple_choice":
        chosen = [o.text.get(lang) for o in question.options if o.id in (answer or ())]
        return list_join(chosen, lang) if chosen else _("None of these")
    if question.type == "number":
        return question.number_text(answer, lang)
    if question.type == "yes_no":
        return _("Yes") if answer else _("No")
    return str(answer)


def _answer(questionnaire: Questionnaire, qid: str, answer: Any, status: str, lang: str) -> str:
    question = questionnaire.question(qid)
    if question is None:
        return str(answer)
    return answer_text(question, answer, status, lang)


def _title(questionnaire: Questionnaire, qid: str, lang: str) -> str:
    question = questionnaire.question(qid)
    return question.text.get(lang) if question is not None else qid


def _changes(questionnaire: Questionnaire, lift: Mapping[str, Any] | None, lang: str) -> list:
    """A next-level suggestion's changes as {question, current, suggested} texts."""
    if not lift:
        return []
    return [
        {
            "question": _title(questionnaire, c["question"], lang),
            "current": _answer(questionnaire, c["question"], c["current"], c["status"], lang),
            "suggested": _answer(questionnaire, c["question"], c["suggested"], "answered", lang),
        }
        for c in lift["changes"]
    ]


def _blocking(questionnaire: Questionnaire, gate: Mapping[str, Any] | None, titles, lang: str):
    """The answers (or, for the overall result, pillars) a gate names as holding the level."""
    rows = []
    for b in (gate or {}).get("blocking", []):
        if b["part"] in titles:  # a pillar of the overall result
            rows.append(
                {"part": titles[b["part"]], "answer": None, "dont_know": False, "level": b["level"]}
            )
            continue
        rows.append(
            {
                "part": _title(questionnaire, b["part"], lang),
                "answer": _answer(questionnaire, b["part"], b["answer"], b["status"], lang),
                "dont_know": b["status"] == "dont_know",
                "level": b["level"],
            }
        )
    return rows


def explain(questionnaire: Questionnaire, document: Mapping[str, Any], lang: str) -> dict:
    """Texts for the results page and the report, from the language-neutral result document.

    {"blocking": {result key: [{part, answer, dont_know, level}]} (keys "overall", pillar IDs
    and "area:5.x"), "next_level": {pillar: [changes]}, "overall_next": [changes],
    "reasons": {measure: {pillars, questions}}, "not_applicable": [{question, reason}]}.
    """
    pillar_titles = {p.id: p.title.get(lang) for p in questionnaire.pillars}
    blocking = {
        "overall": _blocking(questionnaire, document["overall"].get("gate"), pillar_titles, lang)
    }
    for pid, result in document["pillars"].items():
        blocking[pid] = _blocking(questionnaire, result.get("gate"), {}, lang)
    for aid, result in document["challenge_areas"].items():
        blocking[f"area:{aid}"] = _blocking(questionnaire, result.get("gate"), {}, lang)
    reasons = {}
    for rec in document["recommendations"]:
        reason = rec.get("reason") or {}
        reasons[rec["measure"]] = {
            "pillars": [pillar_titles.get(p, p) for p in reason.get("pillars", [])],
            "questions": [_title(questionnaire, q, lang) for q in reason.get("questions", [])],
        }
    return {
        "blocking": blocking,
        "next_level": {
            pid: _changes(questionnaire, lift, lang) for pid, lift in document["next_level"].items()
        },
        "overall_next": _changes(questionnaire, document.get("overall_next"), lang),
        "reasons": reasons,
        "not_applicable": [
            {"question": _title(questionnaire, qid, lang), "reason": text}
            for qid, text in document.get("not_applicable_reasons", {}).items()
        ],
    }
