"""Crosswalks shipped with Readiness: what a questionnaire's answers say about other instruments."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from readiness.config import BUILTIN_CROSSWALKS
from readiness.domain.aggregation.crosswalk import Crosswalk
from readiness.domain.aggregation.crosswalk import Estimate
from readiness.domain.aggregation.crosswalk import crosswalk_problems
from readiness.domain.aggregation.crosswalk import estimate
from readiness.domain.aggregation.model import Instrument
from readiness.domain.aggregation.rebase import rebase
from readiness.domain.answers import AnswerSet
from readiness.domain.problems import Problem
from readiness.domain.problems import QuestionnaireError
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.reading import read_questionnaire_file
from readiness.models import Answer
from readiness.services.assessments import answer_set
from readiness.services.questionnaires import Catalogue
from readiness.services.questionnaires import UnknownQuestionnaire


@dataclass(frozen=True)
class CrosswalkSet:
    """The usable crosswalks of a catalogue (with their target instruments) and the problems."""

    crosswalks: tuple[tuple[Crosswalk, Instrument], ...]
    problems: tuple[Problem, ...] = ()

    def from_questionnaire(
        self, questionnaire: Questionnaire
    ) -> list[tuple[Crosswalk, Instrument]]:
        """The crosswalks that start from this questionnaire version."""
        key = (questionnaire.id, questionnaire.version)
        return [(c, i) for c, i in self.crosswalks if c.source == key]


def load_crosswalks(catalogue: Catalogue, directory: Path = BUILTIN_CROSSWALKS) -> CrosswalkSet:
    """Every `*.yaml` crosswalk of `directory` whose questionnaires the catalogue has and which
    checks out against them; the others become problems."""
    found = []
    problems: list[Problem] = []
    for path in sorted(Path(directory).glob("*.yaml")):
        try:
            raw = read_questionnaire_file(path).data
            source = catalogue.get(raw["from"]["questionnaire"], raw["from"]["version"])
            target = catalogue.instrument(raw["to"]["questionnaire"], raw["to"]["version"])
        except QuestionnaireError as exc:
            problems.extend(exc.problems)
            continue
        except (UnknownQuestionnaire, KeyError, TypeError):
            continue  # a crosswalk to a questionnaire this installation does not offer
        crosswalk, broken = crosswalk_problems(raw, str(path), source, target)
        problems.extend(broken)
        if crosswalk is not None and not broken:
            found.append((crosswalk, target))
    return CrosswalkSet(tuple(found + _newer_versions(catalogue, found)), tuple(problems))


def _newer_versions(
    catalogue: Catalogue, found: list[tuple[Crosswalk, Instrument]]
) -> list[tuple[Crosswalk, Instrument]]:
    """Each crosswalk carried to the later versions of its source that no file starts from,
    step by step through each version's map of the one before (see domain.aggregation.rebase)."""
    starts = {(c.source, i.key) for c, i in found}
    added: list[tuple[Crosswalk, Instrument]] = []
    pending = list(found)
    while pending:
        crosswalk, instrument = pending.pop()
        old = catalogue.get(*crosswalk.source)
        for newer in catalogue.all():
            if newer.id != old.id or newer.previous_version != old.version:
                continue
            if ((newer.id, newer.version), instrument.key) in starts:
                continue  # a file maps that version itself
            carried = rebase(crosswalk, old, newer)
            if carried is not None:
                starts.add((carried.source, instrument.key))
                added.append((carried, instrument))
                pending.append((carried, instrument))
    return added


def estimates(
    crosswalks: CrosswalkSet, questionnaire: Questionnaire, answers: AnswerSet
) -> list[tuple[Estimate, Instrument]]:
    """What the answers to `questionnaire` say about each instrument a crosswalk leads to."""
    return [
        (estimate(crosswalk, instrument, answers), instrument)
        for crosswalk, instrument in crosswalks.from_questionnaire(questionnaire)
    ]


def _level_name(instrument: Instrument, level: int | None, lang: str) -> str | None:
    """The instrument's name of `level` in `lang` (None below its first level)."""
    declared = instrument.level(level) if level is not None else None
    return declared.name.get(lang) if declared is not None else None


def _section(found: Estimate, instrument: Instrument, lang: str) -> dict[str, object]:
    """One instrument's estimate, ready for a page."""
    root = instrument.root
    low, high = found.low.nodes[root], found.high.nodes[root]
    titles: dict[str, list[str]] = {"settled": [], "narrowed": [], "unknown": []}
    for entry in found.items:
        item = instrument.item(entry.item)
        titles[entry.status].append(item.text.get(lang) if item is not None else entry.item)
    return {
        "title": found.crosswalk.title.get(lang),
        "instrument": instrument.title.get(lang),
        "instrument_id": instrument.id,
        "low": {
            "level": low.level,
            "name": _level_name(instrument, low.level, lang),
            "score": low.display,
        },
        "high": {
            "level": high.level,
            "name": _level_name(instrument, high.level, lang),
            "score": high.display,
        },
        "maximum": high.maximum,
        "settled": titles["settled"],
        "narrowed": titles["narrowed"],
        "unknown": len(titles["unknown"]),
        "notes": [n.get(lang) for n in instrument.notes],
    }


def crosswalk_sections(
    crosswalks: CrosswalkSet, questionnaire: Questionnaire, answers: AnswerSet, lang: str
) -> list[dict[str, object]]:
    """For a results page: per target instrument, the level range with its level names, the
    score range, and the items the answers settle, narrow or leave unknown (titles in `lang`)."""
    return [
        _section(found, instrument, lang)
        for found, instrument in estimates(crosswalks, questionnaire, answers)
    ]


def assessment_crosswalks(
    crosswalks: CrosswalkSet,
    questionnaire: Questionnaire,
    stored: Mapping[str, Answer],
    lang: str,
) -> list[dict[str, object]]:
    """The crosswalk sections of a stored assessment's answers."""
    return crosswalk_sections(crosswalks, questionnaire, answer_set(questionnaire, stored), lang)


@lru_cache(maxsize=1)
def _builtin_sources() -> frozenset[tuple[str, int]]:
    """The (questionnaire, version) pairs the shipped crosswalks start from."""
    found = set()
    for path in BUILTIN_CROSSWALKS.glob("*.yaml"):
        try:
            start = read_questionnaire_file(path).data["from"]
            found.add((start["questionnaire"], start["version"]))
        except (QuestionnaireError, KeyError, TypeError):
            continue
    return frozenset(found)


@lru_cache(maxsize=1)
def builtin_crosswalks() -> CrosswalkSet:
    """The shipped crosswalks against the shipped questionnaires (loaded once per process)."""
    return load_crosswalks(Catalogue.with_builtin())


def report_sections(
    questionnaire: Questionnaire, answers: AnswerSet, lang: str
) -> list[dict[str, object]]:
    """The crosswalk sections of a report (none unless a shipped crosswalk starts here)."""
    if not any(
        questionnaire.id == qid and questionnaire.version >= version
        for qid, version in _builtin_sources()
    ):  # (later versions are carried through their map of the earlier IDs)
        return []
    return crosswalk_sections(builtin_crosswalks(), questionnaire, answers, lang)
