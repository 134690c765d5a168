"""Several respondents: private own answers, disagreements flagged, the owner settles."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from readiness.domain.loading import load_questionnaire
from readiness.domain.questionnaire import Questionnaire
from readiness.services import accounts
from readiness.services import assessments
from readiness.services import respondents as service
from readiness.services.answer_input import PageAnswer
from readiness.services.collaboration_report import disagreements
from tests.assessment_data import MINI

A = assessments.ANSWERED


@pytest.fixture(scope="module")
def mini() -> Questionnaire:
    """The small test questionnaire."""
    return load_questionnaire(MINI)


@pytest.fixture
def firm(db_session: Session, make_user: Any, make_org: Any, mini: Questionnaire) -> dict:
    """Olga (owner) asks Pat (editor) and Ian (viewer, two pillars) to respond; Vic does not."""
    olga, pat, ian, vic = (make_user(name=n) for n in ("Olga", "Pat", "Ian", "Vic"))
    org = make_org(owner=olga, members={pat: "editor", ian: "viewer", vic: "viewer"})
    draft = assessments.start_assessment(db_session, org, mini, olga, "Team", kind="respondents")
    service.assign(db_session, draft, olga, {pat.id: None, ian.id: ["technology", "data"]})
    return {"olga": olga, "pat": pat, "ian": ian, "vic": vic, "draft": draft, "org": org}


def _answer(session: Session, firm: dict, who: str, q: Questionnaire, page: dict) -> None:
    respondent = service.respondent_for(session, firm["draft"], firm[who])
    service.save_own_answers(session, respondent, q, page, respondent.revision, firm[who])


def test_only_members_can_be_respondents_and_only_owners_assign(db_session, firm, make_user):
    outsider = make_user()
    with pytest.raises(accounts.NotFound):
        service.assign(db_session, firm["draft"], firm["olga"], {outsider.id: None})
    with pytest.raises(accounts.Forbidden):
        service.assign(db_session, firm["draft"], firm["pat"], {firm["pat"].id: None})
    with pytest.raises(service.NotARespondent):
        service.respondent_for(db_session, firm["draft"], firm["vic"])


def test_respondents_see_only_their_own_answers_until_they_submit(db_session, firm, mini):
    _answer(db_session, firm, "pat", mini, {"technology.rd": PageAnswer(A, 1)})
    _answer(db_session, firm, "ian", mini, {"technology.rd": PageAnswer(A, 4)})
    pat = service.respondent_for(db_session, firm["draft"], firm["pat"])
    assert {k: v.value for k, v in service.own_answers(db_session, pat).items()} == {
        "technology.rd": 1
    }
    with pytest.raises(service.PartNotSubmitted):  # Pat may not peek before submitting
        service.consolidation(db_session, firm["draft"], mini, firm["pat"])
    rows = service.consolidation(db_session, firm["draft"], mini, firm["olga"])
    assert all(not r.given for r in rows)  # nobody submitted: nothing shown, even to the owner
    service.submit_part(db_session, pat, firm["pat"])
    rows = {
        r.question_id: r
        for r in service.consolidation(db_session, firm["draft"], mini, firm["pat"])
    }
    assert [a.value for a in rows["technology.rd"].given.values()] == [1]  # Ian's stays hidden


def test_respondent_cannot_answer_outside_their_pillars_or_after_submitting(db_session, firm, mini):
    ian = service.respondent_for(db_session, firm["draft"], firm["ian"])
    with pytest.raises(assessments.InvalidAnswer):
        service.save_own_answers(
            db_session, ian, mini, {"talent.training_hours": PageAnswer(A, 5)}, 1, firm["ian"]
        )
    service.submit_part(db_session, ian, firm["ian"])
    with pytest.raises(assessments.AssessmentLocked):
        service.save_own_answers(
            db_session, ian, mini, {"technology.rd": PageAnswer(A, 2)}, 1, firm["ian"]
        )


def _both_submit(session: Session, firm: dict, q: Questionnaire) -> None:
    _answer(
        session,
        firm,
        "pat",
        q,
        {
            "technology.rd": PageAnswer(A, 1),
            "data.governance": PageAnswer(A, "owner_named"),
            "technology.patents": PageAnswer(A, True),
        },
    )
    _answer(
        session,
        firm,
        "ian",
        q,
        {
            "technology.rd": PageAnswer(A, 4),
            "data.governance": PageAnswer(A, "owner_named"),
        },
    )
    for who in ("pat", "ian"):
        service.submit_part(
            session, service.respondent_for(session, firm["draft"], firm[who]), firm[who]
        )


def test_consolidation_flags_two_levels_apart_and_owner_settles_then_submits(
    db_session, firm, mini
):
    _both_submit(db_session, firm, mini)
    rows = {
        r.question_id: r
        for r in service.consolidation(db_session, firm["draft"], mini, firm["olga"])
    }
    rd = rows["technology.rd"]
    assert rd.spread.spread == 3 and rd.spread.disputed and rd.needs_settling
    assert not rows["data.governance"].spread.disputed
    assert rows["data.governance"].consolidated.value == "owner_named"
    with pytest.raises(service.Unsettled) as unsettled:
        service.submit_consolidated(db_session, firm["draft"], mini, firm["olga"])
    assert unsettled.value.questions == ["technology.rd"]
    db_session.rollback()
    with pytest.raises(accounts.Forbidden):  # editors cannot settle
        service.settle(
            db_session, firm["draft"], mini, firm["pat"], "technology.rd", PageAnswer(A, 2), "x"
        )
    db_session.rollback()
    with pytest.raises(service.NoteRequired):
        service.settle(
            db_session, firm["draft"], mini, firm["olga"], "technology.rd", PageAnswer(A, 2), " "
        )
    db_session.rollback()
    service.settle(
        db_session,
        firm["draft"],
        mini,
        firm["olga"],
        "technology.rd",
        PageAnswer(A, 2),
        "Walked the floor",
    )
    done = service.submit_consolidated(db_session, firm["draft"], mini, firm["olga"])
    assert done.status == "submitted"
    stored = assessments.load_answers(db_session, done)
    assert stored["technology.rd"].value == 2
    assert stored["data.governance"].value == "owner_named"
    assert stored["technology.patents"].value is True  # only Pat answered: his answer is taken
    report = disagreements(db_session, done, mini)
    assert [r["question_id"] for r in report] == ["technology.rd"]
    assert report[0]["note"] == "Walked the floor" and report[0]["spread"] == 3
    assert sorted(lv for _n, _a, lv in report[0]["given"]) == [1, 4]


def test_submit_waits_for_every_respondent(db_session, firm, mini):
    _answer(db_session, firm, "pat", mini, {"technology.rd": PageAnswer(A, 1)})
    with pytest.raises(service.RespondentsPending) as pending:
        service.submit_consolidated(db_session, firm["draft"], mini, firm["olga"])
    assert sorted(pending.value.names) == ["Ian", "Pat"]


def test_shared_answer_pages_are_closed_for_a_several_respondent_assessment(db_session, firm, mini):
    with pytest.raises(assessments.AnswersFromRespondents):
        assessments.save_answers(
            db_session, firm["draft"], mini, {"technology.rd": PageAnswer(A, 3)}, 1, firm["olga"]
        )
