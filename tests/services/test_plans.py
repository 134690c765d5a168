"""Plan services: rules in the database, races, and links that survive a questionnaire version."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any

import pytest
import yaml
from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from readiness.db import get_sessionmaker
from readiness.domain.loading import from_mapping
from readiness.domain.plan import is_overdue
from readiness.domain.plan_links import candidates
from readiness.models import Assessment
from readiness.models import Organisation
from readiness.models import PlanAction
from readiness.models import PlanActionChange
from readiness.models import User
from readiness.services import assessments as svc
from readiness.services import plans
from readiness.services.accounts import Forbidden
from readiness.services.plan_loop import linked_by_question
from readiness.services.plan_loop import question_ids_in
from tests import factories
from tests.assessment_data import MINI
from tests.assessment_data import write_questionnaires
from tests.conftest import test_config

TRIALS = 12


@pytest.fixture
def app_config(database_url: str, tmp_path: Any) -> dict[str, Any]:
    directory = write_questionnaires(tmp_path / "questionnaires", extra_questions=0)
    return test_config(database_url, QUESTIONNAIRE_DIR=str(directory))


@pytest.fixture
def acme(db_session: Session) -> dict[str, Any]:
    owner, viewer = factories.make_user(db_session), factories.make_user(db_session)
    org = factories.make_org(db_session, owner, "Acme", {viewer: "viewer"})
    return {"org": org, "owner": owner, "viewer": viewer}


@pytest.fixture
def submitted(app: Flask, db_session: Session, acme: dict[str, Any]) -> Callable[[], Assessment]:
    def make() -> Assessment:
        q = app.extensions["catalogue"].get("mini", 1)
        a = svc.start_assessment(db_session, acme["org"], q, acme["owner"], "Check")
        page = {"technology.rd": svc.PageAnswer("answered", 1)}
        svc.save_answers(db_session, a, q, page, a.revision, acme["owner"])
        svc.submit(db_session, a, q, acme["owner"], confirm_incomplete=True)
        return a

    return make


def test_the_database_refuses_a_dropped_action_without_reason(db_session, acme) -> None:
    db_session.add(
        PlanAction(organisation_id=acme["org"].id, title="x", status="dropped", dropped_reason="")
    )
    with pytest.raises(IntegrityError):
        db_session.commit()
    db_session.rollback()
    with pytest.raises(plans.InvalidAction):
        plans.create_action(
            db_session, acme["org"], acme["owner"], plans.ActionFields("x", status="dropped")
        )


def test_the_service_refuses_links_that_are_not_web_addresses(db_session, acme) -> None:
    fields = plans.ActionFields("x", evidence_links=["javascript:alert(1)"])
    with pytest.raises(plans.InvalidAction):
        plans.create_action(db_session, acme["org"], acme["owner"], fields)


def test_viewers_cannot_write_and_owners_must_be_members(db_session, acme) -> None:
    with pytest.raises(Forbidden):
        plans.create_action(db_session, acme["org"], acme["viewer"], plans.ActionFields("x"))
    stranger = factories.make_user(db_session)
    with pytest.raises(plans.NotAMember):
        plans.create_action(
            db_session, acme["org"], acme["owner"], plans.ActionFields("x", owner_id=stranger.id)
        )


def _race(app: Flask, work: Callable[[Session], Callable[[], str]]) -> list[str]:
    """In two threads with their own sessions: prepare with `work`, then run both at once."""
    barrier = threading.Barrier(2)
    results: list[str] = []

    def run() -> None:
        with get_sessionmaker(app)() as session:
            prepared = work(session)  # loads what it needs first
            barrier.wait()
            results.append(prepared())

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def test_two_changes_from_the_same_form_save_once(app, db_session, acme) -> None:
    for trial in range(TRIALS):
        action = plans.create_action(
            db_session, acme["org"], acme["owner"], plans.ActionFields(f"t{trial}")
        )

        def work(session: Session, action_id: int = action.id) -> Callable[[], str]:
            mine = session.get(PlanAction, action_id)
            user = session.get(User, acme["owner"].id)
            title = f"by {threading.get_ident()}"

            def change() -> str:
                try:
                    plans.update_action(session, mine, user, plans.ActionFields(title), 1)
                except plans.StaleAction:
                    return "stale"
                return "saved"

            return change

        assert sorted(_race(app, work)) == ["saved", "stale"], trial
        db_session.expire_all()
        stored = db_session.get(PlanAction, action.id)
        assert stored.revision == 2
        updates = db_session.scalars(
            select(PlanActionChange).where(
                PlanActionChange.action_id == action.id, PlanActionChange.kind == "updated"
            )
        ).all()
        assert [u.changes["title"][1] for u in updates] == [stored.title]


def test_adopting_the_same_action_at_once_adds_it_once(app, db_session, acme, submitted) -> None:
    assessment = submitted()
    q = app.extensions["catalogue"].get("mini", 1)
    offered = candidates(q, svc.stored_result(db_session, assessment, "en"))
    for trial, candidate in enumerate(offered[:TRIALS]):

        def work(session: Session, c: Any = candidate) -> Callable[[], str]:
            org = session.get(Organisation, acme["org"].id)
            user = session.get(User, acme["owner"].id)
            mine = session.get(Assessment, assessment.id)

            def adopt() -> str:
                outcome = plans.adopt(session, org, user, mine, [c])
                return "added" if outcome.added else "already"

            return adopt

        assert sorted(_race(app, work)) == ["added", "already"], trial
    keys = db_session.scalars(select(PlanAction.source_key)).all()
    assert len(keys) == len(set(keys)) == min(TRIALS, len(offered))


def test_links_survive_a_version_that_renames_a_question(app, db_session, acme, submitted):
    v1 = app.extensions["catalogue"].get("mini", 1)
    raw = yaml.safe_load(
        MINI.read_text(encoding="utf-8")
        .replace("version: 1", "version: 2")
        .replace("talent.training_hours", "talent.training_days")
    )
    loaded = from_mapping(raw, "mini/2.yaml")
    declared = {q.id: q.id for q in v1.questions}
    declared["talent.training_hours"] = "talent.training_days"
    v2 = replace(loaded, previous_version=1, previous_questions=declared)
    first = submitted()
    offered = candidates(v1, svc.stored_result(db_session, first, "en"))
    training = next(c for c in offered if c.measure == "6.4")
    assert training.question_ids == ("talent.training_hours",)
    action = plans.adopt(db_session, acme["org"], acme["owner"], first, [training]).added[0]
    plans.set_status(db_session, action, acme["owner"], "done", action.revision)
    assert question_ids_in(action, v2) == ("talent.training_days",)
    assert question_ids_in(action, v1) == ("talent.training_hours",)
    # a repeat on version 2 shows the action beside the renamed question
    repeat = svc.start_assessment(db_session, acme["org"], v2, acme["owner"], "Again")
    unlinked = linked_by_question(db_session, repeat, v2)["talent.training_days"]
    assert [(a.status, a.done_since_last) for a in unlinked] == [("done", False)]  # no previous
    repeat.previous_assessment_id = first.id
    first.submitted_at = datetime(2025, 1, 1, tzinfo=UTC)
    db_session.commit()
    links = linked_by_question(db_session, repeat, v2)
    assert [(a.title, a.done_since_last) for a in links["talent.training_days"]] == [
        (training.title, True)
    ]
    assert "talent.training_hours" not in links


def test_overdue_in_sql_is_the_domains_rule_and_pages_cover_the_list(db_session, acme) -> None:
    """The overdue filter runs in SQL; it must agree with domain.plan.is_overdue everywhere."""
    today = date(2026, 6, 15)
    dues = [None, today - timedelta(days=1), today, today + timedelta(days=3)]
    for n in range(16):  # every status with every kind of due date
        status, due = ["planned", "in_progress", "done", "dropped"][n % 4], dues[n // 4]
        fields = plans.ActionFields(
            f"a{n}", status=status, due_date=due, dropped_reason="no" if status == "dropped" else ""
        )
        plans.create_action(db_session, acme["org"], acme["owner"], fields)
    org_id = acme["org"].id
    everything = plans.list_actions(db_session, org_id, today=today)
    overdue = plans.list_actions(db_session, org_id, plans.PlanFilter(overdue=True), today=today)
    expected = [a.id for a in everything if is_overdue(a.due_date, a.status, today)]
    assert [a.id for a in overdue] == expected and expected  # some are, in the list's order
    pages = [plans.page_of_actions(db_session, org_id, plans.PlanFilter(), n, 6) for n in (1, 2, 3)]
    assert [a.id for items, _ in pages for a in items] == [a.id for a in everything]
    assert {total for _, total in pages} == {16}
