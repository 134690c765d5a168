"""A repeat is started once: concurrent clicks get the same draft, never a pile of copies."""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask
from sqlalchemy import select

from readiness import create_app
from readiness.db import get_sessionmaker
from readiness.models import Assessment
from readiness.models import Organisation
from readiness.models import User
from readiness.services import comparisons
from tests.assessment_data import write_questionnaires
from tests.conftest import test_config
from tests.report_data import submitted_assessment

TRIALS = 5


def _app(database_url: str, tmp_path: Any) -> Flask:
    directory = write_questionnaires(tmp_path / "q", extra_questions=0)
    return create_app(test_config(database_url, QUESTIONNAIRE_DIR=str(directory)))


def test_concurrent_repeats_make_one_draft(database_url, tmp_path, make_user, make_org, db_session):
    app = _app(database_url, tmp_path)
    try:
        catalogue = app.extensions["catalogue"]
        owner = make_user(name="Olga")
        org = make_org(owner=owner, name="Acme")
        q = catalogue.get("mini", 1)
        for trial in range(TRIALS):
            done = submitted_assessment(db_session, org, owner, q)
            outcomes: list[str] = []
            barrier = threading.Barrier(2)

            def click(
                outcomes: list[str] = outcomes,
                barrier: threading.Barrier = barrier,
                trial: int = trial,
            ) -> None:
                with get_sessionmaker(app)() as session:
                    organisation = session.get(Organisation, org.id)
                    user = session.get(User, owner.id)
                    barrier.wait()
                    try:
                        comparisons.repeat_assessment(
                            session, organisation, user, catalogue, f"Repeat {trial}"
                        )
                        outcomes.append("new")
                    except comparisons.RepeatInProgress:
                        outcomes.append("offered")

            threads = [threading.Thread(target=click) for _ in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=30)
            assert sorted(outcomes) == ["new", "offered"], trial
            db_session.expire_all()
            drafts = db_session.scalars(
                select(Assessment).where(Assessment.previous_assessment_id == done.id)
            ).all()
            assert len(drafts) == 1
            assert comparisons.repeat_draft(db_session, org.id).id == drafts[0].id
    finally:
        app.extensions["readiness.db"]["engine"].dispose()
