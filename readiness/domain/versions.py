"""Questionnaire versions: the ID map a newer version declares, and which version a file is for."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from readiness.domain.answers import AnswerError
from readiness.domain.messages import N_
from readiness.domain.questionnaire import Questionnaire


def question_map(old_id: str, old_version: int, new: Questionnaire) -> dict[str, str | None]:
    """Each question ID of `old_id@old_version` that `new` maps, to its ID in `new` (None: dropped).

    A version declares `previous: {version, questions}` for the version before it; for any
    other pair (same version, another questionnaire, no declaration) the map is empty and
    questions match by their unchanged IDs.
    """
    if old_id != new.id or new.previous_version != old_version:
        return {}
    return dict(new.previous_questions)


def changed_meaning(old_id: str, old_version: int, new: Questionnaire) -> frozenset[str]:
    """Old question IDs that `new` maps to a question asking something else (see question_map)."""
    if old_id != new.id or new.previous_version != old_version:
        return frozenset()
    return new.previous_changed


@dataclass(frozen=True)
class DetectedVersion:
    """The version an answers file was scored against, and how it was chosen."""

    questionnaire: Questionnaire
    source: str  # "file" (it names its version), "questions" (its IDs fit one), "latest"
    fits: tuple[int, ...] = ()  # the versions whose questions hold every answered ID

    @property
    def ambiguous(self) -> bool:
        """More than one version fits the answered IDs, and the file names none."""
        return self.source == "latest" and len(self.fits) > 1


def declared_version(data: Mapping[str, Any]) -> int | None:
    """The version an answers file names: `"version": N` or `"questionnaire": {"version": N}`.

    :raises AnswerError: the named version is not a whole number ≥ 1.
    """
    nested = data.get("questionnaire")
    value = data.get("version", nested.get("version") if isinstance(nested, dict) else None)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise AnswerError(None, N_("the answers file's version must be a whole number ≥ 1"))
    return value


def detect_version(versions: Sequence[Questionnaire], data: Mapping[str, Any]) -> DetectedVersion:
    """The version of one questionnaire (`versions`, any order) an answers file was written for.

    The version the file names wins; otherwise the only version whose question IDs hold every
    answered ID; otherwise the latest of those that do (ambiguous) or, if none does, the one
    holding most of them (the answers check then names the unknown question).

    :raises AnswerError: the file names a version that is not among `versions`.
    """
    by_version = {q.version: q for q in versions}
    named = declared_version(data)
    if named is not None:
        if named not in by_version:
            raise AnswerError(
                None,
                N_("the answers file is for version %(version)d, which is not installed"),
                version=named,
            )
        return DetectedVersion(by_version[named], "file")
    answers = data.get("answers")
    answered = set(answers) if isinstance(answers, dict) else set()
    newest_first = sorted(by_version.values(), key=lambda q: -q.version)
    if not answered:
        return DetectedVersion(newest_first[0], "latest")
    ids = {q.version: {x.id for x in q.questions} for q in newest_first}
    fits = tuple(sorted(v for v, known in ids.items() if answered <= known))
    if len(fits) == 1:
        return DetectedVersion(by_version[fits[0]], "questions", fits)
    if fits:
        return DetectedVersion(by_version[fits[-1]], "latest", fits)
    best = max(newest_first, key=lambda q: len(answered & ids[q.version]))
    return DetectedVersion(best, "latest", fits)
