"""How plan actions link to recommendations and questions, across questionnaire versions.

The one place that reads the recommendations' structure for the plan. The recommendation document
is being reshaped (action IDs, conditions, prerequisites), so the plan depends only on stable
identifiers: the measure ID (§6.x), the challenge area, the pillar, question IDs and the action's
text; an action ID is used when there is one but never needed. Adapt this module, nothing else,
when the recommendations change.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from readiness.domain.questionnaire import Action
from readiness.domain.questionnaire import Questionnaire


@dataclass(frozen=True)
class Candidate:
    """A recommended action that can be adopted into the plan, with everything it links to."""

    key: str  # stable within one result: measure + action ID or text
    measure: str
    challenge_area: str
    pillar: str | None
    question_ids: tuple[str, ...]
    title: str
    texts: Mapping[str, str]  # the action's text in every language the questionnaire has
    source_id: str | None
    horizon: str | None  # the roadmap horizon ("0-6" …) it is planned in, if any


def candidate_key(measure: str, action: Mapping[str, Any]) -> str:
    """The key of a recommended action: its measure and its ID (else its text)."""
    return f"{measure}|{action.get('id') or action.get('text', '')}"


def linked_questions(
    questionnaire: Questionnaire, challenge_area: str, pillar: str | None
) -> tuple[str, ...]:
    """The questions an action of `challenge_area` should move (of its pillar, if it has one)."""
    return tuple(
        q.id
        for q in questionnaire.questions
        if challenge_area in q.challenge_areas and (pillar is None or q.pillar == pillar)
    )


def _source_action(
    questionnaire: Questionnaire, measure: str, action: Mapping[str, Any]
) -> Action | None:
    """The questionnaire's action a recommended action was made from (None if it has no ID)."""
    found = questionnaire.measure(measure)
    for source in found.actions if found else ():
        if action.get("id") and source.id == action.get("id"):
            return source
    return None


def _texts(questionnaire: Questionnaire, measure: str, action: Mapping[str, Any]) -> dict:
    source = _source_action(questionnaire, measure, action)
    return dict(source.text.values) if source is not None else {}


def action_questions(
    questionnaire: Questionnaire,
    measure: str,
    area: str,
    action: Mapping[str, Any],
    named: Sequence[str] = (),
) -> tuple[str, ...]:
    """The questions an adopted action should move, narrowest first.

    1. the questions the recommended action names itself ("questions"), else
    2. the questions its done-conditions read (`done_when`), else
    3. the questions its recommendation names as holding the area back (`named`), of the
       action's pillar when it has one, else
    4. the questions of its challenge area (of its pillar, if it has one).
    Only IDs the questionnaire has are kept.
    """
    pillar = action.get("pillar")
    source = _source_action(questionnaire, measure, action)
    options = (
        tuple(action.get("questions") or ()),
        tuple(source.done_when) if source is not None else (),
        tuple(
            qid
            for qid in named
            if (q := questionnaire.question(qid)) is not None
            and area in q.challenge_areas
            and (pillar is None or q.pillar == pillar)
        ),
    )
    for ids in options:
        known = tuple(dict.fromkeys(q for q in ids if questionnaire.question(q) is not None))
        if known:
            return known
    return linked_questions(questionnaire, area, pillar)


def candidates(questionnaire: Questionnaire, document: Mapping[str, Any]) -> list[Candidate]:
    """Every action of a result document's recommendations and roadmap, once, in roadmap order."""
    areas = {r["measure"]: r["challenge_area"] for r in document.get("recommendations", ())}
    named = {
        r["measure"]: tuple((r.get("reason") or {}).get("questions") or ())
        for r in document.get("recommendations", ())
    }
    found: dict[str, Candidate] = {}

    def add(measure: str, area: str, action: Mapping[str, Any], horizon: str | None) -> None:
        key = candidate_key(measure, action)
        if key in found:
            return
        pillar = action.get("pillar")
        text = action.get("text") or ""
        found[key] = Candidate(
            key=key,
            measure=measure,
            challenge_area=area,
            pillar=pillar,
            question_ids=action_questions(
                questionnaire, measure, area, action, named.get(measure, ())
            ),
            title=text if isinstance(text, str) else next(iter(text.values()), ""),
            texts=_texts(questionnaire, measure, action) or {document.get("lang", "en"): text},
            source_id=action.get("id"),
            horizon=horizon,
        )

    for horizon in document.get("roadmap", ()):
        for step in horizon.get("steps", ()):
            area = step.get("challenge_area") or areas.get(step["measure"], "")
            for action in step.get("actions", ()):
                add(step["measure"], area, action, horizon.get("horizon"))
    for rec in document.get("recommendations", ()):
        for action in rec.get("actions", ()):
            add(rec["measure"], rec["challenge_area"], action, None)
    return list(found.values())


@dataclass(frozen=True)
class Adopted:
    """What the recommendations need to know of a plan action: its link and its status."""

    measure: str | None
    source_id: str | None
    texts: tuple[str, ...]
    status: str


def match(measure: str, action: Mapping[str, Any], plan: Iterable[Adopted]) -> Adopted | None:
    """The plan action adopted from this recommended action (same measure; same ID or text)."""
    text = action.get("text")
    for item in plan:
        if item.measure != measure:
            continue
        if (item.source_id and item.source_id == action.get("id")) or text in item.texts:
            return item
    return None


def annotate(recommendations: Sequence[Mapping[str, Any]], plan: Sequence[Adopted]) -> list[dict]:
    """Recommendations with done actions dropped and the rest marked with their plan status.

    Each action gains "key" (to adopt it) and "plan_status" (None when not in the plan); each
    recommendation gains
    "done_count", the number of its actions left out because the plan has them done.
    """
    out = []
    for rec in recommendations:
        actions, done = [], 0
        for action in rec.get("actions", ()):
            adopted = match(rec["measure"], action, plan)
            if adopted is not None and adopted.status == "done":
                done += 1
                continue
            actions.append(
                {
                    **action,
                    "key": candidate_key(rec["measure"], action),
                    "plan_status": adopted.status if adopted else None,
                }
            )
        out.append({**rec, "actions": actions, "done_count": done})
    return out


def annotate_roadmap(roadmap: Sequence[Mapping[str, Any]], plan: Sequence[Adopted]) -> list[dict]:
    """Roadmap horizons whose actions carry "plan_status" (None when not in the plan)."""
    return [
        {
            **horizon,
            "steps": [
                {
                    **step,
                    "actions": [
                        {**a, "plan_status": _status(match(step["measure"], a, plan))}
                        for a in step.get("actions", ())
                    ],
                }
                for step in horizon.get("steps", ())
            ],
        }
        for horizon in roadmap
    ]


def _status(adopted: Adopted | None) -> str | None:
    return adopted.status if adopted is not None else None


def declared_mapping(
    questionnaire: Questionnaire, from_version: int | None = None
) -> Mapping[str, Sequence[str]]:
    """The question-ID map a questionnaire declares from its previous version (old -> new IDs).

    A version declares `previous: {version, questions}` (flagship v2 maps every v1 ID); a
    question mapped to nothing was dropped. The map applies to IDs of `from_version` (None: the
    declared previous version); for any other version it is empty and IDs carry over unchanged.
    """
    previous = questionnaire.previous_version
    if previous is None or (from_version is not None and from_version != previous):
        return {}
    return {
        old: () if new is None else (new,) for old, new in questionnaire.previous_questions.items()
    }


def resolve_question_ids(
    question_ids: Iterable[str],
    target: Questionnaire,
    mapping: Mapping[str, Sequence[str]] | None = None,
) -> tuple[str, ...]:
    """The IDs in `target` of questions linked under an older version (mapped, else kept).

    An ID the mapping names becomes its new ID(s); any other ID is kept when `target` still has
    it; IDs of removed questions drop out. Order is kept and duplicates are removed.
    """
    mapping = mapping or {}
    resolved: list[str] = []
    for qid in question_ids:
        for new in mapping.get(qid, (qid,)):
            if target.question(new) is not None and new not in resolved:
                resolved.append(new)
    return tuple(resolved)
