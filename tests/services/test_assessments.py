"""Assessment services: draft saves, conflicts, progress, submit and reopen, on every backend."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from readiness.domain.loading import load_questionnaire
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.results import result_document
from readiness.models import Assessment
from readiness.services import accounts
from readiness.services import answer_input
from readiness.services import assessments as service
from readiness.services.answer_input import PageAnswer
from tests.assessment_data import MINI

A = service.ANSWERED


@pytest.fixture(scope="module")
def mini() -> Questionnaire:
    """The small test questionnaire: four pillars, one question of each type."""
    return load_questionnaire(MINI)


@pytest.fixture
def team(db_session: Session, make_user: Any, make_org: Any) -> dict[str, Any]:
    """An organisation with an owner, two editors and a viewer."""
    owner, alice, bob, vera = (make_user(name=n) for n in ("Olga", "Alice", "Bob", "Vera"))
    org = make_org(
        owner=owner,
        members={alice: "editor", bob: "editor", vera: "viewer"},
        profile={"sector": "process"},
    )
    return {"org": org, "owner": owner, "alice": alice, "bob": bob, "vera": vera}


@pytest.fixture
def draft(db_session: Session, team: dict[str, Any], mini: Questionnaire) -> Assessment:
    """A fresh draft of the mini questionnaire started by Alice."""
    return service.start_assessment(db_session, team["org"], mini, team["alice"], "Spring check")


def test_start_copies_profile_and_keeps_previous(db_session, team, mini, draft):
    assert draft.status == "draft"
    assert (draft.questionnaire_id, draft.questionnaire_version) == ("mini", 1)
    assert draft.profile == {"sector": "process"}
    again = service.start_assessment(
        db_session, team["org"], mini, team["alice"], "Autumn", previous=draft
    )
    assert again.previous_assessment_id == draft.id


def test_viewer_cannot_start(db_session, team, mini):
    with pytest.raises(accounts.Forbidden):
        service.start_assessment(db_session, team["org"], mini, team["vera"], "No")


def test_draft_save_stores_every_kind_of_answer(db_session, team, mini, draft):
    page = {
        "technology.rd": PageAnswer(A, 3, "R&D plan", "budget 2024"),
        "technology.patents": PageAnswer(A, False),
        "data.governance": PageAnswer(A, "it"),
        "infrastructure.network": PageAnswer(service.NOT_APPLICABLE),
        "talent.training_hours": PageAnswer(A, 12.5),
    }
    outcome = service.save_answers(db_session, draft, mini, page, draft.revision, team["alice"])
    assert sorted(outcome.saved) == sorted(page)
    assert outcome.conflicts == []
    stored = service.load_answers(db_session, draft)
    assert {qid: service.page_answer(a) for qid, a in stored.items()} == page
    assert stored["technology.rd"].updated_by_id == team["alice"].id


def test_saving_unchanged_answers_changes_nothing(db_session, team, mini, draft):
    page = {"technology.rd": PageAnswer(A, 2)}
    first = service.save_answers(db_session, draft, mini, page, draft.revision, team["alice"])
    second = service.save_answers(db_session, draft, mini, page, first.revision, team["alice"])
    assert second.saved == [] and second.revision == first.revision


def test_clearing_an_answer_deletes_it(db_session, team, mini, draft):
    first = service.save_answers(
        db_session, draft, mini, {"technology.rd": PageAnswer(A, 2)}, draft.revision, team["alice"]
    )
    service.save_answers(
        db_session, draft, mini, {"technology.rd": PageAnswer()}, first.revision, team["alice"]
    )
    assert service.load_answers(db_session, draft) == {}


def test_invalid_answer_is_refused(db_session, team, mini, draft):
    with pytest.raises(service.InvalidAnswer, match="technology.rd"):
        service.save_answers(
            db_session, draft, mini, {"technology.rd": PageAnswer(A, 7)}, 1, team["alice"]
        )
    with pytest.raises(service.InvalidAnswer, match="not allowed"):
        service.save_answers(
            db_session,
            draft,
            mini,
            {"data.governance": PageAnswer(service.DONT_KNOW)},
            1,
            team["alice"],
        )


def test_later_save_keeps_the_other_persons_answer_and_reports_the_conflict(
    db_session, team, mini, draft
):
    base = draft.revision  # both load the page now
    service.save_answers(
        db_session, draft, mini, {"technology.rd": PageAnswer(A, 4)}, base, team["bob"]
    )
    outcome = service.save_answers(
        db_session,
        draft,
        mini,
        {"technology.rd": PageAnswer(A, 1), "technology.patents": PageAnswer(A, True)},
        base,
        team["alice"],
    )
    assert outcome.saved == ["technology.patents"]
    [conflict] = outcome.conflicts
    assert conflict.question_id == "technology.rd"
    assert conflict.theirs.value == 4 and conflict.yours.value == 1
    assert conflict.who == "Bob" and conflict.when is not None
    stored = service.load_answers(db_session, draft)
    assert stored["technology.rd"].value == 4
    # Re-applied on the fresh revision, Alice's answer goes through.
    again = service.save_answers(
        db_session,
        draft,
        mini,
        {"technology.rd": PageAnswer(A, 1)},
        outcome.revision,
        team["alice"],
    )
    assert (
        again.conflicts == []
        and service.load_answers(db_session, draft)["technology.rd"].value == 1
    )


def test_same_value_saved_twice_is_no_conflict(db_session, team, mini, draft):
    base = draft.revision
    page = {"technology.rd": PageAnswer(A, 4)}
    service.save_answers(db_session, draft, mini, page, base, team["bob"])
    assert service.save_answers(db_session, draft, mini, page, base, team["alice"]).conflicts == []


@pytest.mark.parametrize("touched_meanwhile", [False, True])
def test_partial_save_tells_which_revision_the_page_continues_from(
    db_session, team, mini, draft, touched_meanwhile: bool
):
    base = draft.revision
    if touched_meanwhile:  # Bob answers the question Alice typed something invalid into
        service.save_answers(
            db_session, draft, mini, {"technology.rd": PageAnswer(A, 4)}, base, team["bob"]
        )
    outcome = service.save_answers(
        db_session,
        draft,
        mini,
        {"technology.patents": PageAnswer(A, True)},
        base,
        team["alice"],
        held_back=["technology.rd"],
    )
    assert outcome.saved == ["technology.patents"] and outcome.conflicts == []
    assert outcome.revision == draft.revision
    # A question changed by someone else since the form was loaded keeps the page on its old
    # revision, so that saving the corrected answer later is still checked against theirs.
    assert outcome.page_revision == (base if touched_meanwhile else draft.revision)
    stored = service.load_answers(db_session, draft)
    assert (stored["technology.rd"].value if "technology.rd" in stored else None) == (
        4 if touched_meanwhile else None
    )


def test_progress_counts_per_pillar_with_one_query(db_session, team, mini, draft):
    service.save_answers(
        db_session,
        draft,
        mini,
        {
            "technology.rd": PageAnswer(A, 2),
            "technology.patents": PageAnswer(None, None, "only a note"),
            "infrastructure.network": PageAnswer(service.NOT_APPLICABLE),
        },
        draft.revision,
        team["alice"],
    )
    statements: list[str] = []
    engine = db_session.get_bind()

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        result = answer_input.progress(db_session, draft, mini)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1
    assert result.pillars["technology"] == answer_input.Count(1, 2)
    assert result.pillars["infrastructure"] == answer_input.Count(1, 1)
    assert result.pillars["data"] == answer_input.Count(0, 1)
    assert result.overall == answer_input.Count(2, len(mini.questions))
    assert set(result.unanswered) == {
        "technology.patents",
        "data.governance",
        "talent.training_hours",
    }


def test_submit_refuses_incomplete_without_confirmation(db_session, team, mini, draft):
    with pytest.raises(service.IncompleteAssessment) as info:
        service.submit(db_session, draft, mini, team["alice"])
    assert len(info.value.unanswered) == len(mini.questions)
    assert draft.status == "draft"


def test_submit_stores_the_result_in_every_language_and_locks(db_session, team, mini, draft):
    page = {"technology.rd": PageAnswer(A, 3), "data.governance": PageAnswer(A, "owner_named")}
    service.save_answers(db_session, draft, mini, page, draft.revision, team["alice"])
    service.submit(db_session, draft, mini, team["alice"], confirm_incomplete=True)
    db_session.expire_all()
    stored = db_session.get(Assessment, draft.id)
    assert stored.status == "submitted" and stored.submitted_by_id == team["alice"].id
    answers = service.answer_set(mini, service.load_answers(db_session, stored))
    for lang in mini.languages:
        expected = result_document(mini, answers, {"sector": "process"}, lang)
        assert stored.result[lang] == expected
        assert service.stored_result(db_session, stored, lang) == expected
    with pytest.raises(service.AssessmentLocked):
        service.save_answers(db_session, stored, mini, page, stored.revision, team["alice"])


def test_only_owners_reopen(db_session, team, mini, draft):
    service.submit(db_session, draft, mini, team["alice"], confirm_incomplete=True)
    for who in ("alice", "vera"):
        with pytest.raises(accounts.Forbidden):
            service.reopen(db_session, draft, team[who])
    service.reopen(db_session, draft, team["owner"])
    assert draft.status == "draft" and draft.result is None
    with pytest.raises(service.NotSubmitted):
        service.stored_result(db_session, draft, "en")


def test_other_organisation_cannot_see_the_assessment(db_session, make_user, draft):
    stranger = make_user()
    with pytest.raises(accounts.NotFound):
        service.get_assessment(db_session, stranger, draft.id, "viewer")
    with pytest.raises(accounts.NotFound):
        service.get_assessment(db_session, stranger, draft.id + 1000, "viewer")


def test_notes_of_a_held_back_question_are_saved_and_its_answer_kept(db_session, team, mini, draft):
    rd = "technology.rd"
    first = service.save_answers(
        db_session, draft, mini, {rd: PageAnswer(A, 3, "old")}, draft.revision, team["alice"]
    )
    # the page's answer to rd was invalid: only its notes come in, the stored answer stays
    outcome = service.save_answers(
        db_session, draft, mini, {}, first.revision, team["bob"], [rd], {rd: ("new", "plan.pdf")}
    )
    assert (outcome.saved, outcome.notes_kept) == ([rd], True)
    assert outcome.page_revision == outcome.revision == first.revision + 1
    stored = service.load_answers(db_session, draft)[rd]
    assert (stored.value, stored.comment, stored.evidence) == (3, "new", "plan.pdf")
    assert stored.updated_by_id == team["bob"].id
    # a question with no stored row gets one holding only notes (still unanswered)
    hours = "talent.training_hours"
    service.save_answers(
        db_session, draft, mini, {}, outcome.revision, team["bob"], [hours], {hours: ("x", "")}
    )
    assert service.page_answer(service.load_answers(db_session, draft)[hours]) == PageAnswer(
        None, None, "x", ""
    )
    assert hours in answer_input.progress(db_session, draft, mini).unanswered


def test_notes_of_a_held_back_question_changed_meanwhile_are_not_saved(
    db_session, team, mini, draft
):
    rd = "technology.rd"
    base = draft.revision
    service.save_answers(
        db_session, draft, mini, {rd: PageAnswer(A, 4, "bob's")}, base, team["bob"]
    )
    outcome = service.save_answers(
        db_session, draft, mini, {}, base, team["alice"], [rd], {rd: ("alice's", "")}
    )
    assert (outcome.saved, outcome.notes_kept, outcome.page_revision) == ([], False, base)
    assert service.load_answers(db_session, draft)[rd].comment == "bob's"
