"""The result document: scorecard and plan in one language, shared by CLI, web and reports."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from readiness.domain.aggregation.rules import EPSILON
from readiness.domain.answers import AnswerSet
from readiness.domain.parts import Part
from readiness.domain.parts import gated_level
from readiness.domain.parts import level_for_score
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.recommendations import Lift
from readiness.domain.recommendations import Plan
from readiness.domain.recommendations import action_dict
from readiness.domain.recommendations import recommend
from readiness.domain.scoring import Result
from readiness.domain.scoring import Scorecard
from readiness.domain.scoring import score


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def gate_explanation(
    questionnaire: Questionnaire, result: Result, kind: str
) -> dict[str, Any] | None:
    """Why a gated result's level sits where it does, as language-neutral numbers and IDs.

    `kind` is "pillar", "challenge_area" or "overall". Returns None unless the result is gated
    and applicable; else {"threshold", "blocked_at" (the first gate not met, None at level 5),
    "share" (the weight share at level >= blocked_at of the known parts that gate counts,
    rounded down to 0.001), "score_level" (the level the score band alone would give),
    "capped" (None, or the binding max_lead cap: {"level", "part", "part_level", "max_lead"}),
    "held_by" (None, or the pillar a challenge area is held to: {"pillar", "level"}),
    "blocking" (the parts holding the level back: those the blocked gate counts below it, and
    the "don't know" answers it would count, each {"part", "status", "answer", "level"})}.
    Gates leave "don't know" answers out (unless every part is unknown), as scoring does.
    """
    if result.method != "gated" or not result.applicable or result.threshold is None:
        return None
    parts = []
    for c in result.working:
        if c.score is None or c.level is None:
            continue
        question = questionnaire.question(c.part) if kind != "overall" else None
        gate = question.gate_level if question is not None else 1
        parts.append(Part(c.part, c.status, c.answer, c.weight, c.score, c.level, gate_level=gate))
    known = [p for p in parts if p.status != "dont_know"] or parts
    gated, shares = gated_level(known, result.threshold)
    blocked = gated + 1 if gated < 5 else None
    share = None if blocked is None else shares[blocked]
    rule = getattr(questionnaire.scoring, kind)
    capped = None
    if rule.max_lead is not None and known:
        weakest = min(known, key=lambda p: (p.level, p.id))
        cap = weakest.level + rule.max_lead
        if cap < gated:
            capped = {
                "level": cap,
                "part": weakest.id,
                "part_level": weakest.level,
                "max_lead": rule.max_lead,
            }
    held_by = None
    if result.capped_by_pillar is not None:
        held_by = {"pillar": result.capped_by_pillar, "level": result.level}
    next_level = result.level + 1 if result.level < 5 else None
    blocking = [
        {"part": p.id, "status": p.status, "answer": p.answer, "level": p.level}
        for p in sorted(parts, key=lambda p: (-p.weight, p.id))
        if next_level is not None
        and p.gate_level <= next_level
        and (p.status == "dont_know" or p.level < next_level)
    ]
    return {
        "threshold": result.threshold,
        "blocked_at": blocked,
        "share": None if share is None else math.floor(share * 1000 + EPSILON) / 1000,
        "score_level": level_for_score(questionnaire.levels, result.score),
        "capped": capped,
        "held_by": held_by,
        "blocking": blocking,
    }


def _result(result: Result, lang: str, title: str | None = None) -> dict[str, Any]:
    """One result for display: score to one decimal, level, level name in `lang`, working."""
    name = None
    if result.level_name is not None:
        name = result.level_name.get(lang) or result.level_name.get("en")
    data: dict[str, Any] = {}
    if title is not None:
        data["title"] = title
    data.update(
        {
            "score": _rounded(result.score),
            "level": result.level,
            "level_low": result.level_range[0] if result.level_range else None,
            "level_range": list(result.level_range) if result.level_range else None,
            # the level if every unknown were the best answer (None: scored before it was kept)
            "level_high": result.level_high,
            "level_name": name,
            # parts answered "not applicable": the level rests on the other parts only
            "not_applicable": [c.part for c in result.working if c.status == "not_applicable"],
            "applicable": result.applicable,
            "method": result.method,
            "confidence": result.confidence,
            "dont_know_share": round(result.dont_know_share, 4),
            "rule": result.rule,
            "working": [
                {
                    "part": c.part,
                    "status": c.status,
                    "answer": c.answer,
                    "score": _rounded(c.score),
                    "level": c.level,
                    "weight": c.weight,
                    "contribution": round(c.contribution, 2),
                }
                for c in result.working
            ],
        }
    )
    return data


def plan_document(questionnaire: Questionnaire, plan: Plan, lang: str) -> dict[str, Any]:
    """The plan's recommendations, roadmap and next-level lifts, texts in `lang`."""
    recommendations = []
    for rec in plan.recommendations:
        measure = questionnaire.measure(rec.measure)
        area = questionnaire.challenge_area(rec.challenge_area)
        recommendations.append(
            {
                "priority": rec.priority,
                "measure": rec.measure,
                "title": measure.title.get(lang) if measure else rec.measure,
                "summary": measure.summary.get(lang) if measure else "",
                "paper": rec.paper,
                "challenge_area": rec.challenge_area,
                "challenge_area_title": area.title.get(lang) if area else rec.challenge_area,
                "gap": round(rec.gap, 2),
                "score": _rounded(rec.score),
                "level": rec.level,
                "reason": None
                if rec.reason is None
                else {
                    "kind": rec.reason.kind,
                    "pillars": list(rec.reason.pillars),
                    "share": round(rec.reason.share, 3),
                    "questions": list(rec.reason.questions),
                },
                "actions": [action_dict(a, lang) for a in rec.actions],
            }
        )
    roadmap = [
        {
            "horizon": h.id,
            "months": [h.start_month, h.end_month],
            "steps": [
                {
                    "measure": s.measure,
                    "challenge_area": s.challenge_area,
                    "from_level": s.from_level,
                    "actions": [action_dict(a, lang) for a in s.actions],
                }
                for s in h.steps
            ],
        }
        for h in plan.roadmap
    ]
    next_level = {pid: _lift_document(lift) for pid, lift in plan.next_level.items()}
    overall_next = None if plan.overall_next is None else _lift_document(plan.overall_next)
    return {
        "recommendations": recommendations,
        "roadmap": roadmap,
        "next_level": next_level,
        "overall_next": overall_next,
    }


def _lift_document(lift: Lift) -> dict[str, Any]:
    """One next-level suggestion: levels, re-scored result and the answer changes."""
    return {
        "current_level": lift.current_level,
        "target_level": lift.target_level,
        "reachable": lift.reachable,
        "new_score": _rounded(lift.new_score),
        "new_level": lift.new_level,
        "changes": [
            {
                "question": c.question_id,
                "status": c.status,
                "current": c.current,
                "suggested": c.suggested,
            }
            for c in lift.changes
        ],
        "rule": lift.rule,
    }


def scorecard_document(
    questionnaire: Questionnaire, scorecard: Scorecard, lang: str
) -> dict[str, Any]:
    """The scorecard for display in `lang` (scores rounded to one decimal)."""
    pillars = {
        p.id: {
            **_result(scorecard.pillars[p.id], lang, p.title.get(lang)),
            "gate": gate_explanation(questionnaire, scorecard.pillars[p.id], "pillar"),
        }
        for p in questionnaire.pillars
        if p.id in scorecard.pillars
    }
    areas = {
        a.id: {
            **_result(scorecard.challenge_areas[a.id], lang, a.title.get(lang)),
            "gate": gate_explanation(
                questionnaire, scorecard.challenge_areas[a.id], "challenge_area"
            ),
        }
        for a in questionnaire.challenge_areas
        if a.id in scorecard.challenge_areas
    }
    overall = {
        **_result(scorecard.overall, lang),
        "gate": gate_explanation(questionnaire, scorecard.overall, "overall"),
    }
    return {
        "questionnaire": {
            "id": questionnaire.id,
            "version": questionnaire.version,
            "title": questionnaire.title.get(lang),
        },
        "lang": lang,
        "overall": overall,
        "pillars": pillars,
        "challenge_areas": areas,
        "coverage": round(scorecard.coverage, 4),
        "confidence": scorecard.confidence,
        "unanswered": list(scorecard.unanswered),
        "questions": {
            qid: {
                "pillar": qr.pillar,
                "status": qr.status,
                "answer": qr.answer,
                "score": _rounded(qr.score),
                "level": qr.level,
            }
            for qid, qr in scorecard.questions.items()
        },
    }


def result_document(
    questionnaire: Questionnaire,
    answers: AnswerSet,
    profile: Mapping[str, object],
    lang: str = "en",
    scorecard: Scorecard | None = None,
    plan: Plan | None = None,
) -> dict[str, Any]:
    """Score and recommend (unless given: the plan is language-neutral), build it in `lang`."""
    scorecard = scorecard if scorecard is not None else score(questionnaire, answers)
    plan = plan if plan is not None else recommend(questionnaire, scorecard, profile)
    document = scorecard_document(questionnaire, scorecard, lang)
    # the reason given for each "not applicable" answer, shown next to the levels it shapes
    document["not_applicable_reasons"] = {
        qid: answers.comments.get(qid, "")
        for qid, qr in scorecard.questions.items()
        if qr.status == "not_applicable"
    }
    return {**document, "profile": dict(profile), **plan_document(questionnaire, plan, lang)}
