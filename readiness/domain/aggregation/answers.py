"""Answers to a format-2 instrument: checked against its items, one clear line per mistake."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from readiness.domain.aggregation.engine import DK
from readiness.domain.aggregation.engine import NA
from readiness.domain.aggregation.model import Instrument
from readiness.domain.aggregation.model import Item
from readiness.domain.answers import DONT_KNOW_JSON
from readiness.domain.answers import AnswerError
from readiness.domain.messages import N_


def parse_item_answer(item: Item, raw: Any) -> object:
    """One raw JSON answer as the engine reads it; raise AnswerError naming the item."""
    if raw is None:
        if not item.not_applicable:
            raise AnswerError(
                item.id, N_("'not applicable' (null) is not allowed for this question")
            )
        return NA
    if raw == DONT_KNOW_JSON:
        if not item.dont_know:
            raise AnswerError(item.id, N_("'dont_know' is not allowed for this question"))
        return DK
    if item.type == "yes_no":
        if not isinstance(raw, bool):
            raise AnswerError(item.id, N_("expected true or false"))
        return raw
    if item.type == "level":
        allowed = sorted(lv.level for lv in item.levels)
        if isinstance(raw, bool) or not isinstance(raw, int) or raw not in allowed:
            raise AnswerError(
                item.id,
                N_("expected one of the levels %(levels)s"),
                levels=", ".join(map(str, allowed)),
            )
        return raw
    if item.type == "number":
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
            raise AnswerError(item.id, N_("expected a number"))
        if (item.min is not None and raw < item.min) or (item.max is not None and raw > item.max):
            raise AnswerError(
                item.id,
                N_("%(value)s is out of range (%(low)s to %(high)s)"),
                value=raw,
                low=item.min,
                high=item.max,
            )
        return raw
    if item.type == "single_choice":
        if not isinstance(raw, str) or item.option(raw) is None:
            raise AnswerError(
                item.id,
                N_("expected one of the options %(options)s"),
                options=", ".join(o.id for o in item.options),
            )
        return raw
    if not isinstance(raw, list) or not all(isinstance(x, str) and item.option(x) for x in raw):
        raise AnswerError(
            item.id,
            N_("expected a list of options from %(options)s"),
            options=", ".join(o.id for o in item.options),
        )
    chosen = tuple(dict.fromkeys(raw))
    exclusive = [x for x in chosen if item.option(x).exclusive]  # type: ignore[union-attr]
    if exclusive and len(chosen) > 1:
        raise AnswerError(
            item.id,
            N_("option %(option)s cannot be chosen together with other options"),
            option=exclusive[0],
        )
    return chosen


def parse_instrument_answers(instrument: Instrument, raw: Mapping[str, Any]) -> dict[str, object]:
    """Every answer of an answers file's `answers` mapping; unknown items are refused."""
    answers: dict[str, object] = {}
    for item_id, value in raw.items():
        item = instrument.item(item_id)
        if item is None:
            raise AnswerError(
                str(item_id), N_("unknown question (not in %(key)s)"), key=instrument.key
            )
        answers[item_id] = parse_item_answer(item, value)
    return answers
