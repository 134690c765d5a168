"""Several respondents: assign members, each answers apart, the owner consolidates and submits.

Each respondent's answers live in their own rows (respondent_answers) and are shown to nobody
else until they submit their part. The consolidation reads only submitted parts; the owner
settles the disputed questions (two levels or more apart) and submits: the consolidated
answers are written to the assessment's own answers and scored as usual, in one transaction.
"""

from __future__ import annotations

from collections.abc import Collection
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import delete
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from readiness.domain.consolidation import Spread
from readiness.domain.consolidation import spread
from readiness.domain.questionnaire import Questionnaire
from readiness.models import Answer
from readiness.models import Assessment
from readiness.models import Membership
from readiness.models import Respondent
from readiness.models import RespondentAnswer
from readiness.models import Settlement
from readiness.models import User
from readiness.models.base import utcnow
from readiness.services import assessments
from readiness.services.accounts import Forbidden
from readiness.services.accounts import NotFound
from readiness.services.accounts import require_role
from readiness.services.answer_input import AssessmentError
from readiness.services.answer_input import AssessmentLocked
from readiness.services.answer_input import Conflict
from readiness.services.answer_input import InvalidAnswer
from readiness.services.answer_input import PageAnswer
from readiness.services.answer_input import SaveOutcome
from readiness.services.answer_input import page_answer
from readiness.services.locking import lock_row

KIND = "respondents"


class NotARespondent(Forbidden):
    """The user is not one of this assessment's respondents."""


class PartNotSubmitted(Forbidden):
    """The user's own part is still open, so others' answers stay hidden from them."""


class RespondentsPending(AssessmentError):
    """Some respondents have not submitted their part yet."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        super().__init__(f"{len(names)} respondents have not submitted yet.")


class Unsettled(AssessmentError):
    """Disputed questions have not been settled by the owner yet."""

    def __init__(self, questions: list[str]) -> None:
        self.questions = questions
        super().__init__(f"{len(questions)} disputed questions are not settled.")


class NoteRequired(AssessmentError):
    """Settling a question needs a note saying why."""


@dataclass(frozen=True)
class QuestionConsolidation:
    """One question: every submitted respondent's answer, the spread, and how it is settled."""

    question_id: str
    given: Mapping[int, PageAnswer]  # respondent ID -> their answer
    spread: Spread
    settlement: Settlement | None

    @property
    def consolidated(self) -> PageAnswer:
        """The answer that will be submitted: the settled one, else the proposal."""
        if self.settlement is not None:
            s = self.settlement
            return PageAnswer(s.status, s.value, s.note)
        if self.spread.proposal is None:
            return PageAnswer()
        return self.given[self.spread.proposal]  # type: ignore[index]

    @property
    def needs_settling(self) -> bool:
        """Disputed and not yet settled."""
        return self.spread.disputed and self.settlement is None


def _require_kind(assessment: Assessment) -> None:
    if assessment.kind != KIND:
        raise NotFound("This assessment does not collect several respondents' answers.")


def respondents_of(session: Session, assessment: Assessment) -> list[Respondent]:
    """The assessment's respondents with their users, in the order they were added."""
    return list(
        session.scalars(
            select(Respondent)
            .where(Respondent.assessment_id == assessment.id)
            .options(selectinload(Respondent.user))
            .order_by(Respondent.id)
        )
    )


def assign(
    session: Session,
    assessment: Assessment,
    user: User,
    chosen: Mapping[int, Collection[str] | None],
) -> list[Respondent]:
    """Set the respondents (user ID -> pillars, None for all); owners only, while a draft.

    Respondents left out are removed with their answers; members only (NotFound otherwise).
    """
    lock_row(session, Assessment, assessment.id)
    require_role(session, user, assessment.organisation_id, "owner")
    _require_kind(assessment)
    if assessment.status != "draft":
        raise AssessmentLocked("This assessment is submitted; its respondents are fixed.")
    members = set(
        session.scalars(
            select(Membership.user_id).where(
                Membership.organisation_id == assessment.organisation_id
            )
        )
    )
    if set(chosen) - members:
        raise NotFound("Respondents must be members of the organisation.")
    current = {r.user_id: r for r in respondents_of(session, assessment)}
    for user_id, respondent in current.items():
        if user_id not in chosen:
            session.delete(respondent)
    for user_id, pillars in chosen.items():
        respondent = current.get(user_id)
        if respondent is None:
            respondent = Respondent(assessment_id=assessment.id, user_id=user_id, revision=1)
            session.add(respondent)
        respondent.pillars = sorted(pillars) if pillars else None
    assessment.updated_at = utcnow()
    session.commit()
    return respondents_of(session, assessment)


def respondent_for(session: Session, assessment: Assessment, user: User) -> Respondent:
    """The user's own part of the assessment.

    :raises NotARespondent: the user is a member but was not asked to respond.
    """
    _require_kind(assessment)
    require_role(session, user, assessment.organisation_id, "viewer")
    respondent = session.scalar(
        select(Respondent).where(
            Respondent.assessment_id == assessment.id, Respondent.user_id == user.id
        )
    )
    if respondent is None:
        raise NotARespondent("You are not one of this assessment's respondents.")
    return respondent


def pillars_of(respondent: Respondent, questionnaire: Questionnaire) -> list[str]:
    """The pillars the respondent answers, in questionnaire order."""
    ids = [p.id for p in questionnaire.pillars]
    return [p for p in ids if respondent.pillars is None or p in respondent.pillars]


def own_answers(session: Session, respondent: Respondent) -> dict[str, RespondentAnswer]:
    """The respondent's own stored answers by question ID."""
    rows = session.scalars(
        select(RespondentAnswer).where(RespondentAnswer.respondent_id == respondent.id)
    )
    return {a.question_id: a for a in rows}


def save_own_answers(
    session: Session,
    respondent: Respondent,
    questionnaire: Questionnaire,
    page: Mapping[str, PageAnswer],
    base_revision: int,
    user: User,
    untouched: Collection[str] = (),
) -> SaveOutcome:
    """Save a page of the respondent's own answers; answers saved meanwhile are kept as conflicts.

    The respondent's row is locked from the comparison to the commit, so two saves at once (two
    tabs) both land, and an answer changed by the other is reported rather than overwritten.
    """
    lock_row(session, Respondent, respondent.id)
    if respondent.user_id != user.id:
        raise NotARespondent("You are not this respondent.")
    assessment = session.get(Assessment, respondent.assessment_id)
    if respondent.submitted_at is not None or assessment is None or assessment.status != "draft":
        raise AssessmentLocked("Your part is submitted; its answers can no longer change.")
    allowed = set(pillars_of(respondent, questionnaire))
    for question_id, given in page.items():
        question = questionnaire.question(question_id)
        if question is None or question.pillar not in allowed:
            raise InvalidAnswer(f"question {question_id}: not yours to answer")
        assessments.check_answer(questionnaire, question_id, given)
    stored = own_answers(session, respondent)
    new_revision = respondent.revision + 1
    saved: list[str] = []
    conflicts: list[Conflict] = []
    for question_id, given in page.items():
        answer = stored.get(question_id)
        current = page_answer(answer)  # type: ignore[arg-type]
        if current == given:
            continue
        if answer is not None and answer.revision > base_revision:
            if question_id not in untouched:
                when = answer.updated_at
                conflicts.append(Conflict(question_id, current, given, user.name, when))
            continue
        if given.is_empty:
            if answer is not None:
                session.delete(answer)
                saved.append(question_id)
            continue
        if answer is None:
            answer = RespondentAnswer(respondent_id=respondent.id, question_id=question_id)
            session.add(answer)
        answer.status = given.status or assessments.ANSWERED
        answer.value = given.value if given.status == assessments.ANSWERED else None
        answer.comment, answer.evidence = given.comment, given.evidence
        answer.updated_at, answer.revision = utcnow(), new_revision
        saved.append(question_id)
    if saved:
        respondent.revision = new_revision
    session.commit()
    return SaveOutcome(saved, conflicts, respondent.revision, respondent.revision)


def submit_part(session: Session, respondent: Respondent, user: User) -> Respondent:
    """Submit the respondent's own part: its answers lock and become visible to the others."""
    lock_row(session, Respondent, respondent.id)
    if respondent.user_id != user.id:
        raise NotARespondent("You are not this respondent.")
    if respondent.submitted_at is not None:
        raise AssessmentLocked("Your part is already submitted.")
    respondent.submitted_at = utcnow()
    session.commit()
    return respondent


def consolidation(
    session: Session, assessment: Assessment, questionnaire: Questionnaire, user: User
) -> list[QuestionConsolidation]:
    """Per question, the submitted respondents' answers, spread and settlement (members).

    :raises PartNotSubmitted: the user is a respondent whose own part is still open.
    """
    _require_kind(assessment)
    require_role(session, user, assessment.organisation_id, "viewer")
    respondents = respondents_of(session, assessment)
    if any(r.user_id == user.id and r.submitted_at is None for r in respondents):
        raise PartNotSubmitted("Submit your own part first: the others' answers stay hidden.")
    return consolidate_submitted(session, assessment, questionnaire, respondents)


def consolidate_submitted(
    session: Session,
    assessment: Assessment,
    questionnaire: Questionnaire,
    respondents: list[Respondent],
) -> list[QuestionConsolidation]:
    """The consolidation over the submitted parts only, without a member check (reports)."""
    submitted = [r.id for r in respondents if r.submitted_at is not None]
    rows = session.scalars(
        select(RespondentAnswer).where(RespondentAnswer.respondent_id.in_(submitted))
    )
    by_question: dict[str, dict[int, RespondentAnswer]] = {}
    for row in rows:
        by_question.setdefault(row.question_id, {})[row.respondent_id] = row
    settled = {
        s.question_id: s
        for s in session.scalars(
            select(Settlement)
            .where(Settlement.assessment_id == assessment.id)
            .options(selectinload(Settlement.settled_by))
        )
    }
    result = []
    for question in questionnaire.questions:
        given = dict(sorted(by_question.get(question.id, {}).items()))
        pages = {rid: page_answer(a) for rid, a in given.items()}  # type: ignore[arg-type]
        parsed = {
            rid: assessments.answer_set(questionnaire, {question.id: a}).values.get(question.id)  # type: ignore[dict-item]
            for rid, a in given.items()
        }
        result.append(
            QuestionConsolidation(
                question.id, pages, spread(question, parsed), settled.get(question.id)
            )
        )
    return result


def settle(
    session: Session,
    assessment: Assessment,
    questionnaire: Questionnaire,
    user: User,
    question_id: str,
    given: PageAnswer,
    note: str,
) -> Settlement:
    """Settle one question with the consolidated answer and a note (owners, while a draft)."""
    lock_row(session, Assessment, assessment.id)
    require_role(session, user, assessment.organisation_id, "owner")
    _require_kind(assessment)
    if assessment.status != "draft":
        raise AssessmentLocked("This assessment is already submitted.")
    note = note or ""
    if not note.strip():
        raise NoteRequired("Say in a note why this answer was chosen.")
    if given.status is None:
        raise InvalidAnswer(f"question {question_id}: no usable answer")
    assessments.check_answer(questionnaire, question_id, given)
    settlement = session.scalar(
        select(Settlement).where(
            Settlement.assessment_id == assessment.id, Settlement.question_id == question_id
        )
    )
    if settlement is None:
        settlement = Settlement(assessment_id=assessment.id, question_id=question_id)
        session.add(settlement)
    settlement.status = given.status
    settlement.value = given.value if given.status == assessments.ANSWERED else None
    settlement.note = note.strip()[:2000]
    settlement.settled_by_id, settlement.settled_at = user.id, utcnow()
    assessment.revision += 1
    session.commit()
    return settlement


def submit_consolidated(
    session: Session, assessment: Assessment, questionnaire: Questionnaire, user: User
) -> Assessment:
    """Write the consolidated answers and submit them, scored as usual (owners).

    The assessment's row is locked first, so a settlement made at the same moment is either
    in the submitted answers or refused as too late, never lost.

    :raises RespondentsPending: a respondent has not submitted their part.
    :raises Unsettled: a disputed question is not settled.
    """
    lock_row(session, Assessment, assessment.id)
    require_role(session, user, assessment.organisation_id, "owner")
    _require_kind(assessment)
    if assessment.status != "draft":
        raise AssessmentLocked("This assessment is already submitted.")
    respondents = respondents_of(session, assessment)
    pending = [r.user.name for r in respondents if r.submitted_at is None]
    if pending or not respondents:
        raise RespondentsPending(pending)
    rows = consolidation(session, assessment, questionnaire, user)
    unsettled = [row.question_id for row in rows if row.needs_settling]
    if unsettled:
        raise Unsettled(unsettled)
    session.execute(delete(Answer).where(Answer.assessment_id == assessment.id))
    for row in rows:
        given = row.consolidated
        if given.status is None:
            continue
        session.add(
            Answer(
                assessment_id=assessment.id,
                question_id=row.question_id,
                status=given.status,
                value=given.value if given.status == assessments.ANSWERED else None,
                comment=given.comment,
                evidence=given.evidence,
                updated_by_id=user.id,
                revision=assessment.revision + 1,
            )
        )
    return assessments.submit(
        session, assessment, questionnaire, user, confirm_incomplete=True, consolidated=True
    )
