"""Races of several-respondent assessments, on SQLite and PostgreSQL: saves, settling, submitting.

As in test_races.py, each trial runs two use cases in two threads with their own sessions,
released together at a barrier.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.domain.loading import load_questionnaire
from readiness.domain.questionnaire import Questionnaire
from readiness.models import Assessment
from readiness.models import AssessmentScore
from readiness.models import Respondent
from readiness.models import User
from readiness.services import assessments
from readiness.services import respondents as service
from readiness.services.answer_input import PageAnswer
from tests.assessment_data import MINI
from tests.services.test_races import run_together

TRIALS = 30
A = assessments.ANSWERED


@pytest.fixture(scope="module")
def mini() -> Questionnaire:
    """The small test questionnaire."""
    return load_questionnaire(MINI)


@pytest.fixture
def team(db_session: Session, make_user: Any, make_org: Any, mini: Questionnaire) -> dict:
    """Olga's several-respondent draft, with Pat and Ian as respondents."""
    olga, pat, ian = (make_user(name=n) for n in ("Olga", "Pat", "Ian"))
    org = make_org(owner=olga, members={pat: "editor", ian: "viewer"})
    draft = assessments.start_assessment(db_session, org, mini, olga, "Race", kind="respondents")
    service.assign(db_session, draft, olga, {pat.id: None, ian.id: None})
    return {"olga": olga.id, "pat": pat.id, "ian": ian.id, "draft": draft.id}


def _own_save(team: dict, q: Questionnaire, base: int, page: dict) -> Callable[[Session], Any]:
    def prepare(session: Session) -> Callable[[], Any]:
        pat = session.get(User, team["pat"])
        respondent = service.respondent_for(session, session.get(Assessment, team["draft"]), pat)
        return lambda: service.save_own_answers(session, respondent, q, page, base, pat)

    return prepare


def test_a_respondents_concurrent_saves_lose_nothing(app, db_session, team, mini) -> None:
    """Two tabs of one respondent save different questions from the same form revision."""
    pat = db_session.get(User, team["pat"])
    respondent = service.respondent_for(db_session, db_session.get(Assessment, team["draft"]), pat)
    for trial in range(TRIALS):
        db_session.expire_all()
        base = db_session.get(Respondent, respondent.id).revision
        level, hours = trial % 6, float(trial)
        outcomes = run_together(
            app,
            _own_save(team, mini, base, {"technology.rd": PageAnswer(A, level)}),
            _own_save(team, mini, base, {"talent.training_hours": PageAnswer(A, hours)}),
        )
        assert not any(isinstance(o, Exception) for o in outcomes), outcomes
        db_session.expire_all()
        stored = service.own_answers(db_session, respondent)
        assert stored["technology.rd"].value == level, f"trial {trial}: a save was lost"
        assert stored["talent.training_hours"].value == hours, f"trial {trial}: a save was lost"


def _prepare_disputed(session: Session, team: dict, q: Questionnaire) -> None:
    """Pat says 1, Ian says 5: a disagreement; both parts submitted."""
    draft = session.get(Assessment, team["draft"])
    for who, level in (("pat", 1), ("ian", 5)):
        user = session.get(User, team[who])
        respondent = service.respondent_for(session, draft, user)
        page = {"technology.rd": PageAnswer(A, level)}
        service.save_own_answers(session, respondent, q, page, respondent.revision, user)
        service.submit_part(session, respondent, user)


def _settle(team: dict, q: Questionnaire, level: int) -> Callable[[Session], Any]:
    def prepare(session: Session) -> Callable[[], Any]:
        olga = session.get(User, team["olga"])
        draft = session.get(Assessment, team["draft"])
        page = PageAnswer(A, level)
        return lambda: service.settle(session, draft, q, olga, "technology.rd", page, "late")

    return prepare


def _submit(team: dict, q: Questionnaire) -> Callable[[Session], Any]:
    def prepare(session: Session) -> Callable[[], Any]:
        olga = session.get(User, team["olga"])
        draft = session.get(Assessment, team["draft"])
        return lambda: service.submit_consolidated(session, draft, q, olga)

    return prepare


def test_settling_while_submitting_is_in_the_result_or_refused(app, db_session, team, mini):
    """A settlement racing the submit is either in the submitted answers or refused: never lost."""
    _prepare_disputed(db_session, team, mini)
    olga = db_session.get(User, team["olga"])
    orders = set()
    for trial in range(TRIALS):
        db_session.expire_all()
        draft = db_session.get(Assessment, team["draft"])
        if draft.status == "submitted":
            assessments.reopen(db_session, draft, olga)
        service.settle(db_session, draft, mini, olga, "technology.rd", PageAnswer(A, 2), "first")
        late = 3 + trial % 2
        settled, submitted = run_together(app, _settle(team, mini, late), _submit(team, mini))
        assert not isinstance(submitted, Exception), submitted
        db_session.expire_all()
        stored = assessments.load_answers(db_session, db_session.get(Assessment, team["draft"]))
        if isinstance(settled, Exception):
            assert isinstance(settled, assessments.AssessmentLocked), settled
            assert stored["technology.rd"].value == 2  # refused as too late: the first holds
            orders.add("submit first")
        else:
            assert stored["technology.rd"].value == late  # made in time: it is in the result
            orders.add("settle first")
    assert orders  # the trials ran; which orders occur depends on the scheduler


def test_two_submits_at_once_submit_once(app, db_session, team, mini):
    _prepare_disputed(db_session, team, mini)
    olga = db_session.get(User, team["olga"])
    draft = db_session.get(Assessment, team["draft"])
    service.settle(db_session, draft, mini, olga, "technology.rd", PageAnswer(A, 2), "agreed")
    for _trial in range(TRIALS // 3):
        db_session.expire_all()
        draft = db_session.get(Assessment, team["draft"])
        if draft.status == "submitted":
            assessments.reopen(db_session, draft, olga)
        outcomes = run_together(app, _submit(team, mini), _submit(team, mini))
        failed = [o for o in outcomes if isinstance(o, Exception)]
        assert len(failed) == 1 and isinstance(failed[0], assessments.AssessmentLocked), outcomes
        db_session.expire_all()
        scores = db_session.scalar(
            select(func.count())
            .select_from(AssessmentScore)
            .where(AssessmentScore.assessment_id == team["draft"])
        )
        assert scores == len(mini.pillars) + len(mini.challenge_areas)
