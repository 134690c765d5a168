"""Cross-checks of a questionnaire document that a JSON Schema cannot express."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from readiness.domain.level_checks import check_plan_and_levels
from readiness.domain.messages import N_
from readiness.domain.messages import Message
from readiness.domain.problems import PathT
from readiness.domain.problems import Reporter

TEXT_KEYS = frozenset(
    {
        "title",
        "description",
        "source",
        "name",
        "text",
        "help",
        "summary",
        "unit",
        "symbol",
        "indicator",
        "unverified",
    }
)
YES_NO_OPTIONS = ("yes", "no")
# how an entry of each list is named when its ID is used twice
DUPLICATE_WORDS = {
    "questions": N_("question"),
    "pillars": N_("pillar"),
    "challenge_areas": N_("challenge area"),
    "measures": N_("measure"),
    "profile": N_("profile field"),
    "options": N_("option"),
    "actions": N_("action"),
    "items": N_("item"),
    "nodes": N_("node"),
}


def cross_check(raw: dict[str, Any], report: Reporter) -> None:
    """Apply every cross-check to a document (which may also break the schema)."""
    _check_translations(raw, report)
    _check_unique_ids(raw, report)
    _check_levels(raw, report)
    _check_scoring(raw, report)
    pillars = _ids(raw, "pillars")
    areas = _ids(raw, "challenge_areas")
    measures = _ids(raw, "measures")
    for index, area in _entries(raw, "challenge_areas"):
        measure = area.get("measure")
        if isinstance(measure, str) and measure not in measures:
            report.add(
                ("challenge_areas", index, "measure"),
                Message(N_("unknown measure '%(id)s'"), id=measure),
                False,
            )
    for index, question in _entries(raw, "questions"):
        _check_question(question, ("questions", index), pillars, areas, report)
    profile = {f["id"]: f for _, f in _entries(raw, "profile") if isinstance(f.get("id"), str)}
    for index, measure in _entries(raw, "measures"):
        _check_actions(measure, ("measures", index), pillars, profile, report)
    check_plan_and_levels(raw, report)


def _entries(container: Any, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, entry) for the mapping entries of the list container[key], skipping broken ones."""
    items = container.get(key) if isinstance(container, dict) else None
    if isinstance(items, list):
        for index, item in enumerate(items):
            if isinstance(item, dict):
                yield index, item


def _ids(raw: Any, key: str) -> set[str]:
    """The string IDs of the entries of raw[key]."""
    return {e["id"] for _, e in _entries(raw, key) if isinstance(e.get("id"), str)}


def _number(value: Any) -> float | None:
    """`value` as a float if it is a real number (not a bool), else None."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _check_translations(raw: dict[str, Any], report: Reporter) -> None:
    """Every text carries exactly the languages the questionnaire declares."""
    languages = raw.get("languages")
    if not isinstance(languages, list) or not all(isinstance(x, str) for x in languages):
        return
    seen: set[int] = set()

    def walk(value: Any, path: PathT) -> None:
        if id(value) in seen:
            return
        seen.add(id(value))
        if isinstance(value, dict):
            for key, child in value.items():
                if key in TEXT_KEYS and isinstance(child, dict):
                    for lang in languages:
                        if lang not in child:
                            report.add(
                                (*path, key),
                                Message(N_("has no '%(lang)s' translation"), lang=lang),
                            )
                    for lang in child:
                        if lang not in languages:
                            report.add(
                                (*path, key),
                                Message(N_("has a '%(lang)s' text, not in languages"), lang=lang),
                            )
                elif key not in ("when", "challenge_areas"):
                    walk(child, (*path, key))
        elif isinstance(value, list):
            for index, child in enumerate(value):
                walk(child, (*path, index))

    walk(raw, ())


def _check_unique_ids(raw: dict[str, Any], report: Reporter) -> None:
    """No ID is used twice among questions, pillars, areas, measures, profile fields and within."""
    for key in ("questions", "pillars", "challenge_areas", "measures", "profile"):
        _unique(raw, key, (), report)
    for index, question in _entries(raw, "questions"):
        _unique(question, "options", ("questions", index), report)
    for index, measure in _entries(raw, "measures"):
        _unique(measure, "actions", ("measures", index), report)
    for index, field in _entries(raw, "profile"):
        _unique(field, "options", ("profile", index), report)


def _unique(container: Any, key: str, path: PathT, report: Reporter) -> None:
    """Report entries of container[key] whose `id` an earlier entry already uses."""
    first: dict[str, int] = {}
    for index, entry in _entries(container, key):
        ident = entry.get("id")
        if not isinstance(ident, str):
            continue
        if ident in first:
            what = DUPLICATE_WORDS.get(key)
            what = Message(what) if what else key.rstrip("s").replace("_", " ")
            report.add(
                (*path, key, index),
                Message(
                    N_("duplicate %(what)s ID '%(id)s' (also %(key)s[%(index)d])"),
                    what=what,
                    id=ident,
                    key=key,
                    index=first[ident],
                ),
                subject=False,
                at=(*path, key, index, "id"),
            )
        first.setdefault(ident, index)


def _check_levels(raw: dict[str, Any], report: Reporter) -> None:
    """The readiness levels are 0..5 in order, from min_score 0, rising strictly."""
    previous: float | None = None
    for index, level in _entries(raw, "levels"):
        number = level.get("level")
        if isinstance(number, int) and not isinstance(number, bool) and number != index:
            report.add(
                ("levels", index, "level"),
                Message(N_("must be %(n)d: levels are listed 0 to 5 in order"), n=index),
            )
        score = _number(level.get("min_score"))
        if score is None:
            previous = None
            continue
        if index == 0 and score != 0:
            report.add(
                ("levels", index, "min_score"),
                Message(N_("must be 0 for level 0 (got %(score)g)"), score=score),
            )
        if previous is not None and score <= previous:
            report.add(
                ("levels", index, "min_score"),
                Message(
                    N_("must be greater than the previous level's (%(score)g <= %(previous)g)"),
                    score=score,
                    previous=previous,
                ),
            )
        previous = score


def _check_scoring(raw: dict[str, Any], report: Reporter) -> None:
    """The don't-know confidence factors are ordered: medium does not exceed high."""
    scoring = raw.get("scoring")
    confidence = scoring.get("dont_know_confidence") if isinstance(scoring, dict) else None
    if isinstance(confidence, dict):
        high = _number(confidence.get("high", 0.9))
        medium = _number(confidence.get("medium", 0.7))
        if high is not None and medium is not None and medium > high:
            report.add(
                ("scoring", "dont_know_confidence"), Message(N_("medium must not exceed high"))
            )


def _check_question(
    question: dict[str, Any], path: PathT, pillars: set[str], areas: set[str], report: Reporter
) -> None:
    """References, level descriptions, reachable scores and bands of one question."""
    pillar = question.get("pillar")
    if isinstance(pillar, str) and pillar not in pillars:
        report.add((*path, "pillar"), Message(N_("unknown pillar '%(id)s'"), id=pillar), False)
    mapping = question.get("challenge_areas")
    if isinstance(mapping, dict):
        for area in mapping:
            if isinstance(area, str) and area not in areas:
                report.add(
                    (*path, "challenge_areas"),
                    Message(N_("unknown challenge area '%(id)s'"), id=area),
                    False,
                )
    kind = question.get("type")
    if kind == "level":
        _check_level_descriptions(question, path, report)
    elif kind in ("single_choice", "multiple_choice"):
        _check_choice(question, path, report)
    elif kind == "number":
        _check_bands(question, path, report)


def _check_level_descriptions(question: dict[str, Any], path: PathT, report: Reporter) -> None:
    """A level question describes levels 0..5, in order."""
    for index, entry in _entries(question, "levels"):
        number = entry.get("level")
        if isinstance(number, int) and not isinstance(number, bool) and number != index:
            report.add(
                (*path, "levels", index, "level"),
                Message(
                    N_("must be %(n)d: a level question describes levels 0 to 5 in order"),
                    n=index,
                ),
            )


def _check_choice(question: dict[str, Any], path: PathT, report: Reporter) -> None:
    """The options of a choice question can reach its max_score."""
    max_score = _number(question.get("max_score"))
    scores = [_number(o.get("score")) for _, o in _entries(question, "options")]
    if max_score is None or max_score <= 0 or not scores or None in scores:
        return
    numbers = [s for s in scores if s is not None]
    if question.get("type") == "single_choice" and max(numbers) < max_score:
        report.add(
            (*path, "max_score"),
            Message(
                N_("no option reaches max_score %(max_score)g (the best scores %(best)g)"),
                max_score=max_score,
                best=max(numbers),
            ),
            False,
        )
    if question.get("type") == "multiple_choice" and sum(numbers) < max_score:
        report.add(
            (*path, "max_score"),
            Message(
                N_(
                    "the options together cannot reach max_score %(max_score)g "
                    "(they add up to %(total)g)"
                ),
                max_score=max_score,
                total=sum(numbers),
            ),
            False,
        )


def _check_bands(question: dict[str, Any], path: PathT, report: Reporter) -> None:
    """A number question has min < max and ascending bands from min that can score."""
    low, high = _number(question.get("min")), _number(question.get("max"))
    if low is not None and high is not None and low >= high:
        report.add(
            (*path, "min"),
            Message(N_("must be less than max (%(low)g >= %(high)g)"), low=low, high=high),
        )
    bands = list(_entries(question, "bands"))
    starts = [(i, _number(b.get("min"))) for i, b in bands]
    if starts and low is not None and starts[0][1] is not None and starts[0][1] != low:
        report.add(
            (*path, "bands", starts[0][0], "min"),
            Message(
                N_("must equal the question's min %(low)g (got %(value)g)"),
                low=low,
                value=starts[0][1],
            ),
        )
    previous: float | None = None
    for index, start in starts:
        if start is None:
            continue
        if previous is not None and start <= previous:
            report.add(
                (*path, "bands", index, "min"),
                Message(
                    N_("bands out of order: %(start)g does not come after %(previous)g"),
                    start=start,
                    previous=previous,
                ),
                False,
            )
        if high is not None and start > high:
            report.add(
                (*path, "bands", index, "min"),
                Message(N_("must not exceed max %(high)g"), high=high),
            )
        previous = start
    scores = [_number(b.get("score")) for _, b in bands]
    if bands and None not in scores and max(s for s in scores if s is not None) <= 0:
        report.add((*path, "bands"), Message(N_("must contain a band with a score above 0")))


def _check_actions(
    measure: dict[str, Any],
    path: PathT,
    pillars: set[str],
    profile: dict[Any, dict[str, Any]],
    report: Reporter,
) -> None:
    """Actions name known pillars and profile answers; each level 0-4 has a generic action."""
    generic: set[int] = set()
    for index, action in _entries(measure, "actions"):
        where = (*path, "actions", index)
        pillar = action.get("pillar")
        if isinstance(pillar, str) and pillar not in pillars:
            report.add((*where, "pillar"), Message(N_("unknown pillar '%(id)s'"), id=pillar), False)
        when = action.get("when")
        if "when" not in action and isinstance(action.get("from_level"), int):
            generic.add(action["from_level"])
        if isinstance(when, dict):
            for field_id, options in when.items():
                _check_when(field_id, options, profile, (*where, "when"), report)
    missing = [n for n in range(5) if n not in generic]
    if missing and any(True for _ in _entries(measure, "actions")):
        levels = ", ".join(map(str, missing))
        report.add(
            (*path, "actions"),
            Message(
                N_("no action without `when` for from_level %(levels)s (every firm needs advice)"),
                levels=levels,
            ),
            False,
        )


def _check_when(
    field_id: Any, options: Any, profile: dict[Any, dict[str, Any]], path: PathT, report: Reporter
) -> None:
    """An action's `when` names a choice profile field and some of its options."""
    field = profile.get(field_id)
    if field is None:
        report.add(path, Message(N_("unknown profile field '%(id)s'"), id=field_id), False)
        return
    kind = field.get("type")
    if kind == "text":
        report.add(
            path,
            Message(N_("profile field '%(id)s' is free text; `when` cannot use it"), id=field_id),
            False,
        )
        return
    if kind == "yes_no":
        known: set[Any] = set(YES_NO_OPTIONS)
    else:
        known = {o["id"] for _, o in _entries(field, "options") if isinstance(o.get("id"), str)}
    for option in options if isinstance(options, list) else []:
        if isinstance(option, str) and option not in known:
            report.add(
                path,
                Message(
                    N_("unknown option '%(option)s' of profile field '%(id)s'"),
                    option=option,
                    id=field_id,
                ),
                False,
            )
