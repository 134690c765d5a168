"""Repeat assessments: an organisation's history, repeat with prefill, and comparisons."""

from __future__ import annotations

from collections.abc import Collection
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session

from readiness.domain.answers import DONT_KNOW_JSON
from readiness.domain.answers import AnswerError
from readiness.domain.answers import AnswerSet
from readiness.domain.answers import parse_value
from readiness.domain.comparison import Comparison
from readiness.domain.comparison import compare
from readiness.domain.questionnaire import Question
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.scoring import Scorecard
from readiness.domain.scoring import score
from readiness.domain.series import Series
from readiness.domain.series import SeriesPoint
from readiness.domain.series import compare_series
from readiness.domain.versions import changed_meaning
from readiness.domain.versions import question_map
from readiness.models import Answer
from readiness.models import Assessment
from readiness.models import Organisation
from readiness.models import User
from readiness.models.base import utcnow
from readiness.services.accounts import NotFound
from readiness.services.accounts import require_role
from readiness.services.answer_input import AssessmentError
from readiness.services.answer_input import PageAnswer
from readiness.services.answer_input import page_answer
from readiness.services.assessments import answer_set
from readiness.services.assessments import load_answers
from readiness.services.assessments import start_assessment
from readiness.services.official import official
from readiness.services.page_rows import ShownAssessment
from readiness.services.page_rows import answer_rows
from readiness.services.page_rows import assessment_of
from readiness.services.questionnaires import Catalogue
from readiness.services.questionnaires import UnknownQuestionnaire

MAX_COMPARED = 12  # assessments in one table over time


class NothingToRepeat(AssessmentError):
    """The organisation has no submitted assessment to repeat."""


class RepeatInProgress(AssessmentError):
    """A draft repeating the latest submitted assessment exists already: continue that one."""

    def __init__(self, draft: Assessment) -> None:
        super().__init__(f"assessment {draft.id} already repeats the latest submitted one")
        self.draft = draft


class NotComparable(AssessmentError):
    """The chosen assessments cannot be compared (drafts, too few, or unknown questionnaires)."""


@dataclass(frozen=True)
class Scored:
    """A submitted assessment with its questionnaire, answers and scorecard."""

    assessment: Assessment
    questionnaire: Questionnaire
    answers: AnswerSet
    scorecard: Scorecard

    @property
    def when(self) -> datetime:
        """When it was submitted (else created)."""
        return self.assessment.submitted_at or self.assessment.created_at


@dataclass(frozen=True)
class HistoryRow:
    """One assessment of the history: what it was, its status, and its overall level if any.

    Read from the summary columns written at submit, never from the result document.
    """

    assessment: Assessment
    when: datetime
    questionnaire_title: str
    comparable: bool  # submitted, with a questionnaire this server knows
    level: int | None
    level_name: str


def submitted_at_or_created(assessment: Assessment) -> datetime:
    """The date an assessment stands for: its submission, else its creation."""
    return assessment.submitted_at or assessment.created_at


def scored(session: Session, assessment: Assessment, catalogue: Catalogue) -> Scored | None:
    """Score a submitted assessment's stored answers (None: a draft or an unknown questionnaire).

    Submitted answers are locked, so re-scoring them gives the stored result; re-scoring instead
    of reading the stored display document keeps full precision for the comparison.
    """
    if assessment.status != "submitted":
        return None
    try:
        questionnaire = catalogue.get(assessment.questionnaire_id, assessment.questionnaire_version)
    except UnknownQuestionnaire:
        return None
    if questionnaire.is_tree:
        return None  # compared by its tree (services.tree_comparison), not by a scorecard
    rows = load_answers(session, assessment)
    comments = {qid: row.comment for qid, row in rows.items() if row.comment}
    answers = AnswerSet(answer_set(questionnaire, rows).values, comments)
    return Scored(assessment, questionnaire, answers, score(questionnaire, answers))


def history(assessments: Sequence[Assessment], catalogue: Catalogue, lang: str) -> list[HistoryRow]:
    """History rows of the given assessments (a page of them), with their summary levels."""
    rows = []
    for assessment in assessments:
        try:
            questionnaire: Questionnaire | None = catalogue.get(
                assessment.questionnaire_id, assessment.questionnaire_version
            )
        except UnknownQuestionnaire:
            questionnaire = None
        submitted = assessment.status == "submitted" and questionnaire is not None
        level = assessment.overall_level if submitted else None
        rows.append(
            HistoryRow(
                assessment,
                submitted_at_or_created(assessment),
                questionnaire.title.get(lang) if questionnaire else assessment.questionnaire_id,
                submitted,
                level,
                questionnaire.level(level).name.get(lang)
                if questionnaire is not None and level is not None
                else "",
            )
        )
    return rows


# Built once: every results page asks both (the repeat offer), and building a select() anew
# costs more than running it.
LATEST_SUBMITTED = (
    select(Assessment)
    .where(
        Assessment.organisation_id == bindparam("organisation_id"),
        Assessment.status == "submitted",
        official(),
    )
    .order_by(Assessment.submitted_at.desc(), Assessment.id.desc())
    .limit(1)
)
LATEST_SUBMITTED_ID = LATEST_SUBMITTED.with_only_columns(Assessment.id)
REPEAT_DRAFT = (
    select(Assessment)
    .where(
        Assessment.organisation_id == bindparam("organisation_id"),
        Assessment.previous_assessment_id == bindparam("assessment_id"),
        Assessment.status == "draft",
    )
    .order_by(Assessment.id.desc())
    .limit(1)
)


def latest_submitted(session: Session, organisation_id: int) -> Assessment | None:
    """The organisation's most recently submitted assessment, or None."""
    return session.scalars(LATEST_SUBMITTED, {"organisation_id": organisation_id}).first()


_DRAFT_REPEATING = REPEAT_DRAFT.with_only_columns(Assessment.id)
# What a results page offers, in one query: the latest submission's ID and the newest draft
# repeating the assessment (its ID and title).
REPEAT_STATE = select(
    LATEST_SUBMITTED_ID.scalar_subquery(),
    _DRAFT_REPEATING.scalar_subquery(),
    _DRAFT_REPEATING.with_only_columns(Assessment.title).scalar_subquery(),
)


@dataclass(frozen=True)
class DraftRef:
    """A draft as a link shows it."""

    id: int
    title: str


def repeat_state(
    session: Session, organisation_id: int, assessment_id: int
) -> tuple[int | None, DraftRef | None]:
    """The organisation's latest submission's ID, and the newest draft repeating the assessment.

    The draft is None unless the assessment is that latest submission (only the latest one is
    repeated).
    """
    params = {"organisation_id": organisation_id, "assessment_id": assessment_id}
    latest_id, draft_id, draft_title = session.execute(REPEAT_STATE, params).one()
    if latest_id != assessment_id or draft_id is None:
        return latest_id, None
    return latest_id, DraftRef(draft_id, draft_title)


def repeat_draft(
    session: Session, organisation_id: int, latest_id: int | None = None
) -> Assessment | None:
    """The open draft that repeats the organisation's latest submitted assessment, if any.

    `latest_id`: that assessment's ID, if the caller has read it already.
    """
    if latest_id is None:
        latest = latest_submitted(session, organisation_id)
        if latest is None:
            return None
        latest_id = latest.id
    params = {"organisation_id": organisation_id, "assessment_id": latest_id}
    return session.scalars(REPEAT_DRAFT, params).first()


def _still_valid(questionnaire: Questionnaire, row: Answer, question_id: str) -> bool:
    """Whether a stored answer fits the question `question_id` of `questionnaire`."""
    question = questionnaire.question(question_id)
    if question is None:
        return False
    raw = {"not_applicable": None, "dont_know": DONT_KNOW_JSON}.get(row.status, row.value)
    if row.status == "answered" and row.value is None:
        return True  # a row holding only a comment or evidence
    try:
        parse_value(question, raw)
    except AnswerError:
        return False
    return True


def repeat_assessment(
    session: Session,
    organisation: Organisation,
    user: User,
    catalogue: Catalogue,
    title: str,
    version: int | None = None,
) -> tuple[Assessment, list[str]]:
    """A new draft prefilled from the latest submitted assessment (editors).

    Answers, comments and evidence are copied by question ID - through the new version's map of
    the old version's IDs where it declares one - where the question exists in the new version
    (the latest, unless `version` is given) and the old answer still fits it.
    Returns the draft and the IDs of the old answers that were not copied.

    :raises NothingToRepeat: the organisation has no submitted assessment.
    :raises RepeatInProgress: a draft already repeats it (a second click, or a colleague's).
    """
    require_role(session, user, organisation.id, "editor")
    # Serialise repeats of one organisation, so that the check below and the insert are one step:
    # a no-op UPDATE locks the row on PostgreSQL and takes the write lock on SQLite (where
    # SELECT … FOR UPDATE is ignored); a concurrent repeat waits here, then finds this draft.
    session.execute(
        update(Organisation)
        .where(Organisation.id == organisation.id)
        .values(id=Organisation.id)
        .execution_options(synchronize_session=False)
    )
    existing = repeat_draft(session, organisation.id)
    if existing is not None:
        session.rollback()  # release the lock
        raise RepeatInProgress(existing)
    previous = latest_submitted(session, organisation.id)
    if previous is None:
        raise NothingToRepeat("There is no submitted assessment to repeat yet.")
    try:
        questionnaire = catalogue.get(previous.questionnaire_id, version)
    except UnknownQuestionnaire as exc:
        raise NothingToRepeat(str(exc)) from None
    draft = start_assessment(session, organisation, questionnaire, user, title, previous=previous)
    skipped = []
    # the new version's map of the old version's IDs (a renamed question keeps its answer)
    mapping = question_map(previous.questionnaire_id, previous.questionnaire_version, questionnaire)
    # a question that now asks something else starts empty, even if the old value would parse
    redefined = changed_meaning(
        previous.questionnaire_id, previous.questionnaire_version, questionnaire
    )
    for row in load_answers(session, previous).values():
        target = mapping.get(row.question_id, row.question_id)
        if (
            target is None
            or row.question_id in redefined
            or not _still_valid(questionnaire, row, target)
        ):
            skipped.append(row.question_id)
            continue
        session.add(
            Answer(
                assessment_id=draft.id,
                question_id=target,
                value=row.value,
                status=row.status,
                comment=row.comment or "",
                evidence=row.evidence or "",
                updated_by_id=user.id,
                updated_at=utcnow(),
                revision=draft.revision,
            )
        )
    session.commit()
    return draft, sorted(skipped)


@dataclass(frozen=True)
class EarlierAnswer:
    """What the repeated assessment answered to a question, filed under this version's ID."""

    answer: PageAnswer
    question: Question  # the question it answered, in the earlier assessment's version
    redefined: bool  # this version's question asks something else (`previous.changed_meaning`)


def previous_answers(
    session: Session,
    assessment: ShownAssessment,
    catalogue: Catalogue,
    only: Collection[str] | None = None,
) -> dict[str, EarlierAnswer]:
    """What the assessment this one repeats answered, by this version's question IDs.

    The IDs follow the newer version's map of the older one (`previous`), so the repeat of a
    version-1 assessment in version 2 shows a renamed question's old answer; a dropped question
    or an unknown earlier version gives nothing. `only`: just these questions (this version's
    IDs), read alone (a page shows one pillar's).
    """
    if assessment.previous_assessment_id is None:
        return {}
    previous = assessment_of(session, assessment.previous_assessment_id)
    if previous is None:
        return {}
    try:
        old = catalogue.get(previous.questionnaire_id, previous.questionnaire_version)
        new = catalogue.get(assessment.questionnaire_id, assessment.questionnaire_version)
    except UnknownQuestionnaire:
        return {}
    mapping = question_map(old.id, old.version, new)
    redefined = changed_meaning(old.id, old.version, new)
    asked = None
    if only is not None:  # the old IDs that map onto the questions asked for
        wanted = set(only)
        asked = {o for o, n in mapping.items() if n in wanted} | (wanted - mapping.keys())
    earlier = {}
    for old_id, row in answer_rows(session, previous.id, asked).items():  # rows: no ORM objects
        target, question = mapping.get(old_id, old_id), old.question(old_id)
        if target is not None and question is not None:
            earlier[target] = EarlierAnswer(page_answer(row), question, old_id in redefined)
    return earlier


def chosen_assessments(
    session: Session, user: User, organisation_id: int, ids: Sequence[int], catalogue: Catalogue
) -> list[Scored]:
    """The chosen submitted assessments of one organisation, oldest first.

    :raises NotFound: an ID is not an assessment of the organisation (or the user is no member).
    :raises NotComparable: fewer than two, more than MAX_COMPARED, drafts or unknown versions.
    """
    require_role(session, user, organisation_id, "viewer")
    unique = list(dict.fromkeys(ids))
    if len(unique) < 2:
        raise NotComparable("Choose at least two assessments to compare.")
    if len(unique) > MAX_COMPARED:
        raise NotComparable(f"Choose at most {MAX_COMPARED} assessments to compare.")
    result = []
    for assessment_id in unique:
        assessment = session.get(Assessment, assessment_id)
        if assessment is None or assessment.organisation_id != organisation_id:
            raise NotFound("No such assessment.")
        item = scored(session, assessment, catalogue)
        if item is None:
            raise NotComparable(
                f"“{assessment.title}” is not submitted (or its questionnaire is missing)."
            )
        result.append(item)
    result.sort(key=lambda s: (s.when, s.assessment.id))
    return result


def compare_pair(before: Scored, after: Scored) -> Comparison:
    """The domain comparison of two scored assessments."""
    return compare(
        before.questionnaire,
        before.scorecard,
        before.answers,
        after.questionnaire,
        after.scorecard,
        after.answers,
    )


def series_of(items: Sequence[Scored], labels: Sequence[str]) -> Series:
    """The table over time of several scored assessments (labels: one per assessment)."""
    return compare_series(
        [
            SeriesPoint(label, s.questionnaire, s.scorecard)
            for s, label in zip(items, labels, strict=True)
        ]
    )
