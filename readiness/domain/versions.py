"""Question IDs across questionnaire versions: the explicit map a newer version declares."""

from __future__ import annotations

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
