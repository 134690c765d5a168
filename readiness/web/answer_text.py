"""Answers as text for people: stored, typed or JSON answers described in the page's language."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from readiness.domain.answers import DONT_KNOW_JSON
from readiness.domain.questionnaire import Question
from readiness.services.answer_input import ANSWERED
from readiness.services.answer_input import DONT_KNOW
from readiness.services.answer_input import NOT_APPLICABLE
from readiness.services.answer_input import PageAnswer


def describe_answer(question: Question | None, given: PageAnswer, lang: str) -> str:
    """A stored or typed answer as text for people (used to explain conflicts)."""
    if given.status == NOT_APPLICABLE:
        return str(_l("Not applicable"))
    if given.status == DONT_KNOW:
        return str(_l("Don't know"))
    if given.status is None or question is None:
        return str(_l("(no answer)"))
    value = given.value
    if question.type == "level":
        text = next((d.text.get(lang) for d in question.levels if d.level == value), "")
        return f"{value} — {text}"
    if question.type == "single_choice":
        option = question.option(value)
        return option.text.get(lang) if option else str(value)
    if question.type == "multiple_choice":
        names = [o.text.get(lang) for o in question.options if o.id in (value or [])]
        return ("、" if lang == "zh" else ", ").join(names) if names else str(_l("None of these"))
    if question.type == "yes_no":
        return str(_l("Yes") if value else _l("No"))
    return question.number_text(value, lang)


def describe_json(question: Question | None, raw: Any, lang: str) -> str:
    """An answer in its JSON form (as in result documents) as text for people."""
    if raw is None:
        status = NOT_APPLICABLE if question is not None and question.not_applicable else None
        return describe_answer(question, PageAnswer(status), lang)
    if raw == DONT_KNOW_JSON and not (question is not None and question.option(raw)):
        return describe_answer(question, PageAnswer(DONT_KNOW), lang)
    return describe_answer(question, PageAnswer(ANSWERED, raw), lang)
