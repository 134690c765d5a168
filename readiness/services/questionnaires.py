"""The questionnaire catalogue: every questionnaire of a directory, loaded once per app."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from readiness.domain.loading import load_questionnaires
from readiness.domain.problems import Problem
from readiness.domain.questionnaire import Questionnaire

DEFAULT_QUESTIONNAIRE_DIR = Path(__file__).resolve().parents[2] / "questionnaires"


class UnknownQuestionnaire(LookupError):
    """No questionnaire (or no such version of it) is in the catalogue."""

    def __init__(self, questionnaire_id: str, version: int | None = None) -> None:
        self.questionnaire_id = questionnaire_id
        self.version = version
        what = questionnaire_id if version is None else f"{questionnaire_id} version {version}"
        super().__init__(f"unknown questionnaire: {what}")


@dataclass(frozen=True)
class Catalogue:
    """The valid questionnaires of a directory and the problems of its broken files."""

    questionnaires: tuple[Questionnaire, ...]
    problems: tuple[Problem, ...] = ()
    directory: Path | None = None

    @classmethod
    def load(cls, directory: str | Path) -> Catalogue:
        """Load every `<id>/<version>.yaml` below `directory`; broken files become problems."""
        result = load_questionnaires(directory)
        return cls(result.questionnaires, result.problems, Path(directory))

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
