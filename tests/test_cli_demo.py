"""`readiness demo-data`: a synthetic cohort scored by the real scoring, visible in the cohort."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy import select

from readiness.cli import cli
from readiness.models import Assessment
from readiness.models import AssessmentScore
from readiness.models import Programme
from readiness.services import benchmark
from readiness.services import cohort
from tests.factories import make_user


def test_demo_data_creates_a_scored_cohort(runner, db_session):
    owner = make_user(db_session, email="demo@example.com")
    result = runner.invoke(
        cli,
        ["demo-data", "--firms", "30", "--rounds", "2", "--owner", owner.email, "--distinct", "20"],
    )
    assert result.exit_code == 0, result.output
    assert "30" in result.output and "60" in result.output
    rows = db_session.execute(
        select(Assessment.is_latest, func.count(), func.min(Assessment.overall_score))
        .group_by(Assessment.is_latest)
        .order_by(Assessment.is_latest)
    ).all()
    assert [(latest, n) for latest, n, _low in rows] == [(False, 30), (True, 30)]
    assert all(low is not None for _l, _n, low in rows)
    pillars = db_session.scalar(
        select(func.count(func.distinct(AssessmentScore.key))).where(
            AssessmentScore.kind == "pillar"
        )
    )
    assert pillars == 5
    scores = db_session.scalars(select(Assessment.overall_score)).all()
    assert len(set(scores)) > 5  # a spread, not one repeated result
    programme = db_session.scalars(select(Programme)).one()
    assert programme.organisation.memberships[0].user_id == owner.id
    numbers = cohort.cohort(db_session, programme, programme.questionnaire_ids[0])
    assert 20 <= numbers.firms <= 30  # some demo firms share nothing
    assert [r.number for r in numbers.rounds] == [1, 2]
    fresh = cohort.compute(db_session, programme, programme.questionnaire_ids[0])
    assert (numbers.firms, numbers.parts, numbers.breakdowns) == (
        fresh.firms,
        fresh.parts,
        fresh.breakdowns,
    )  # the counts it built are a recount's
    latest = db_session.scalars(select(Assessment).where(Assessment.is_latest.is_(True))).first()
    assert any(g.shown for g in benchmark.benchmark(db_session, latest))


def test_demo_data_refuses_an_unknown_owner(runner):
    result = runner.invoke(cli, ["demo-data", "--firms", "1", "--owner", "nobody@example.com"])
    assert result.exit_code != 0
    assert "nobody@example.com" in result.output
