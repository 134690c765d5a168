"""The plan closes the loop: actions beside re-asked questions, "did it help?", and reminders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace
from datetime import date
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy import select
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from readiness.domain.comparison import Comparison
from readiness.domain.plan import ActionStatus
from readiness.domain.plan import needs_reminder
from readiness.domain.plan_links import Adopted
from readiness.domain.plan_links import declared_mapping
from readiness.domain.plan_links import resolve_question_ids
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.scoring import Scorecard
from readiness.models import Organisation
from readiness.models import PlanAction
from readiness.models import User
from readiness.services.comparison_view import PairView
from readiness.services.comparisons import Scored
from readiness.services.page_rows import ShownAssessment
from readiness.services.page_rows import submitted_at
from readiness.services.plans import as_adopted
from readiness.services.result_explain import answer_text

# What the recommendations need of each adopted action: the results page reads it on every view.
ADOPTED = (
    select(
        PlanAction.measure_id,
        PlanAction.source_id,
        PlanAction.source_key,
        PlanAction.source_texts,
        PlanAction.title,
        PlanAction.status,
    )
    .where(
        PlanAction.organisation_id == bindparam("organisation_id"),
        PlanAction.source_key.is_not(None),
    )
    .order_by(PlanAction.id)
)

_ACTIONS = PlanAction.__table__.c
# What a questionnaire page shows of the plan, built once: a Core statement of these columns
# costs a fraction of loading PlanAction objects with their owners.
_LINKS = (
    select(
        _ACTIONS.id,
        _ACTIONS.title,
        _ACTIONS.status,
        _ACTIONS.done_at,
        _ACTIONS.question_ids,
        _ACTIONS.questionnaire_id,
        _ACTIONS.questionnaire_version,
    )
    .where(_ACTIONS.organisation_id == bindparam("organisation_id"))
    .order_by(_ACTIONS.id)
)


def _actions(session: Session, organisation_id: int) -> list[PlanAction]:
    return list(
        session.scalars(
            select(PlanAction)
            .where(PlanAction.organisation_id == organisation_id)
            .options(selectinload(PlanAction.owner))
            .order_by(PlanAction.id)
        )
    )


# What the comparison's "did it help?" reads of each action, built once (the table's columns):
# the page is kept under these rows, so they are read on every request.
_PLAN_ROWS = (
    select(
        _ACTIONS.id,
        _ACTIONS.measure_id,
        _ACTIONS.challenge_area,
        _ACTIONS.status,
        _ACTIONS.done_at,
        _ACTIONS.title,
        _ACTIONS.question_ids,
        _ACTIONS.questionnaire_id,
        _ACTIONS.questionnaire_version,
    )
    .where(_ACTIONS.organisation_id == bindparam("organisation_id"))
    .order_by(_ACTIONS.id)
)


def plan_rows(session: Session, organisation_id: int) -> list[Row[Any]]:
    """The organisation's plan actions as `measure_outcomes` reads them, in one narrow query."""
    return list(session.execute(_PLAN_ROWS, {"organisation_id": organisation_id}))


def question_ids_in(
    action: PlanAction | Row[Any], questionnaire: Questionnaire, only: str | None = None
) -> tuple[str, ...]:
    """The action's linked questions (or just `only`) as IDs of `questionnaire`.

    IDs were linked under the action's questionnaire version; a newer version of the same
    questionnaire translates them through the mapping it declares.
    """
    mapping = None
    if (
        action.questionnaire_id == questionnaire.id
        and action.questionnaire_version is not None
        and questionnaire.version > action.questionnaire_version
    ):
        mapping = declared_mapping(questionnaire, action.questionnaire_version)
    ids = (only,) if only is not None else (action.question_ids or ())
    return resolve_question_ids(ids, questionnaire, mapping)


def adopted(session: Session, organisation_id: int) -> list[Adopted]:
    """The plan as the recommendations see it: each adopted action's link and status."""
    return as_adopted(session.execute(ADOPTED, {"organisation_id": organisation_id}))


@dataclass(frozen=True)
class LinkedAction:
    """A plan action shown beside a question it should move."""

    id: int
    title: str
    status: str
    done_since_last: bool  # done after the assessment this one repeats was submitted


def linked_by_question(
    session: Session, assessment: ShownAssessment, questionnaire: Questionnaire
) -> dict[str, list[LinkedAction]]:
    """Per question of `questionnaire`: the plan actions linked to it (dropped ones left out)."""
    since = submitted_at(session, assessment.previous_assessment_id)
    out: dict[str, list[LinkedAction]] = {}
    for action in session.execute(_LINKS, {"organisation_id": assessment.organisation_id}):
        if action.status == ActionStatus.DROPPED:
            continue
        done_since = (
            action.status == ActionStatus.DONE
            and action.done_at is not None
            and since is not None
            and action.done_at > since
        )
        item = LinkedAction(action.id, action.title, action.status, done_since)
        for qid in question_ids_in(action, questionnaire):
            out.setdefault(qid, []).append(item)
    return out


@dataclass(frozen=True)
class QuestionMove:
    """A linked question's answer, score and level before and after.

    None (or "—" for the answers): not answered, or not in that version.
    """

    before_id: str | None
    after_id: str | None
    level_before: int | None
    level_after: int | None
    text: str = ""
    answer_before: str = "—"
    answer_after: str = "—"
    score_before: float | None = None
    score_after: float | None = None


@dataclass(frozen=True)
class MeasureOutcome:
    """Per measure: the plan actions done between two assessments and how its results moved."""

    measure: str
    title: str
    challenge_area: str | None
    done: tuple[str, ...]  # titles of the actions done in between
    still_open: tuple[tuple[str, str], ...]  # (title, status)
    area_before: float | None
    area_after: float | None
    level_before: int | None
    level_after: int | None
    questions: tuple[QuestionMove, ...]

    @property
    def questions_up(self) -> int:
        """Linked questions whose level rose."""
        return sum(1 for q in self.questions if _rose(q.level_before, q.level_after))

    @property
    def questions_down(self) -> int:
        """Linked questions whose level fell."""
        return sum(1 for q in self.questions if _rose(q.level_after, q.level_before))

    @property
    def verdict(self) -> str:
        """improved / unchanged / regressed: the area's level, else its score (by 2.5 points)."""
        if self.level_before is not None and self.level_after is not None:
            if self.level_after != self.level_before:
                return "improved" if self.level_after > self.level_before else "regressed"
        if self.area_before is None or self.area_after is None:
            return "unchanged"
        change = self.area_after - self.area_before
        return "improved" if change >= 2.5 else "regressed" if change <= -2.5 else "unchanged"


def _rose(a: int | None, b: int | None) -> bool:
    return a is not None and b is not None and b > a


def _level(card: Scorecard, qid: str | None) -> int | None:
    result = card.questions.get(qid) if qid else None
    return None if result is None or result.score is None else result.level


def _move(
    before: tuple[Questionnaire, Scorecard],
    after: tuple[Questionnaire, Scorecard],
    ids: tuple[str | None, str | None],
    lang: str,
) -> QuestionMove:
    """One linked question in both assessments: its answers as text, scores and levels."""
    sides = []
    for (questionnaire, card), qid in zip((before, after), ids, strict=True):
        question = questionnaire.question(qid) if qid else None
        result = card.questions.get(qid) if qid else None
        if question is None or result is None:
            sides.append((question, "—", None))
            continue
        text = answer_text(question, result.answer, result.status, lang)
        sides.append((question, text, None if result.status != "answered" else result.score))
    (q_before, a_before, s_before), (q_after, a_after, s_after) = sides
    shown = q_after or q_before
    return QuestionMove(
        ids[0],
        ids[1],
        _level(before[1], ids[0]),
        _level(after[1], ids[1]),
        text=shown.text.get(lang) if shown is not None else "",
        answer_before=a_before,
        answer_after=a_after,
        score_before=s_before,
        score_after=s_after,
    )


def with_plan(
    session: Session,
    view: PairView,
    before: Scored,
    after: Scored,
    organisation_id: int | None = None,
    actions: Sequence[Any] | None = None,
) -> PairView:
    """The comparison view with the plan's actions per measure and how their results moved.

    `organisation_id` defaults to the assessments' own (pass it when they come from a cache);
    `actions`: the organisation's plan as `plan_rows` read it, if the caller has it.
    """
    outcomes = measure_outcomes(
        session,
        before.assessment.organisation_id if organisation_id is None else organisation_id,
        (before.questionnaire, before.scorecard, before.when),
        (after.questionnaire, after.scorecard, after.when),
        view.comparison,
        view.lang,
        actions,
    )
    return replace(view, plan_outcomes=tuple(outcomes))


def measure_outcomes(
    session: Session,
    organisation_id: int,
    before: tuple[Questionnaire, Scorecard, datetime],
    after: tuple[Questionnaire, Scorecard, datetime],
    comparison: Comparison,
    lang: str,
    actions: Sequence[Any] | None = None,
) -> list[MeasureOutcome]:
    """For each measure with plan actions done or open between the two assessments: what moved.

    `actions`: the plan (PlanAction, or rows of `plan_rows`); read here if not given.
    """
    (qb, cb, when_b), (qa, ca, when_a) = before, after
    areas = {d.id: d for d in comparison.challenge_areas}
    grouped: dict[str, list[Any]] = {}
    for action in _actions(session, organisation_id) if actions is None else actions:
        if action.measure_id and action.status != ActionStatus.DROPPED:
            grouped.setdefault(action.measure_id, []).append(action)
    outcomes = []
    for measure, actions in sorted(grouped.items()):
        done = [
            a
            for a in actions
            if a.status == ActionStatus.DONE and a.done_at and when_b < a.done_at <= when_a
        ]
        still_open = [a for a in actions if ActionStatus(a.status).is_open]
        if not done and not still_open:
            continue
        area = next((a.challenge_area for a in actions if a.challenge_area), None)
        delta = areas.get(area) if area else None
        moves: dict[tuple[str | None, str | None], QuestionMove] = {}
        for action in done or still_open:
            for qid in action.question_ids or ():
                b = next(iter(question_ids_in(action, qb, qid)), None)
                a = next(iter(question_ids_in(action, qa, qid)), None)
                if (b, a) != (None, None) and (b, a) not in moves:
                    moves[(b, a)] = _move((qb, cb), (qa, ca), (b, a), lang)
        outcomes.append(
            MeasureOutcome(
                measure=measure,
                title=qa.measure(measure).title.get(lang) if qa.measure(measure) else "",
                challenge_area=area,
                done=tuple(a.title for a in done),
                still_open=tuple((a.title, a.status) for a in still_open),
                area_before=delta.before if delta else None,
                area_after=delta.after if delta else None,
                level_before=delta.level_before if delta else None,
                level_after=delta.level_after if delta else None,
                questions=tuple(moves.values()),
            )
        )
    return outcomes


@dataclass(frozen=True)
class Reminder:
    """One message to send: an owner and their actions due soon or overdue."""

    email: str
    name: str
    locale: str | None
    organisation: str
    actions: tuple[PlanAction, ...]


def due_reminders(
    session: Session, today: date, days: int
) -> tuple[list[Reminder], list[PlanAction]]:
    """Reminders per owner and organisation, and the due actions nobody can be mailed about."""
    rows = session.scalars(
        select(PlanAction)
        .where(PlanAction.status.in_(("planned", "in_progress")), PlanAction.due_date.is_not(None))
        .options(selectinload(PlanAction.owner), selectinload(PlanAction.organisation))
        .order_by(PlanAction.organisation_id, PlanAction.due_date, PlanAction.id)
    )
    grouped: dict[tuple[str, int], list[PlanAction]] = {}
    people: dict[tuple[str, int], tuple[str, str | None, Organisation]] = {}
    unreachable = []
    for action in rows:
        if not needs_reminder(action.due_date, action.status, today, days):
            continue
        owner: User | None = action.owner
        email = owner.email if owner is not None else action.owner_email
        if not email:
            unreachable.append(action)
            continue
        key = (email.lower(), action.organisation_id)
        grouped.setdefault(key, []).append(action)
        name = owner.name if owner is not None else action.owner_name
        people[key] = (name, owner.locale if owner is not None else None, action.organisation)
    reminders = [
        Reminder(
            email,
            people[(email, org)][0],
            people[(email, org)][1],
            people[(email, org)][2].name,
            tuple(actions),
        )
        for (email, org), actions in grouped.items()
    ]
    return reminders, unreachable


def open_counts(actions: Sequence[PlanAction], today: date) -> dict[str, int]:
    """How many actions are in each status, and how many are overdue."""
    counts = {s.value: 0 for s in ActionStatus}
    for a in actions:
        counts[a.status] += 1
    counts["overdue"] = sum(
        1
        for a in actions
        if a.due_date is not None and ActionStatus(a.status).is_open and a.due_date < today
    )
    return counts
