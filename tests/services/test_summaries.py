"""Assessment summaries: written at submit, dropped at reopen, read by pages; the data migration."""

from __future__ import annotations

import json
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness import migrate
from readiness.db import make_engine
from readiness.domain.loading import load_questionnaire
from readiness.domain.questionnaire import Questionnaire
from readiness.models import Assessment
from readiness.models import AssessmentScore
from readiness.services import assessments as service
from readiness.services import summaries
from readiness.services.answer_input import PageAnswer
from tests.assessment_data import MINI

A = service.ANSWERED


@pytest.fixture(scope="module")
def mini() -> Questionnaire:
    """The small test questionnaire."""
    return load_questionnaire(MINI)


@pytest.fixture
def team(db_session: Session, make_user: Any, make_org: Any) -> dict[str, Any]:
    """An organisation with an owner."""
    owner = make_user(name="Olga")
    return {"org": make_org(owner=owner), "owner": owner}


def _submitted(
    db_session: Session, team: dict[str, Any], mini: Questionnaire, rd: int
) -> Assessment:
    draft = service.start_assessment(db_session, team["org"], mini, team["owner"], f"rd {rd}")
    page = {"technology.rd": PageAnswer(A, rd), "data.governance": PageAnswer(A, "owner_named")}
    service.save_answers(db_session, draft, mini, page, draft.revision, team["owner"])
    return service.submit(db_session, draft, mini, team["owner"], confirm_incomplete=True)


def _rows(db_session: Session, assessment: Assessment) -> dict[tuple[str, str], tuple[Any, Any]]:
    rows = db_session.scalars(
        select(AssessmentScore).where(AssessmentScore.assessment_id == assessment.id)
    )
    return {(r.kind, r.key): (r.score, r.level) for r in rows}


def test_submit_writes_the_summary_of_the_stored_result(db_session, team, mini):
    assessment = _submitted(db_session, team, mini, 4)
    doc = assessment.result["en"]
    assert assessment.overall_level == doc["overall"]["level"]
    assert round(assessment.overall_score, 1) == doc["overall"]["score"]
    rows = _rows(db_session, assessment)
    assert {k for k, _ in rows} == {"pillar", "challenge_area"}
    for kind, field in (("pillar", "pillars"), ("challenge_area", "challenge_areas")):
        for key, value in doc[field].items():
            score, level = rows[(kind, key)]
            assert level == value["level"]
            assert (None if score is None else round(score, 1)) == value["score"]


def test_reopen_drops_the_summary_and_resubmit_writes_it_again(db_session, team, mini):
    assessment = _submitted(db_session, team, mini, 4)
    service.reopen(db_session, assessment, team["owner"])
    assert assessment.overall_score is None and assessment.overall_level is None
    assert _rows(db_session, assessment) == {}
    page = {"technology.rd": PageAnswer(A, 1)}
    service.save_answers(db_session, assessment, mini, page, assessment.revision, team["owner"])
    service.submit(db_session, assessment, mini, team["owner"], confirm_incomplete=True)
    assert (
        _rows(db_session, assessment)[("pillar", "technology")][1]
        == (assessment.result["en"]["pillars"]["technology"]["level"])
    )


def test_pages_of_assessments_and_the_trend(db_session, team, mini):
    made = [_submitted(db_session, team, mini, 1 + n % 5) for n in range(7)]
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for n, assessment in enumerate(made):
        assessment.submitted_at = start + timedelta(days=n)
    db_session.commit()
    first = summaries.assessment_page(db_session, team["org"].id, 1, per_page=3)
    assert (first.pages, first.total, first.previous, first.next) == (3, 7, None, 2)
    last = summaries.assessment_page(db_session, team["org"].id, 99, per_page=3)
    assert last.number == 3 and len(last.items) == 1
    history = summaries.history_page(db_session, team["org"].id, per_page=3)
    assert [a.id for a in history.items] == [made[6].id]  # the last page: the latest
    points = summaries.trend(db_session, team["org"].id, limit=4)
    assert [p.assessment_id for p in points] == [a.id for a in made[3:]]  # oldest first
    assert points[-1].overall == made[6].overall_score
    assert set(points[-1].pillars) == {p.id for p in mini.pillars}


def test_the_migration_fills_summaries_from_stored_documents(databases):
    with databases.empty() as url:
        migrate.upgrade(url, "i15a")
        engine = make_engine(url)
        document = {
            "overall": {"score": 2.5, "level": 2},
            "pillars": {
                "technology": {"score": 3.1, "level": 3},
                "data": {"score": None, "level": None},
            },
            "challenge_areas": {"5.1": {"score": 1.0, "level": 1}},
        }
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO organisations (id, name, profile, created_at)"
                    " VALUES (1, 'A', '{}', '2024-01-01')"
                )
            )
            for aid, status, result in ((1, "submitted", {"en": document}), (2, "draft", None)):
                conn.execute(
                    sa.text(
                        "INSERT INTO assessments (id, organisation_id, questionnaire_id,"
                        " questionnaire_version, title, status, profile, revision, result,"
                        " created_at, updated_at) VALUES (:id, 1, 'q', 1, 't', :status, '{}', 1,"
                        " :result, '2024-01-01', '2024-01-01')"
                    ),
                    {"id": aid, "status": status, "result": json.dumps(result) if result else None},
                )
        engine.dispose()
        migrate.upgrade(url)
        engine = make_engine(url)
        with engine.connect() as conn:
            overall = conn.execute(
                sa.text("SELECT id, overall_score, overall_level FROM assessments ORDER BY id")
            ).all()
            parts = conn.execute(
                sa.text(
                    "SELECT assessment_id, kind, key, score, level FROM assessment_scores"
                    " ORDER BY kind, key"
                )
            ).all()
        engine.dispose()
        assert [tuple(r) for r in overall] == [(1, 2.5, 2), (2, None, None)]
        assert [tuple(r) for r in parts] == [
            (1, "challenge_area", "5.1", 1.0, 1),
            (1, "pillar", "data", None, None),
            (1, "pillar", "technology", 3.1, 3),
        ]


def test_a_second_submit_of_a_stale_draft_is_refused(db_session, team, mini):
    """Two editors load the draft; the later submit sees the first one's status (row lock)."""
    draft = service.start_assessment(db_session, team["org"], mini, team["owner"], "Twice")
    other = Session(bind=db_session.get_bind(), expire_on_commit=False)
    try:
        stale = other.get(Assessment, draft.id)
        assert stale.status == "draft"
        service.submit(db_session, draft, mini, team["owner"], confirm_incomplete=True)
        with pytest.raises(service.AssessmentLocked):
            service.submit(other, stale, mini, team["owner"], confirm_incomplete=True)
        other.rollback()
    finally:
        other.close()
    assert len(_rows(db_session, draft)) == len(mini.pillars) + len(mini.challenge_areas)


def test_history_pages_match_the_date_order_with_drafts_among_them(db_session, team, mini):
    """Every page, every page size: the same rows as sorting all of them by date, then ID."""
    start = datetime(2024, 1, 1, tzinfo=UTC)
    days = [5, 1, 9, 3, 3, 12, 7, 0, 10, 3, 8, 6]  # submitted ones (ties on day 3)
    made = []
    for n, day in enumerate(days):
        assessment = _submitted(db_session, team, mini, 1 + n % 5)
        assessment.submitted_at = start + timedelta(days=day)
        made.append(assessment)
    for day in (2, 3, 11, 20, -1):  # drafts, dated by creation, among and around them
        draft = service.start_assessment(db_session, team["org"], mini, team["owner"], "draft")
        draft.created_at = start + timedelta(days=day)
        made.append(draft)
    db_session.commit()
    expected = [a.id for a in sorted(made, key=lambda a: (a.submitted_at or a.created_at, a.id))]
    for per_page in (1, 2, 3, 4, 5, 7, 25):
        pages = -(-len(expected) // per_page)
        for number in range(1, pages + 1):
            page = summaries.history_page(db_session, team["org"].id, number, per_page)
            assert [i.id for i in page.items] == expected[(number - 1) * per_page :][:per_page]
        last = summaries.history_page(db_session, team["org"].id, None, per_page)
        assert (last.number, last.pages) == (pages, pages)
