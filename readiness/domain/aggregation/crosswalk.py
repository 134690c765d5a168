"""Crosswalks: from one questionnaire's answers to what they settle in another instrument.

A crosswalk file maps questions of a source questionnaire (format 1) to items of a target
instrument (format 2). Each mapping names one target item and one source question and lists
rules; a rule matches a source answer and gives the target answers it allows. An item is
*settled* when exactly one answer remains, *narrowed* when several do, *unknown* when no rule
applies (unmapped, unanswered, don't know). The level range follows from scoring the target
twice, every open item at its worst and at its best remaining answer; both bounds are exact
for rules that never fall when a part rises (all of the engine's rule families do).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from readiness.domain.aggregation.building import text
from readiness.domain.aggregation.engine import evaluate
from readiness.domain.aggregation.engine import item_points
from readiness.domain.aggregation.model import Instrument
from readiness.domain.aggregation.model import Item
from readiness.domain.aggregation.outcomes import TreeResult
from readiness.domain.answers import DONT_KNOW
from readiness.domain.answers import NOT_APPLICABLE
from readiness.domain.answers import AnswerSet
from readiness.domain.messages import N_
from readiness.domain.messages import Message
from readiness.domain.problems import Problem
from readiness.domain.problems import QuestionnaireError
from readiness.domain.questionnaire import EMPTY_TEXT
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.questionnaire import Text

SETTLED = "settled"
NARROWED = "narrowed"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Rule:
    """When the source answer matches (levels, options, or a number range), the target answers
    allowed: `answers` (any one of them) or, for a multiple-choice item, `includes` (chosen)."""

    levels: tuple[Any, ...] = ()
    options: tuple[str, ...] = ()
    above: float | None = None
    at_most: float | None = None
    answers: tuple[Any, ...] = ()
    includes: tuple[str, ...] = ()

    def matches(self, value: object) -> bool:
        """Whether a (known) source answer matches this rule."""
        if self.levels:
            return value in self.levels
        if self.options:
            chosen = value if isinstance(value, tuple) else (value,)
            return any(o in chosen for o in self.options)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        low_ok = self.above is None or value > self.above
        return low_ok and (self.at_most is None or value <= self.at_most)


@dataclass(frozen=True)
class Mapping_:
    """One target item, the source question it is read from, and the rules."""

    item: str
    question: str
    rules: tuple[Rule, ...]
    note: Text = EMPTY_TEXT


@dataclass(frozen=True)
class Crosswalk:
    """A mapping file between a source questionnaire version and a target instrument version."""

    id: str
    source: tuple[str, int]
    target: tuple[str, int]
    title: Text
    mappings: tuple[Mapping_, ...]
    path: str | None = None


@dataclass(frozen=True)
class ItemEstimate:
    """What the source answers say about one target item."""

    item: str
    status: str
    candidates: tuple[Any, ...]  # the target answers still possible (empty: any)
    question: str | None = None
    note: Text = EMPTY_TEXT


@dataclass(frozen=True)
class Estimate:
    """The target's items, and its results with every open item at its worst and best."""

    crosswalk: Crosswalk
    items: tuple[ItemEstimate, ...]
    low: TreeResult
    high: TreeResult

    @property
    def settled_answers(self) -> dict[str, Any]:
        """The target answers the source settles (what a prefilled assessment starts with)."""
        return {e.item: e.candidates[0] for e in self.items if e.status == SETTLED}

    def to_dict(self, instrument: Instrument, lang: str) -> dict[str, Any]:
        """A JSON-ready summary: the level and score range and each item's status."""
        root = instrument.root
        low, high = self.low.nodes[root], self.high.nodes[root]
        by_status = {
            s: [e.item for e in self.items if e.status == s] for s in (SETTLED, NARROWED, UNKNOWN)
        }
        return {
            "crosswalk": self.crosswalk.id,
            "questionnaire": {"id": instrument.id, "version": instrument.version},
            "title": instrument.title.get(lang),
            "level_range": {"min": low.level, "max": high.level},
            "value_range": {"min": low.value, "max": high.value, "maximum": high.maximum},
            "settled": by_status[SETTLED],
            "narrowed": by_status[NARROWED],
            "unknown": by_status[UNKNOWN],
            "items": {
                e.item: {
                    "status": e.status,
                    "candidates": [list(c) if isinstance(c, tuple) else c for c in e.candidates],
                    "from": e.question,
                    "note": e.note.get(lang) or None,
                }
                for e in self.items
            },
        }


def build_crosswalk(raw: Mapping[str, Any], source: str) -> Crosswalk:
    """A Crosswalk from its parsed file (shape checked loosely; `check_crosswalk` checks IDs)."""
    try:
        mappings = tuple(
            Mapping_(
                m["item"],
                m["question"],
                tuple(
                    Rule(
                        levels=tuple(r.get("levels", ())),
                        options=tuple(r.get("options", ())),
                        above=r.get("above"),
                        at_most=r.get("at_most"),
                        answers=tuple(r.get("answers", ())),
                        includes=tuple(r.get("includes", ())),
                    )
                    for r in m["rules"]
                ),
                text(m.get("note")),
            )
            for m in raw["mappings"]
        )
        return Crosswalk(
            raw["id"],
            (raw["from"]["questionnaire"], raw["from"]["version"]),
            (raw["to"]["questionnaire"], raw["to"]["version"]),
            text(raw.get("title")),
            mappings,
            source,
        )
    except (KeyError, TypeError, AttributeError) as exc:
        reason = Message(N_("not a crosswalk: %(reason)s"), reason=str(exc))
        raise QuestionnaireError([Problem(source, Message(N_("top level")), reason)]) from None


def check_crosswalk(
    crosswalk: Crosswalk, questionnaire: Questionnaire, instrument: Instrument
) -> list[Problem]:
    """Every mapping names a known question and item, and allows only valid target answers."""
    problems = []
    seen: set[str] = set()

    def add(where: str, message: Message) -> None:
        problems.append(Problem(crosswalk.path or crosswalk.id, where, message))

    for mapping in crosswalk.mappings:
        where = Message(N_("mapping to %(id)s"), id=mapping.item)
        item = instrument.item(mapping.item)
        if item is None:
            add(where, Message(N_("unknown item '%(id)s'"), id=mapping.item))
            continue
        if mapping.item in seen:
            add(where, Message(N_("the item is mapped twice")))
        seen.add(mapping.item)
        if questionnaire.question(mapping.question) is None:
            add(where, Message(N_("unknown question '%(id)s'"), id=mapping.question))
        for rule in mapping.rules:
            for answer in (*rule.answers, *rule.includes):
                if not _valid(item, answer):
                    add(
                        where,
                        Message(N_("'%(answer)s' is not an answer of the item"), answer=answer),
                    )
    return problems


def _valid(item: Item, answer: object) -> bool:
    """Whether `answer` is a possible answer (or chosen option) of `item`."""
    if item.type == "level":
        return answer in {lv.level for lv in item.levels}
    if item.type == "yes_no":
        return isinstance(answer, bool)
    return item.option(answer) is not None  # type: ignore[arg-type]


def _all_answers(item: Item) -> tuple[Any, ...]:
    """Every answer of a single-answer item (multiple choice: the two extremes)."""
    if item.type == "level":
        return tuple(lv.level for lv in item.levels)
    if item.type == "yes_no":
        return (False, True)
    if item.type == "multiple_choice":
        return ((), tuple(o.id for o in item.options if not o.exclusive))
    return tuple(o.id for o in item.options)


def _estimate_item(item: Item, mapping: Mapping_ | None, answers: AnswerSet) -> ItemEstimate:
    """What one mapping makes of the source answers for its item."""
    if mapping is None:
        return ItemEstimate(item.id, UNKNOWN, ())
    value = answers.get(mapping.question)
    if value is None or value is DONT_KNOW or value is NOT_APPLICABLE:
        return ItemEstimate(item.id, UNKNOWN, (), mapping.question, mapping.note)
    matching = [r for r in mapping.rules if r.matches(value)]
    if item.type == "multiple_choice":
        chosen = tuple(dict.fromkeys(o for r in matching for o in r.includes))
        if not chosen:
            return ItemEstimate(item.id, UNKNOWN, (), mapping.question, mapping.note)
        rest = tuple(o.id for o in item.options if not o.exclusive and o.id not in chosen)
        candidates = (chosen, chosen + rest) if rest else (chosen,)
        status = SETTLED if not rest else NARROWED
        return ItemEstimate(item.id, status, candidates, mapping.question, mapping.note)
    if not matching or not matching[0].answers:
        return ItemEstimate(item.id, UNKNOWN, (), mapping.question, mapping.note)
    candidates = matching[0].answers
    status = SETTLED if len(candidates) == 1 else NARROWED
    return ItemEstimate(item.id, status, candidates, mapping.question, mapping.note)


def estimate(crosswalk: Crosswalk, instrument: Instrument, answers: AnswerSet) -> Estimate:
    """Which target items the source answers settle or narrow, and the resulting range."""
    by_item = {m.item: m for m in crosswalk.mappings}
    items = tuple(_estimate_item(i, by_item.get(i.id), answers) for i in instrument.items)
    low: dict[str, Any] = {}
    high: dict[str, Any] = {}
    for item, found in zip(instrument.items, items, strict=True):
        options = found.candidates or _all_answers(item)

        def rank(answer: Any, item: Item = item) -> tuple[float, int]:
            level = answer if item.type == "level" else 0
            return (item_points(item, answer), level)

        low[item.id] = min(options, key=rank)
        high[item.id] = max(options, key=rank)
    return Estimate(crosswalk, items, evaluate(instrument, low), evaluate(instrument, high))


def crosswalk_problems(
    raw: Any, source: str, questionnaire: Questionnaire, instrument: Instrument
) -> tuple[Crosswalk | None, list[Problem]]:
    """Build and check a parsed crosswalk file; the crosswalk is None when it cannot be built."""
    try:
        crosswalk = build_crosswalk(raw, source)
    except QuestionnaireError as exc:
        return None, list(exc.problems)
    return crosswalk, check_crosswalk(crosswalk, questionnaire, instrument)
