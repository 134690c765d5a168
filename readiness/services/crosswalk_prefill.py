"""Start an assessment of another instrument prefilled from a submitted assessment's answers,
through a crosswalk; prefilled answers are marked until the respondent reviews them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.domain.aggregation.crosswalk import NARROWED
from readiness.domain.aggregation.crosswalk import SETTLED
from readiness.domain.aggregation.engine import item_points
from readiness.domain.questionnaire import Questionnaire
from readiness.models import Answer
from readiness.models import Assessment
from readiness.models import User
from readiness.models.base import utcnow
from readiness.services.accounts import require_role
from readiness.services.answer_input import AssessmentError
from readiness.services.assessments import answer_set
from readiness.services.assessments import load_answers
from readiness.services.assessments import start_assessment
from readiness.services.crosswalks import CrosswalkSet
from readiness.services.crosswalks import estimate
from readiness.services.page_rows import StoredAnswer
from readiness.services.questionnaires import Catalogue
from readiness.services.questionnaires import UnknownQuestionnaire


class NoCrosswalk(AssessmentError):
    """No crosswalk leads from the assessment's questionnaire to the instrument asked for."""


def _json(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def start_prefilled(
    session: Session,
    source: Assessment,
    user: User,
    catalogue: Catalogue,
    crosswalks: CrosswalkSet,
    target_id: str,
    title: str,
) -> tuple[Assessment, int]:
    """A new draft of instrument `target_id` for the source's organisation (editors), with every
    item the source's answers settle or narrow filled in (narrowed: the lowest answer still
    possible, or for multiple choice the options known to be chosen) and marked as prefilled.
    Returns the draft and the number of answers prefilled.

    :raises NoCrosswalk: the source is not submitted, or no crosswalk leads to `target_id`.
    """
    require_role(session, user, source.organisation_id, "editor")
    if source.status != "submitted":
        raise NoCrosswalk("Only a submitted assessment can prefill another questionnaire.")
    try:
        questionnaire = catalogue.get(source.questionnaire_id, source.questionnaire_version)
    except UnknownQuestionnaire:
        raise NoCrosswalk("The assessment's questionnaire is not installed.") from None
    found = [(c, i) for c, i in crosswalks.from_questionnaire(questionnaire) if i.id == target_id]
    if not found:
        raise NoCrosswalk(f"No crosswalk leads from {questionnaire.key} to {target_id}.")
    crosswalk, instrument = found[0]
    target: Questionnaire = catalogue.get(instrument.id, instrument.version)
    answers = answer_set(questionnaire, load_answers(session, source))
    result = estimate(crosswalk, instrument, answers)
    draft = start_assessment(session, source.organisation, target, user, title)
    count = 0
    for entry in result.items:
        if entry.status not in (SETTLED, NARROWED):
            continue
        item = instrument.item(entry.item)
        if item.type == "multiple_choice":
            value = entry.candidates[0]  # the options the source shows chosen
        else:
            value = min(entry.candidates, key=lambda a, item=item: item_points(item, a))
        session.add(
            Answer(
                assessment_id=draft.id,
                question_id=entry.item,
                value=_json(value),
                status="answered",
                comment="",
                evidence="",
                updated_by_id=user.id,
                updated_at=utcnow(),
                revision=draft.revision,
                prefilled_from=f"{questionnaire.key}:{entry.question}",
            )
        )
        count += 1
    session.commit()
    return draft, count


def prefilled_rows(
    session: Session,
    assessment: Assessment,
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    lang: str,
    answers: Mapping[str, StoredAnswer] | None = None,
) -> dict[str, str]:
    """The assessment's answers still marked as prefilled: question ID → the source question's
    text (in `lang`) they were read from (`answers`: the stored ones, if read already)."""
    if answers is not None:
        rows = [
            (qid, a.prefilled_from) for qid, a in answers.items() if a.prefilled_from is not None
        ]
    else:
        rows = session.execute(
            select(Answer.question_id, Answer.prefilled_from).where(
                Answer.assessment_id == assessment.id, Answer.prefilled_from.is_not(None)
            )
        ).all()
    found = {}
    for question_id, source in rows:
        key, _sep, source_question = source.partition(":")
        qid, _at, version = key.rpartition("@")
        try:
            origin = catalogue.get(qid, int(version)).question(source_question)
        except (UnknownQuestionnaire, ValueError):
            origin = None
        if questionnaire.question(question_id) is not None:
            found[question_id] = origin.text.get(lang) if origin is not None else source_question
    return found
