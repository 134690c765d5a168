"""Comparison of two assessments: score and level changes, answer changes, measures addressed."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from readiness.domain.answers import AnswerSet
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.recommendations import TOP_LEVEL
from readiness.domain.recommendations import prioritise
from readiness.domain.scoring import UNANSWERED
from readiness.domain.scoring import Result
from readiness.domain.scoring import Scorecard
from readiness.domain.versions import changed_meaning
from readiness.domain.versions import question_map

# A score change smaller than this (in points of 0-100) at the same level counts as unchanged:
# it is within what re-answering one middling question differently moves a pillar.
SCORE_THRESHOLD = 2.5
IMPROVED, REGRESSED, UNCHANGED, NOT_APPLICABLE = "improved", "regressed", "unchanged", "n/a"
ADDED, REMOVED, CHANGED, SAME = "added", "removed", "changed", "same"
# the newer version maps the question but asks something else: the answers are not comparable
REDEFINED = "redefined"
ADDRESSED, REMAINING, NOT_ASSESSED = "addressed", "remaining", "not_assessed"
# What happened to a recommended measure's challenge area, in words people use.
REACHED_TARGET, PROGRESSED, NO_CHANGE, FELL_BACK = (
    "reached_target",
    "progressed",
    "no_change",
    "fell_back",
)


@dataclass(frozen=True)
class Delta:
    """Before/after score and level of one result (overall, a pillar or a challenge area)."""

    kind: str  # "overall", "pillar" or "challenge_area"
    id: str
    before: float | None
    after: float | None
    change: float | None
    level_before: int | None
    level_after: int | None
    level_change: int | None
    trend: str
    comparable: bool
    note: str  # a plain statement of why the scores are not strictly comparable ("" when they are)


@dataclass(frozen=True)
class QuestionChange:
    """One question's old and new answer (matched by stable question ID)."""

    id: str
    pillar: str
    change: str  # same / changed / added / removed / redefined (the question changed meaning)
    before: Any  # the answer's JSON form; None when unanswered, not applicable or absent
    after: Any
    status_before: str | None  # scoring status; None when the question is not in that version
    status_after: str | None
    level_before: int | None
    level_after: int | None
    comment_before: str
    comment_after: str


@dataclass(frozen=True)
class MeasureProgress:
    """A measure recommended after the first assessment and whether the second closed its gap."""

    measure: str
    challenge_area: str
    priority: int
    level_before: int
    level_after: int | None
    status: str  # addressed / remaining / not_assessed
    outcome: str = (
        NOT_ASSESSED  # reached_target / progressed / no_change / fell_back / not_assessed
    )
    priority_after: int | None = None  # its rank among the second assessment's recommendations


@dataclass(frozen=True)
class Comparison:
    """Everything that changed between two assessments (a = before, b = after)."""

    questionnaire_before: str
    questionnaire_after: str
    overall: Delta
    pillars: tuple[Delta, ...]
    challenge_areas: tuple[Delta, ...]
    questions: tuple[QuestionChange, ...]
    measures: tuple[MeasureProgress, ...]
    target_level: int

    @property
    def added(self) -> tuple[str, ...]:
        """IDs of questions asked only in the second assessment's version."""
        return tuple(q.id for q in self.questions if q.change == ADDED)

    @property
    def removed(self) -> tuple[str, ...]:
        """IDs of questions asked only in the first assessment's version."""
        return tuple(q.id for q in self.questions if q.change == REMOVED)

    @property
    def addressed(self) -> tuple[MeasureProgress, ...]:
        """Recommended measures whose gap was closed."""
        return tuple(m for m in self.measures if m.status == ADDRESSED)

    @property
    def remaining(self) -> tuple[MeasureProgress, ...]:
        """Recommended measures whose gap is still open (or could not be assessed)."""
        return tuple(m for m in self.measures if m.status != ADDRESSED)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict (scores rounded to one decimal, as everywhere for display)."""
        return {
            "questionnaire": {
                "before": self.questionnaire_before,
                "after": self.questionnaire_after,
            },
            "thresholds": {"score": SCORE_THRESHOLD, "target_level": self.target_level},
            "overall": delta_dict(self.overall),
            "pillars": {d.id: delta_dict(d) for d in self.pillars},
            "challenge_areas": {d.id: delta_dict(d) for d in self.challenge_areas},
            "questions": {q.id: _fields(q) for q in self.questions},
            "added_questions": list(self.added),
            "removed_questions": list(self.removed),
            "measures": {
                "addressed": [_fields(m) for m in self.addressed],
                "remaining": [_fields(m) for m in self.remaining],
            },
        }


def _fields(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__dataclass_fields__}


def rounded(value: float | None) -> float | None:
    """A score rounded to one decimal for display (None stays None)."""
    return None if value is None else round(value, 1)


def delta_dict(delta: Delta) -> dict[str, Any]:
    """One Delta as JSON, scores rounded to one decimal."""
    data = _fields(delta)
    for key in ("before", "after", "change"):
        data[key] = rounded(data[key])
    return data


def classify(
    before: float | None,
    after: float | None,
    level_before: int | None,
    level_after: int | None,
    uncertain: bool = False,
) -> str:
    """improved / regressed / unchanged: a level change decides; at the same level, |Δ| ≥ 2.5.

    `uncertain`: the two level ranges overlap and one is a real range (don't-know answers), so
    the level change may be an artefact of the unknowns and the score decides instead.
    """
    if before is None or after is None or level_before is None or level_after is None:
        return NOT_APPLICABLE
    if level_after != level_before and not uncertain:
        return IMPROVED if level_after > level_before else REGRESSED
    change = after - before
    if abs(change) < SCORE_THRESHOLD:
        return UNCHANGED
    return IMPROVED if change > 0 else REGRESSED


def _overlap(a: Result | None, b: Result | None) -> bool:
    """Whether two results' level ranges overlap while one of them is a real range."""
    ra = a.level_range if a is not None else None
    rb = b.level_range if b is not None else None
    if ra is None or rb is None or (ra[0] == ra[1] and rb[0] == rb[1]):
        return False
    return ra[0] <= rb[1] and rb[0] <= ra[1]


def delta(kind: str, result_id: str, a: Result | None, b: Result | None, note: str = "") -> Delta:
    """The Delta between two results (either may be missing when a version lacks the result)."""
    before = a.score if a is not None else None
    after = b.score if b is not None else None
    level_before = a.level if a is not None else None
    level_after = b.level if b is not None else None
    both = before is not None and after is not None
    both_levels = level_before is not None and level_after is not None
    return Delta(
        kind=kind,
        id=result_id,
        before=before,
        after=after,
        change=after - before if both else None,
        level_before=level_before,
        level_after=level_after,
        level_change=level_after - level_before if both_levels else None,
        trend=classify(before, after, level_before, level_after, _overlap(a, b)),
        comparable=not note,
        note=note,
    )


# --- comparability: which results are built from the same questions in both versions ---------


def _pillar_signature(q: Questionnaire, pillar_id: str) -> dict[str, float]:
    return {x.id: x.weight for x in q.questions_of(pillar_id)}


def _area_signature(q: Questionnaire, area_id: str) -> dict[str, float]:
    return {
        x.id: x.weight * x.challenge_areas[area_id]
        for x in q.questions
        if area_id in x.challenge_areas
    }


def _difference(kind: str, rid: str, sig_a: Mapping[str, float], sig_b: Mapping[str, float]) -> str:
    """A plain statement of how a result's questions differ between versions ("" if they do not)."""
    added = sorted(set(sig_b) - set(sig_a))
    removed = sorted(set(sig_a) - set(sig_b))
    reweighted = sorted(k for k in set(sig_a) & set(sig_b) if sig_a[k] != sig_b[k])
    parts = []
    if added:
        parts.append("added " + ", ".join(added))
    if removed:
        parts.append("removed " + ", ".join(removed))
    if reweighted:
        parts.append("weights changed for " + ", ".join(reweighted))
    if not parts:
        return ""
    return f"Not strictly comparable: the questions of {kind} {rid} changed ({'; '.join(parts)})."


def _rules_note(qa: Questionnaire, qb: Questionnaire) -> str:
    """A statement when the two versions score or band levels differently ("" when the same)."""
    if qa.id != qb.id:
        return f"Not comparable: different questionnaires ({qa.key} and {qb.key})."
    if qa.scoring != qb.scoring:
        return f"Not strictly comparable: the scoring rules differ between {qa.key} and {qb.key}."
    if [lv.min_score for lv in qa.levels] != [lv.min_score for lv in qb.levels]:
        return f"Not strictly comparable: the level bands differ between {qa.key} and {qb.key}."
    return ""


def _ordered_ids(first: Sequence[str], second: Sequence[str]) -> list[str]:
    """IDs of the first sequence in its order, then those only in the second."""
    return list(first) + [x for x in second if x not in set(first)]


def _question_changes(
    qa: Questionnaire,
    ca: Scorecard,
    aa: AnswerSet,
    qb: Questionnaire,
    cb: Scorecard,
    ab: AnswerSet,
) -> tuple[QuestionChange, ...]:
    """Old and new answer of every question of either version, matched by ID.

    When the newer version maps the older one's IDs (`previous`), a renamed question's old
    answer is shown against its new ID; a question the map marks as changed in meaning is
    `REDEFINED` (both answers shown, neither "same" nor "changed").
    """
    mapping = question_map(qa.id, qa.version, qb)
    redefined = changed_meaning(qa.id, qa.version, qb)
    old_of = {new: old for old, new in mapping.items() if new is not None and new != old}
    renamed = set(old_of.values())
    ids = _ordered_ids(
        [x.id for x in qb.questions], [x.id for x in qa.questions if x.id not in renamed]
    )
    changes = []
    for qid in ids:
        old = old_of.get(qid, qid)
        ra, rb = ca.questions.get(old), cb.questions.get(qid)
        in_a, in_b = qa.question(old) is not None, qb.question(qid) is not None
        if not in_a:
            kind = ADDED
        elif not in_b:
            kind = REMOVED
        elif old in redefined:
            kind = REDEFINED
        else:
            same = (ra and (ra.status, ra.answer)) == (rb and (rb.status, rb.answer))
            kind = SAME if same else CHANGED
        question = qb.question(qid) or qa.question(old)
        changes.append(
            QuestionChange(
                id=qid,
                pillar=question.pillar,
                change=kind,
                before=ra.answer if ra and in_a else None,
                after=rb.answer if rb and in_b else None,
                status_before=(ra.status if ra else UNANSWERED) if in_a else None,
                status_after=(rb.status if rb else UNANSWERED) if in_b else None,
                level_before=_answered_level(ra) if in_a else None,
                level_after=_answered_level(rb) if in_b else None,
                comment_before=aa.comments.get(old, "") if in_a else "",
                comment_after=ab.comments.get(qid, "") if in_b else "",
            )
        )
    return tuple(changes)


def _answered_level(result: Any) -> int | None:
    """A question's level, or None when it has no answer that scores (unanswered, N/A)."""
    if result is None or result.status in (UNANSWERED, "not_applicable"):
        return None
    return result.level


def _outcome(level_before: int, level_after: int | None, target_level: int) -> str:
    """What happened to a challenge area between the two assessments, in one word."""
    if level_after is None:
        return NOT_ASSESSED
    if level_after >= target_level:
        return REACHED_TARGET
    if level_after > level_before:
        return PROGRESSED
    return FELL_BACK if level_after < level_before else NO_CHANGE


def measure_progress(
    qa: Questionnaire,
    ca: Scorecard,
    cb: Scorecard,
    target_level: int = TOP_LEVEL,
    qb: Questionnaire | None = None,
) -> tuple[MeasureProgress, ...]:
    """Measures recommended after `ca` (area below target) and whether `cb` closed their gap.

    A gap is closed ("addressed") when the measure's challenge area rose at least one level or
    reached `target_level`; "not_assessed" when the area is absent or not applicable in `cb`.
    `outcome` says which (reached the target, progressed, no change, fell back) and
    `priority_after` where the measure ranks among `cb`'s recommendations (None: no longer one).
    """
    ranks = {rec.measure: rec.priority for rec in prioritise(qb or qa, cb, {})}
    progress = []
    for rec in prioritise(qa, ca, {}):
        if rec.level >= target_level:
            continue  # nothing was recommended for an area already at the target
        after = cb.challenge_areas.get(rec.challenge_area)
        level_after = after.level if after is not None and after.applicable else None
        # a level resting on "don't know" answers counts by the low end of its range: an
        # unknown answer never closes a gap
        judged = None if level_after is None else min(level_after, after.level_low)
        if judged is None:
            status = NOT_ASSESSED
        elif judged > rec.level or judged >= target_level:
            status = ADDRESSED
        else:
            status = REMAINING
        progress.append(
            MeasureProgress(
                rec.measure,
                rec.challenge_area,
                rec.priority,
                rec.level,
                level_after,
                status,
                _outcome(rec.level, judged, target_level),
                ranks.get(rec.measure) if level_after is not None else None,
            )
        )
    return tuple(progress)


def compare(
    questionnaire_a: Questionnaire,
    result_a: Scorecard,
    answers_a: AnswerSet,
    questionnaire_b: Questionnaire,
    result_b: Scorecard,
    answers_b: AnswerSet,
    target_level: int = TOP_LEVEL,
) -> Comparison:
    """Compare assessment a (before) with assessment b (after)."""
    qa, qb = questionnaire_a, questionnaire_b
    rules_note = _rules_note(qa, qb)
    pillars = []
    pillar_notes = []
    for pid in _ordered_ids([p.id for p in qa.pillars], [p.id for p in qb.pillars]):
        note = rules_note or _difference(
            "pillar", pid, _pillar_signature(qa, pid), _pillar_signature(qb, pid)
        )
        pillar_notes.append(note)
        pillars.append(
            delta("pillar", pid, result_a.pillars.get(pid), result_b.pillars.get(pid), note)
        )
    areas = []
    for aid in _ordered_ids([a.id for a in qa.challenge_areas], [a.id for a in qb.challenge_areas]):
        note = rules_note or _difference(
            "challenge area", aid, _area_signature(qa, aid), _area_signature(qb, aid)
        )
        areas.append(
            delta(
                "challenge_area",
                aid,
                result_a.challenge_areas.get(aid),
                result_b.challenge_areas.get(aid),
                note,
            )
        )
    weights_a = {p.id: p.weight for p in qa.pillars}
    weights_b = {p.id: p.weight for p in qb.pillars}
    overall_note = rules_note
    if not overall_note and (weights_a != weights_b or any(pillar_notes)):
        overall_note = (
            "Not strictly comparable: the pillars or their questions changed between "
            f"{qa.key} and {qb.key}."
        )
    return Comparison(
        questionnaire_before=qa.key,
        questionnaire_after=qb.key,
        overall=delta("overall", "overall", result_a.overall, result_b.overall, overall_note),
        pillars=tuple(pillars),
        challenge_areas=tuple(areas),
        questions=_question_changes(qa, result_a, answers_a, qb, result_b, answers_b),
        measures=measure_progress(qa, result_a, result_b, target_level, qb),
        target_level=target_level,
    )
