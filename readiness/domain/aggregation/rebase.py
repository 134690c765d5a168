"""Crosswalks across questionnaire versions: a crosswalk written for one version of its source
serves a newer version through that version's own map of the older question IDs (`previous`,
the same map that comparisons and repeat prefill use), so no second mapping file is written."""

from __future__ import annotations

from dataclasses import replace

from readiness.domain.aggregation.crosswalk import Crosswalk
from readiness.domain.questionnaire import Question
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.versions import question_map


def same_scale(old: Question, new: Question) -> bool:
    """Whether an answer to `old` means the same as that answer to `new`: the same type and the
    same options, levels or number range (a changed scale gets a new ID by the ID rules, but a
    crosswalk never relies on that alone)."""
    if old.type != new.type:
        return False
    if old.type in ("single_choice", "multiple_choice"):
        return [o.id for o in old.options] == [o.id for o in new.options]
    if old.type == "level":
        return [lv.level for lv in old.levels] == [lv.level for lv in new.levels]
    if old.type == "number":
        return (old.min, old.max) == (new.min, new.max)
    return old.yes_scores == new.yes_scores


def rebase(crosswalk: Crosswalk, old: Questionnaire, new: Questionnaire) -> Crosswalk | None:
    """The crosswalk read from `new` instead of `old` (its source), or None when `new` does not
    declare itself the next version of `old`. Each mapping follows its question to its ID in
    `new`; a mapping whose question was dropped or changed its scale is left out (its item
    becomes unknown, never wrongly settled)."""
    if crosswalk.source != (old.id, old.version) or new.previous_version != old.version:
        return None
    if new.id != old.id:
        return None
    ids = question_map(old.id, old.version, new)
    mappings = []
    for mapping in crosswalk.mappings:
        target = ids.get(mapping.question, mapping.question)
        before, after = old.question(mapping.question), new.question(target) if target else None
        if before is None or after is None or not same_scale(before, after):
            continue
        mappings.append(replace(mapping, question=target))
    return replace(
        crosswalk,
        id=f"{crosswalk.id}+v{new.version}",
        source=(new.id, new.version),
        mappings=tuple(mappings),
    )
