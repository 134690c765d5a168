"""On-site evaluations: the consultant fills in, the firm confirms or disputes each answer."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from readiness.domain.loading import load_questionnaire
from readiness.domain.questionnaire import Questionnaire
from readiness.services import accounts
from readiness.services import assessments
from readiness.services import comparisons
from readiness.services import onsite as service
from readiness.services.answer_input import PageAnswer
from tests.assessment_data import MINI

A = assessments.ANSWERED


@pytest.fixture(scope="module")
def mini() -> Questionnaire:
    """The small test questionnaire."""
    return load_questionnaire(MINI)


@pytest.fixture
def visit(db_session: Session, make_user: Any, make_org: Any, mini: Questionnaire) -> dict:
    """Fiona's firm, where the consultant Carl (an editor) has made and submitted an evaluation."""
    fiona, carl, eve, vera = (make_user(name=n) for n in ("Fiona", "Carl", "Eve", "Vera"))
    org = make_org(owner=fiona, members={carl: "editor", eve: "editor", vera: "viewer"})
    own = assessments.start_assessment(db_session, org, mini, fiona, "Self")
    page = {"technology.rd": PageAnswer(A, 1)}
    assessments.save_answers(db_session, own, mini, page, own.revision, fiona)
    assessments.submit(db_session, own, mini, fiona, confirm_incomplete=True)
    evaluation = assessments.start_assessment(db_session, org, mini, carl, "Visit", kind="on_site")
    page = {"technology.rd": PageAnswer(A, 3), "technology.patents": PageAnswer(A, True)}
    with pytest.raises(assessments.NotTheEvaluator):  # the firm does not fill it in
        assessments.save_answers(db_session, evaluation, mini, page, evaluation.revision, fiona)
    db_session.rollback()
    assessments.save_answers(db_session, evaluation, mini, page, evaluation.revision, carl)
    assessments.submit(db_session, evaluation, mini, carl, confirm_incomplete=True)
    return {"fiona": fiona, "carl": carl, "eve": eve, "vera": vera, "own": own, "visit": evaluation}


def test_evaluation_is_recorded_and_not_official_until_confirmed(db_session, visit):
    made = service.provenance(db_session, visit["visit"])
    assert (made.kind, made.evaluator, made.official) == ("on_site", "Carl", False)
    assert made.evaluated_at == visit["visit"].submitted_at
    org_id = visit["visit"].organisation_id
    assert comparisons.latest_submitted(db_session, org_id).id == visit["own"].id


def test_firm_confirms_or_disputes_each_answer_then_confirms(db_session, visit):
    evaluation, fiona = visit["visit"], visit["fiona"]
    with pytest.raises(service.EvaluatorCannotReview):
        service.review_answer(
            db_session, evaluation, visit["carl"], "technology.rd", "confirmed", ""
        )
    with pytest.raises(accounts.Forbidden):  # viewers do not review
        service.review_answer(
            db_session, evaluation, visit["vera"], "technology.rd", "confirmed", ""
        )
    with pytest.raises(service.DisputeNeedsNote):
        service.review_answer(db_session, evaluation, fiona, "technology.rd", "disputed", "  ")
    service.review_answer(
        db_session, evaluation, fiona, "technology.rd", "disputed", "Only one lab"
    )
    with pytest.raises(service.ReviewIncomplete) as incomplete:
        service.confirm(db_session, evaluation, visit["eve"])
    assert incomplete.value.questions == ["technology.patents"]
    service.review_answer(
        db_session, evaluation, visit["eve"], "technology.patents", "confirmed", ""
    )
    service.confirm(db_session, evaluation, visit["eve"])
    made = service.provenance(db_session, evaluation)
    assert (made.official, made.confirmed_by, made.disputed) == (True, "Eve", 1)
    assert comparisons.latest_submitted(db_session, evaluation.organisation_id).id == evaluation.id
    with pytest.raises(assessments.AssessmentLocked):  # confirmed: no more verdicts
        service.review_answer(db_session, evaluation, fiona, "technology.rd", "confirmed", "")


def test_reopening_sends_it_back_and_clears_the_review(db_session, visit):
    evaluation, fiona = visit["visit"], visit["fiona"]
    for qid in ("technology.rd", "technology.patents"):
        service.review_answer(db_session, evaluation, fiona, qid, "confirmed", "")
    service.confirm(db_session, evaluation, fiona)
    assessments.reopen(db_session, evaluation, fiona)
    assert evaluation.confirmed_at is None and service.reviews(db_session, evaluation) == {}
