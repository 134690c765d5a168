"""The questionnaire catalogue: the built-in questionnaires plus QUESTIONNAIRE_DIR's."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from readiness.config import BUILTIN_QUESTIONNAIRES
from readiness.domain.aggregation.form import as_questionnaire
from readiness.domain.aggregation.model import Instrument
from readiness.domain.loading import load_questionnaires
from readiness.domain.problems import Problem
from readiness.domain.questionnaire import Questionnaire


class UnknownQuestionnaire(LookupError):
    """No questionnaire (or no such version of it) is in the catalogue."""

    def __init__(self, questionnaire_id: str, version: int | None = None) -> None:
        self.questionnaire_id = questionnaire_id
        self.version = version
        what = questionnaire_id if version is None else f"{questionnaire_id} version {version}"
        super().__init__(f"unknown questionnaire: {what}")


@dataclass(frozen=True)
class Catalogue:
    """The valid questionnaires of some directories and the problems of their broken files."""

    questionnaires: tuple[Questionnaire, ...]
    problems: tuple[Problem, ...] = ()
    instruments: tuple[Instrument, ...] = ()  # format-2 questionnaires (aggregation as a tree)

    @classmethod
    def load(cls, *directories: str | Path) -> Catalogue:
        """Load every `<id>/<version>.yaml` below each directory; broken files become problems.

        A later directory's questionnaire replaces an earlier one with the same id and version.
        """
        found: dict[tuple[str, int], Questionnaire] = {}
        trees: dict[tuple[str, int], Instrument] = {}
        problems: list[Problem] = []
        for directory in directories:
            result = load_questionnaires(directory)
            found.update({(q.id, q.version): q for q in result.questionnaires})
            trees.update({(i.id, i.version): i for i in result.instruments})
            # a format-2 file is filled in, listed and stored like any questionnaire
            found.update({(i.id, i.version): as_questionnaire(i) for i in result.instruments})
            problems.extend(result.problems)
        return cls(tuple(found.values()), tuple(problems), tuple(trees.values()))

    @classmethod
    def with_builtin(cls, extra: str | Path | None = None) -> Catalogue:
        """The questionnaires shipped with Readiness, plus (or overridden by) those of `extra`."""
        return cls.load(BUILTIN_QUESTIONNAIRES, *([extra] if extra else []))

    @classmethod
    def for_config(cls, config: Mapping[str, Any]) -> Catalogue:
        """The catalogue a configuration asks for: built-ins (unless switched off), then extras."""
        extra = config.get("QUESTIONNAIRE_DIR")
        if config.get("BUILTIN_QUESTIONNAIRES", True):
            return cls.with_builtin(extra)
        return cls.load(*([extra] if extra else []))

    def all(self) -> list[Questionnaire]:
        """Every questionnaire version, sorted by id, then version."""
        return sorted(self.questionnaires, key=lambda q: (q.id, q.version))

    def latest(self) -> list[Questionnaire]:
        """The latest version of each questionnaire, sorted by id."""
        newest: dict[str, Questionnaire] = {}
        for q in self.all():
            newest[q.id] = q
        return list(newest.values())

    def versions(self, questionnaire_id: str) -> list[int]:
        """The versions of one questionnaire, ascending (empty if unknown)."""
        return [q.version for q in self.all() if q.id == questionnaire_id]

    def get(self, questionnaire_id: str, version: int | None = None) -> Questionnaire:
        """One questionnaire version (None: the latest); raise UnknownQuestionnaire if absent."""
        matching = [q for q in self.all() if q.id == questionnaire_id]
        if version is not None:
            matching = [q for q in matching if q.version == version]
        if not matching:
            raise UnknownQuestionnaire(questionnaire_id, version)
        return matching[-1]

    def instrument(self, instrument_id: str, version: int | None = None) -> Instrument:
        """One format-2 questionnaire version (None: the latest); raise UnknownQuestionnaire."""
        matching = sorted(
            (i for i in self.instruments if i.id == instrument_id), key=lambda i: i.version
        )
        if version is not None:
            matching = [i for i in matching if i.version == version]
        if not matching:
            raise UnknownQuestionnaire(instrument_id, version)
        return matching[-1]
