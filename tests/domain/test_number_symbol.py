"""Number answers as short text: the optional `symbol` of number questions, loading and export."""

from __future__ import annotations

import copy
from types import MappingProxyType
from typing import Any

import pytest

from readiness.domain.export import questionnaire_to_dict
from readiness.domain.loading import from_mapping
from readiness.domain.questionnaire import Question
from readiness.domain.questionnaire import Text
from readiness.domain.validation import validate

HOURS = "talent.training_hours"


def text(en: str, zh: str) -> Text:
    """A two-language text."""
    return Text(MappingProxyType({"en": en, "zh": zh}))


def number(unit: Text | None = None, symbol: Text | None = None) -> Question:
    """A number question with the given unit and symbol."""
    extra: dict[str, Any] = {}
    if unit is not None:
        extra["unit"] = unit
    if symbol is not None:
        extra["symbol"] = symbol
    return Question("t.q", "t", "number", text("Q?", "问？"), {"5.1": 1.0}, **extra)


PERCENT = text("% of revenue", "占营业收入的百分比（%）")


@pytest.mark.parametrize(
    ("question", "value", "lang", "expected"),
    [
        (number(PERCENT, text("%", "%")), 3.2, "zh", "3.2%"),
        (number(PERCENT, text("%", "%")), 3.2, "en", "3.2%"),
        (number(PERCENT), 3.2, "en", "3.2% of revenue"),  # no symbol: the long unit
        (number(text("hours", "小时"), text("h", "学时")), 40, "en", "40 h"),
        (number(text("hours", "小时"), text("h", "学时")), 40, "zh", "40学时"),
        (number(text("months", "个月")), 12.0, "zh", "12个月"),
        (number(), 7.5, "en", "7.5"),
        (number(text("EUR", "欧元")), 1234567.0, "en", "1234567 EUR"),  # no exponent
        (number(text("%", "%")), 0.1 + 0.2, "en", "0.3%"),
    ],
)
def test_number_text(question: Question, value: float, lang: str, expected: str) -> None:
    assert question.number_text(value, lang) == expected


def test_unit_symbol_falls_back_to_the_unit() -> None:
    assert number(PERCENT, text("%", "%")).unit_symbol("zh") == "%"
    assert number(PERCENT).unit_symbol("zh") == "占营业收入的百分比（%）"
    assert number().unit_symbol("en") == ""


def test_symbol_is_loaded_and_exported(mini_raw: dict[str, Any]) -> None:
    raw = copy.deepcopy(mini_raw)
    hours = next(q for q in raw["questions"] if q["id"] == HOURS)
    hours["symbol"] = {"en": "h", "zh": "学时"}
    assert validate(raw, "mini.yaml") == []
    questionnaire = from_mapping(raw)
    assert questionnaire.question(HOURS).symbol.get("zh") == "学时"
    exported = {q["id"]: q for q in questionnaire_to_dict(questionnaire)["questions"]}
    assert exported[HOURS]["symbol"] == {"en": "h", "zh": "学时"}
    without = from_mapping(mini_raw)
    assert not without.question(HOURS).symbol.values
    exported = {q["id"]: q for q in questionnaire_to_dict(without)["questions"]}
    assert "symbol" not in exported[HOURS]


@pytest.mark.parametrize(
    ("question_id", "symbol", "reason"),
    [
        ("technology.rd", {"en": "%", "zh": "%"}, "symbol"),  # only number questions
        (HOURS, {"en": "h"}, "zh"),  # every language
    ],
)
def test_bad_symbols_are_refused(
    mini_raw: dict[str, Any], question_id: str, symbol: dict[str, str], reason: str
) -> None:
    raw = copy.deepcopy(mini_raw)
    next(q for q in raw["questions"] if q["id"] == question_id)["symbol"] = symbol
    problems = validate(raw, "mini.yaml")
    assert any(p.location == f"question {question_id}" and reason in p.message for p in problems), (
        "\n".join(map(str, problems))
    )
