"""Assessment use cases: start, draft saves with conflict detection, submit, reopen.

The values they exchange with the pages (page answers, outcomes, errors) and the progress
count are in services.answer_input.
"""

from __future__ import annotations

from collections.abc import Collection
from collections.abc import Mapping
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy import delete
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from readiness.domain.aggregation.document import instrument_document
from readiness.domain.aggregation.engine import evaluate
from readiness.domain.answers import DONT_KNOW_JSON
from readiness.domain.answers import AnswerError
from readiness.domain.answers import AnswerSet
from readiness.domain.answers import missing_reasons
from readiness.domain.answers import parse_value
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.recommendations import recommend
from readiness.domain.results import result_document
from readiness.domain.scoring import score
from readiness.models import ASSESSMENT_KINDS
from readiness.models import Answer
from readiness.models import Assessment
from readiness.models import OnSiteReview
from readiness.models import Organisation
from readiness.models import User
from readiness.models.base import utcnow
from readiness.services.accounts import NotFound
from readiness.services.accounts import require_role
from readiness.services.answer_input import ANSWERED
from readiness.services.answer_input import DONT_KNOW
from readiness.services.answer_input import NOT_APPLICABLE
from readiness.services.answer_input import AnswersFromRespondents
from readiness.services.answer_input import AssessmentLocked
from readiness.services.answer_input import Conflict
from readiness.services.answer_input import IncompleteAssessment
from readiness.services.answer_input import InvalidAnswer
from readiness.services.answer_input import NotApplicableWithoutReason
from readiness.services.answer_input import NotSubmitted
from readiness.services.answer_input import NotTheEvaluator
from readiness.services.answer_input import PageAnswer
from readiness.services.answer_input import SaveOutcome
from readiness.services.answer_input import answer_set
from readiness.services.answer_input import page_answer
from readiness.services.locking import lock_row
from readiness.services.page_rows import ShownAssessment
from readiness.services.summaries import clear_summary
from readiness.services.summaries import mark_latest
from readiness.services.summaries import write_summary
from readiness.services.summaries import write_tree_summary

# Every assessment page reads its assessment through get_assessment: built once.
ASSESSMENT_BY_ID = select(Assessment).where(Assessment.id == bindparam("assessment_id"))


def get_assessment(session: Session, user: User, assessment_id: int, min_role: str) -> Assessment:
    """The assessment if `user` has at least `min_role` in its organisation.

    :raises NotFound: no such assessment, or the user is not a member of its organisation.
    :raises Forbidden: the user's role is too low.
    """
    assessment = session.scalar(ASSESSMENT_BY_ID, {"assessment_id": assessment_id})
    if assessment is None:
        raise NotFound("No such assessment.")
    require_role(session, user, assessment.organisation_id, min_role)
    return assessment


def list_assessments(
    session: Session, organisation_id: int, limit: int | None = None
) -> list[Assessment]:
    """The organisation's assessments, most recently changed first (at most `limit`)."""
    return list(
        session.scalars(
            select(Assessment)
            .where(Assessment.organisation_id == organisation_id)
            .options(selectinload(Assessment.created_by))
            .order_by(Assessment.updated_at.desc(), Assessment.id.desc())
            .limit(limit)
        )
    )


def start_assessment(
    session: Session,
    organisation: Organisation,
    questionnaire: Questionnaire,
    user: User,
    title: str,
    previous: Assessment | None = None,
    kind: str = "self",
) -> Assessment:
    """A new draft of `questionnaire` for the organisation (editors), with its profile copied.

    `kind` "on_site" records the user as the consultant evaluating on the firm's behalf;
    "respondents" collects several members' answers apart (see services.respondents).
    """
    require_role(session, user, organisation.id, "editor")
    if kind not in ASSESSMENT_KINDS:
        raise InvalidAnswer(f"unknown kind of assessment: {kind}")
    if previous is not None and previous.organisation_id != organisation.id:
        raise NotFound("No such assessment.")
    assessment = Assessment(
        organisation_id=organisation.id,
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        title=title.strip()[:200],
        status="draft",
        profile=dict(organisation.profile or {}),
        created_by_id=user.id,
        revision=1,
        previous_assessment_id=previous.id if previous is not None else None,
        kind=kind,
    )
    session.add(assessment)
    session.commit()
    return assessment


def check_filler(assessment: ShownAssessment, user: User) -> None:
    """Raise unless `user` may fill in the assessment's shared answers.

    :raises NotTheEvaluator: an on-site evaluation, and the user is not its consultant.
    :raises AnswersFromRespondents: a several-respondent assessment (answered per respondent).
    """
    if assessment.kind == "on_site" and assessment.created_by_id != user.id:
        raise NotTheEvaluator("Only the consultant who makes this on-site evaluation fills it in.")
    if assessment.kind == "respondents":
        raise AnswersFromRespondents("Each respondent answers this assessment on their own page.")


def load_answers(session: Session, assessment: Assessment) -> dict[str, Answer]:
    """Every stored answer of the assessment by question ID, in one query."""
    rows = session.scalars(
        select(Answer)
        .where(Answer.assessment_id == assessment.id)
        .options(selectinload(Answer.updated_by))
    )
    return {a.question_id: a for a in rows}


def check_answer(questionnaire: Questionnaire, question_id: str, given: PageAnswer) -> None:
    """Raise InvalidAnswer unless the page answer fits the question."""
    question = questionnaire.question(question_id)
    if question is None:
        raise InvalidAnswer(f"question {question_id}: unknown question")
    if given.status is None:
        return
    raw = {ANSWERED: given.value, NOT_APPLICABLE: None, DONT_KNOW: DONT_KNOW_JSON}.get(given.status)
    if given.status not in (ANSWERED, NOT_APPLICABLE, DONT_KNOW) or (
        given.status == ANSWERED and given.value is None
    ):
        raise InvalidAnswer(f"question {question_id}: no usable answer")
    try:
        parse_value(question, raw)
    except AnswerError as exc:
        raise InvalidAnswer(str(exc)) from None


def save_answers(
    session: Session,
    assessment: Assessment,
    questionnaire: Questionnaire,
    page: Mapping[str, PageAnswer],
    base_revision: int,
    user: User,
    held_back: Collection[str] = (),
    notes: Mapping[str, tuple[str, str]] | None = None,
    untouched: Collection[str] = (),
) -> SaveOutcome:
    """Save a page of answers as a draft; answers saved by others since `base_revision` are kept.

    A question whose stored answer is newer than the form (revision > base_revision) and differs
    from the page's input is not overwritten: it is returned as a Conflict for the user to re-apply.
    `held_back` names the page's questions left out of `page` because their input is invalid;
    `notes` (question ID -> comment, evidence) are their notes, stored without touching the answer.
    `untouched` names the page's questions the user left as their form showed them: someone
    else's newer answer to one of those is simply kept, with no conflict to report.

    The assessment's row is locked from the comparison to the commit, so of two saves at the
    same moment the second sees the first's answers (and gets its conflicts).
    """
    lock_row(session, Assessment, assessment.id)
    require_role(session, user, assessment.organisation_id, "editor")
    if assessment.status != "draft":
        raise AssessmentLocked("This assessment is submitted; reopen it to change answers.")
    check_filler(assessment, user)
    for question_id, given in page.items():
        check_answer(questionnaire, question_id, given)
    stored = load_answers(session, assessment)
    new_revision = assessment.revision + 1
    saved: list[str] = []
    conflicts: list[Conflict] = []
    for question_id, given in page.items():
        answer = stored.get(question_id)
        current = page_answer(answer)
        if current == given:
            if answer is not None and answer.prefilled_from and answer.revision <= base_revision:
                answer.prefilled_from = None  # shown prefilled on the page, saved as is: reviewed
            continue
        if answer is not None and answer.revision > base_revision:
            if question_id in untouched:
                continue  # not changed on this page: theirs stays, nothing to resolve
            who = answer.updated_by.name if answer.updated_by else None
            conflicts.append(Conflict(question_id, current, given, who, answer.updated_at))
            continue
        if given.is_empty:
            if answer is not None:
                session.delete(answer)
                saved.append(question_id)
            continue
        if answer is None:
            answer = Answer(assessment_id=assessment.id, question_id=question_id)
            session.add(answer)
        answer.status = given.status or ANSWERED
        answer.value = given.value if given.status == ANSWERED else None
        answer.comment = given.comment
        answer.evidence = given.evidence
        answer.prefilled_from = None
        answer.updated_by_id = user.id
        answer.updated_at = utcnow()
        answer.revision = new_revision
        saved.append(question_id)
    changed_meanwhile = any(
        stored[q].revision > base_revision for q in held_back if q in stored and q not in page
    )
    held_notes = {q: n for q, n in (notes or {}).items() if q in held_back and q not in page}
    changed = [q for q, n in held_notes.items() if _notes(stored.get(q)) != n]
    notes_kept = not (changed and changed_meanwhile)  # else writing would clash with the page
    for question_id in changed if not changed_meanwhile else ():
        _write_notes(session, assessment, question_id, stored.get(question_id), held_notes, user)
        saved.append(question_id)
    if saved:
        assessment.revision = new_revision
        assessment.updated_at = utcnow()
    session.commit()
    page_revision = base_revision if changed_meanwhile else assessment.revision
    return SaveOutcome(saved, conflicts, assessment.revision, page_revision, notes_kept)


def _notes(answer: Answer | None) -> tuple[str, str]:
    """A stored answer's (comment, evidence); empty when nothing is stored."""
    return ("", "") if answer is None else (answer.comment or "", answer.evidence or "")


def _write_notes(
    session: Session,
    assessment: Assessment,
    question_id: str,
    answer: Answer | None,
    notes: Mapping[str, tuple[str, str]],
    user: User,
) -> None:
    """Store a question's new comment and evidence, keeping its answer (adds a row if needed)."""
    comment, evidence = notes[question_id]
    if answer is None:
        answer = Answer(assessment_id=assessment.id, question_id=question_id, status=ANSWERED)
        session.add(answer)
    elif answer.status == ANSWERED and answer.value is None and not comment and not evidence:
        session.delete(answer)  # a row that held only notes, now emptied
        return
    answer.comment, answer.evidence = comment, evidence
    answer.updated_by_id, answer.updated_at = user.id, utcnow()
    answer.revision = assessment.revision + 1


def submit(
    session: Session,
    assessment: Assessment,
    questionnaire: Questionnaire,
    user: User,
    confirm_incomplete: bool = False,
    consolidated: bool = False,
) -> Assessment:
    """Lock the answers, score them and store the result document in every questionnaire language.

    A several-respondent assessment is submitted only through its consolidation
    (services.respondents.submit_consolidated passes `consolidated`).

    :raises IncompleteAssessment: questions are unanswered and `confirm_incomplete` is False.
    :raises AssessmentLocked: it is submitted already (also by a concurrent submit: the row lock
        makes the second one see the first one's status instead of writing a second summary).
    :raises NotApplicableWithoutReason: a "not applicable" answer lacks its required comment.
    """
    lock_row(session, Assessment, assessment.id)  # no draft save may slip in before the commit
    require_role(session, user, assessment.organisation_id, "editor")
    if assessment.status != "draft":
        raise AssessmentLocked("This assessment is already submitted.")
    if not consolidated:
        check_filler(assessment, user)
    answers = load_answers(session, assessment)
    answer_values = answer_set(questionnaire, answers)
    unexplained = missing_reasons(questionnaire, answer_values)
    if unexplained:
        raise NotApplicableWithoutReason(unexplained)
    missing = [q.id for q in questionnaire.questions if q.id not in answer_values]
    if missing and not confirm_incomplete:
        raise IncompleteAssessment(missing)
    if questionnaire.is_tree:
        _store_tree_result(session, assessment, questionnaire, answer_values)
    else:
        _store_result(session, assessment, questionnaire, answer_values)
    assessment.status = "submitted"
    assessment.submitted_at = utcnow()
    assessment.submitted_by_id = user.id
    assessment.revision += 1
    mark_latest(session, assessment.organisation_id, assessment.questionnaire_id)
    session.commit()
    return assessment


def _store_result(
    session: Session, assessment: Assessment, questionnaire: Questionnaire, answer_values: AnswerSet
) -> None:
    """Score a format-1 assessment; store its result documents and summary."""
    scorecard = score(questionnaire, answer_values)
    profile = dict(assessment.profile or {})
    plan = recommend(questionnaire, scorecard, profile)  # once: the lifts re-score many times
    assessment.result = {
        lang: result_document(
            questionnaire, answer_values, profile, lang, scorecard=scorecard, plan=plan
        )
        for lang in questionnaire.languages
    }
    write_summary(session, assessment, scorecard)


def _store_tree_result(
    session: Session, assessment: Assessment, questionnaire: Questionnaire, answer_values: AnswerSet
) -> None:
    """Evaluate a format-2 assessment by its tree; store its result documents and summary."""
    instrument = questionnaire.instrument
    result = evaluate(instrument, answer_values.values)
    assessment.result = {
        lang: instrument_document(instrument, result, answer_values.values, lang)
        for lang in questionnaire.languages
    }
    write_tree_summary(session, assessment, result, [p.id for p in questionnaire.pillars])


def stored_result(session: Session, assessment: Assessment, lang: str) -> dict[str, Any]:
    """The result document stored at submit, in `lang` (else English, else any language).

    Only that language's document is read and decoded, not the whole stored result.

    :raises NotSubmitted: the assessment has no stored result.
    """
    if assessment.status != "submitted":
        raise NotSubmitted("This assessment has not been submitted yet.")
    for key in dict.fromkeys((lang, "en")):
        document = session.scalar(
            select(Assessment.result[key]).where(Assessment.id == assessment.id)
        )
        if isinstance(document, dict):
            return document
    documents = assessment.result or {}
    if not documents:
        raise NotSubmitted("This assessment has not been submitted yet.")
    return next(iter(documents.values()))


def reopen(session: Session, assessment: Assessment, user: User) -> Assessment:
    """Turn a submitted assessment back into a draft (owners only); its stored result is dropped."""
    lock_row(session, Assessment, assessment.id)
    require_role(session, user, assessment.organisation_id, "owner")
    if assessment.status != "submitted":
        raise NotSubmitted("Only a submitted assessment can be reopened.")
    assessment.status = "draft"
    assessment.result = None
    clear_summary(session, assessment)
    # An on-site evaluation goes back to its consultant: the firm reviews the new answers again.
    assessment.confirmed_at = assessment.confirmed_by_id = None
    session.execute(delete(OnSiteReview).where(OnSiteReview.assessment_id == assessment.id))
    assessment.submitted_at = None
    assessment.submitted_by_id = None
    assessment.is_latest = False
    assessment.revision += 1
    mark_latest(session, assessment.organisation_id, assessment.questionnaire_id)
    session.commit()
    return assessment
