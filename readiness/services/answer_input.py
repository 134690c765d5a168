"""Answers between the pages and the assessment use cases, and what they say about progress.

`services.assessments` holds the use cases (start, save, submit, reopen). Here are the values
they exchange with the pages and the other services: page answers, save outcomes and the
errors whose message is safe to show to the user; the domain AnswerSet of stored answers; and
the progress (answered of total) that the pages and the API show.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from typing import Any

from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.domain.answers import DONT_KNOW_JSON
from readiness.domain.answers import AnswerError
from readiness.domain.answers import AnswerSet
from readiness.domain.answers import parse_value
from readiness.domain.questionnaire import Questionnaire
from readiness.models import Answer
from readiness.models import Assessment
from readiness.services.page_rows import StoredAnswer

ANSWERED = "answered"
NOT_APPLICABLE = "not_applicable"
DONT_KNOW = "dont_know"


class AssessmentError(Exception):
    """Base of the assessment errors; the message is safe to show to the user."""


class AssessmentLocked(AssessmentError):
    """The assessment is submitted: its answers can no longer change until it is reopened."""


class NotSubmitted(AssessmentError):
    """The assessment is still a draft, so it has no result yet (or cannot be reopened)."""


class IncompleteAssessment(AssessmentError):
    """Questions are unanswered and the user has not confirmed submitting anyway."""

    def __init__(self, unanswered: list[str]) -> None:
        self.unanswered = unanswered
        super().__init__(f"{len(unanswered)} questions are unanswered.")


class NotApplicableWithoutReason(AssessmentError):
    """Questions are answered "not applicable" without the comment the questionnaire requires."""

    def __init__(self, questions: list[str]) -> None:
        self.questions = questions
        super().__init__(f"{len(questions)} 'not applicable' answers have no reason.")


class NotTheEvaluator(AssessmentError):
    """Only the consultant who makes an on-site evaluation fills it in and submits it."""


class AnswersFromRespondents(AssessmentError):
    """A several-respondent assessment is answered by its respondents, not on the shared pages."""


class InvalidAnswer(AssessmentError):
    """A page answer does not fit its question (the form should have caught it)."""


@dataclass(frozen=True)
class PageAnswer:
    """One question's input from a page: status (None: unanswered), value, comment and evidence."""

    status: str | None = None
    value: Any = None
    comment: str = ""
    evidence: str = ""

    @property
    def is_empty(self) -> bool:
        """Nothing given at all: no answer and no notes."""
        return self.status is None and not self.comment and not self.evidence


@dataclass(frozen=True)
class Conflict:
    """A question someone saved after the form was loaded; their value was kept, not yours."""

    question_id: str
    theirs: PageAnswer
    yours: PageAnswer
    who: str | None
    when: datetime


@dataclass(frozen=True)
class SaveOutcome:
    """What a draft save did: the questions written, the conflicts kept, the new revision.

    `page_revision` is the revision the page's form continues from: the new revision, unless
    a held-back question changed since the form was loaded (then its conflict stays detectable).
    """

    saved: list[str]
    conflicts: list[Conflict]
    revision: int
    page_revision: int | None = None
    notes_kept: bool = True  # the notes given for held-back questions are stored


@dataclass(frozen=True)
class Count:
    """Answered questions out of the total."""

    answered: int
    total: int

    @property
    def percent(self) -> int:
        """The share answered, as a whole percentage."""
        return round(100 * self.answered / self.total) if self.total else 100


@dataclass(frozen=True)
class Progress:
    """Answered of total, per pillar and overall, and which questions are still open."""

    overall: Count
    pillars: dict[str, Count]
    unanswered: list[str] = field(default_factory=list)


def page_answer(answer: StoredAnswer | None) -> PageAnswer:
    """The stored answer as page input (None: nothing stored)."""
    if answer is None:
        return PageAnswer()
    status = answer.status
    if status == ANSWERED and answer.value is None:
        status = None  # a row holding only a comment or evidence
    return PageAnswer(status, answer.value, answer.comment or "", answer.evidence or "")


def progress(
    session: Session,
    assessment: Assessment,
    questionnaire: Questionnaire,
    answers: Mapping[str, StoredAnswer] | None = None,
) -> Progress:
    """Answered of total per pillar and overall, from one query over the answered question IDs.

    `answers`: the assessment's stored answers if the caller read them in this transaction.
    """
    if answers is not None:
        answered_ids = {
            qid for qid, a in answers.items() if a.status != ANSWERED or a.value is not None
        }
    else:
        answered_ids = set(
            session.scalars(
                select(Answer.question_id).where(
                    Answer.assessment_id == assessment.id,
                    or_(Answer.status != ANSWERED, Answer.value.is_not(None)),
                )
            )
        )
    pillars: dict[str, Count] = {}
    unanswered: list[str] = []
    for pillar in questionnaire.pillars:
        questions = questionnaire.questions_of(pillar.id)
        done = [q.id for q in questions if q.id in answered_ids]
        unanswered.extend(q.id for q in questions if q.id not in answered_ids)
        pillars[pillar.id] = Count(len(done), len(questions))
    overall = Count(
        sum(c.answered for c in pillars.values()), sum(c.total for c in pillars.values())
    )
    return Progress(overall, pillars, unanswered)


def answer_set(questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> AnswerSet:
    """The domain AnswerSet of stored answers (rows holding only notes are unanswered)."""
    values: dict[str, Any] = {}
    comments: dict[str, str] = {}
    for question_id, answer in answers.items():
        question = questionnaire.question(question_id)
        if question is None:
            continue  # an answer to a question this version no longer has
        given = page_answer(answer)
        notes = "\n".join(t for t in (given.comment, given.evidence) if t)
        if notes:
            comments[question_id] = notes
        if given.status is None:
            continue
        raw = {ANSWERED: given.value, NOT_APPLICABLE: None, DONT_KNOW: DONT_KNOW_JSON}
        try:
            values[question_id] = parse_value(question, raw[given.status])
        except AnswerError as exc:
            raise InvalidAnswer(str(exc)) from None
    return AnswerSet(values, comments)
