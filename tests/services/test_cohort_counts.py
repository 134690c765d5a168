"""The kept cohort counts equal a recount after every change; the official rule in aggregates.

readiness.services.cohort_pool changes a programme's counts by each firm's share instead of
recounting; `cohort.compute` recounts the straightforward way. Both databases.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import delete
from sqlalchemy import select

from readiness.models import Assessment
from readiness.models import AssessmentScore
from readiness.models import CohortMember
from readiness.models import OnSiteReview
from readiness.models import Programme
from readiness.services import assessments
from readiness.services import benchmark
from readiness.services import cohort
from readiness.services import cohort_pool
from readiness.services import cohort_table
from readiness.services import deletion
from readiness.services import onsite
from readiness.services import programmes
from tests.factories import make_org
from tests.programme_data import QUESTIONNAIRE
from tests.programme_data import join_firm
from tests.programme_data import make_programme
from tests.programme_data import store_result

EAST = {"sector": "discrete", "industry": "machinery", "headcount": "20_99", "region": "east"}
FOOD = {"sector": "process", "industry": "food", "headcount": "100_299"}


def _owner(firm):
    return firm.memberships[0].user


def _same(session, programme):
    """The kept counts decode to the recount (round means to a millionth of a point)."""
    kept = cohort.cohort(session, programme, QUESTIONNAIRE)
    fresh = cohort.compute(session, programme, QUESTIONNAIRE)
    assert dataclasses.replace(kept, rounds=[]) == dataclasses.replace(fresh, rounds=[])
    assert [(r.number, r.firms) for r in kept.rounds] == [(r.number, r.firms) for r in fresh.rounds]
    for mine, theirs in zip(kept.rounds, fresh.rounds, strict=True):
        assert mine.mean == pytest.approx(theirs.mean, abs=1e-5)
    members = {
        m.organisation_id: m.share
        for m in session.scalars(
            select(CohortMember).where(CohortMember.programme_id == programme.id)
        )
    }
    assert members == cohort_pool.all_shares(session, programme, QUESTIONNAIRE)
    return kept


def test_kept_counts_equal_a_recount_after_every_change(db_session):
    programme = make_programme(db_session)
    (a, pa), (b, pb) = join_firm(db_session, programme), join_firm(db_session, programme)
    before = datetime.now(UTC) - timedelta(days=30)
    store_result(db_session, a, 30.4, {"technology": 30.5, "data": None}, EAST, when=before)
    store_result(db_session, b, 55.0, {"technology": 60.0}, FOOD, when=before)
    store_result(db_session, b, 61.5, {"technology": 70.0, "data": 45.0}, FOOD)
    store_result(db_session, make_org(db_session), 90.0, {"technology": 90.0})  # not a member
    assert _same(db_session, programme).firms == 2  # kept since the programme began
    c, _pc = join_firm(db_session, programme, consent="answers")
    store_result(db_session, c, 50.0, {"technology": 51.0})
    store_result(db_session, a, 42.5, {"technology": 40.0, "data": 44.0}, EAST)  # T1
    assert [r.firms for r in _same(db_session, programme).rounds] == [2, 2]
    programmes.set_consent(db_session, _owner(b), b.id, pb.id, None)  # withdraws
    assert [r.firms for r in _same(db_session, programme).rounds] == [1, 1]
    programmes.set_consent(db_session, _owner(b), b.id, pb.id, "answers")  # comes back
    programmes.set_consent(db_session, _owner(a), a.id, pa.id, "answers")  # no change in counts
    assert _same(db_session, programme).firms == 3
    latest = db_session.scalar(
        select(Assessment).where(Assessment.organisation_id == a.id, Assessment.is_latest)
    )
    assessments.reopen(db_session, latest, _owner(a))  # back to T0: only b repeated
    assert [r.mean for r in _same(db_session, programme).rounds] == [55.0, 61.5]
    deletion.delete_organisation(db_session, _owner(c), c.id, c.name)
    assert _same(db_session, programme).firms == 2
    db_session.execute(  # as after the upgrade that introduced them: built from the shares
        Programme.__table__.update().where(Programme.id == programme.id).values(cohort_cache={})
    )
    db_session.execute(delete(CohortMember))
    db_session.commit()
    assert _same(db_session, programme).firms == 2


def _five_firms(db_session):
    programme = make_programme(db_session)
    firms = []
    for score in (10.0, 20.0, 30.0, 40.0, 60.0):
        firm, participation = join_firm(db_session, programme)
        store_result(db_session, firm, score, {"technology": score})
        firms.append((firm, participation))
    mine = store_result(db_session, make_org(db_session), 50.0, {"technology": 50.0})
    return programme, firms, mine


def test_only_official_results_count_in_benchmarks_and_cohorts(db_session):
    programme, firms, mine = _five_firms(db_session)
    assert cohort.cohort(db_session, programme, QUESTIONNAIRE).overall[10.0] == 1
    firm, participation = firms[0]
    evaluation = store_result(db_session, firm, 95.0, {"technology": 95.0}, kind="on_site")
    db_session.add(
        OnSiteReview(
            assessment_id=evaluation.id,
            question_id="q1",
            verdict="disputed",
            note="Not what we do",
            reviewed_by_id=_owner(firm).id,
            reviewed_at=datetime.now(UTC),
        )
    )
    db_session.commit()
    # Unconfirmed (and disputed): the firm's previous official result still counts.
    numbers = _same(db_session, programme)
    assert numbers.overall == {10.0: 1, 20.0: 1, 30.0: 1, 40.0: 1, 60.0: 1}
    groups = benchmark.benchmark(db_session, mine)
    assert all(g.firms == 5 for g in groups)  # the firm once, with its previous result
    assert {g.scope: g.overall for g in groups}["all"] == 80
    assert not db_session.get(Assessment, evaluation.id).is_latest
    # Confirmed by the firm: now the on-site evaluation is its latest result.
    onsite.confirm(db_session, db_session.get(Assessment, evaluation.id), _owner(firm))
    numbers = _same(db_session, programme)
    assert numbers.overall == {95.0: 1, 20.0: 1, 30.0: 1, 40.0: 1, 60.0: 1}
    assert {g.scope: g.overall for g in benchmark.benchmark(db_session, mine)}["all"] == 60
    # Withdrawn: in neither, and the group of four left is hidden (k-anonymity).
    programmes.set_consent(db_session, _owner(firm), firm.id, participation.id, None)
    assert 95.0 not in _same(db_session, programme).overall
    groups = benchmark.benchmark(db_session, mine)
    assert all(g.firms == 4 and g.overall is None for g in groups)


def test_table_pages_read_along_indexes_equal_a_plain_sort(db_session):
    programme = make_programme(db_session)
    rows = {}  # assessment ID -> (overall, technology or None, name)
    for overall, technology in (
        (50.0, 40.0),
        (50.0, 40.0),
        (70.0, None),
        (30.0, 90.0),
        (60.0, 10.0),
    ):
        firm, _p = join_firm(db_session, programme)
        store_result(db_session, firm, 10.0, {"technology": 99.0})  # an earlier result
        pillars = {"technology": technology, "data": 1.0} if technology else {"data": 1.0}
        rows[store_result(db_session, firm, overall, pillars).id] = (overall, technology, firm.name)
    firm, participation = join_firm(db_session, programme)
    store_result(db_session, firm, 80.0, {"technology": 80.0})
    programmes.set_consent(db_session, _owner(firm), firm.id, participation.id, None)
    store_result(db_session, make_org(db_session), 20.0, {"technology": 20.0})  # not a member
    db_session.execute(  # a null pillar score sorts with the missing ones
        AssessmentScore.__table__.update()
        .where(AssessmentScore.assessment_id == max(rows), AssessmentScore.key == "technology")
        .values(score=None)
    )
    db_session.commit()
    rows[max(rows)] = (rows[max(rows)][0], None, rows[max(rows)][2])
    for sort, column in (("overall", 0), ("technology", 1), ("name", 2)):
        for descending in (True, False):
            scored = sorted(
                (
                    (v[column].lower() if isinstance(v[column], str) else v[column], i)
                    for i, v in rows.items()
                    if v[column] is not None
                ),
                reverse=descending,
            )
            unscored = sorted((i for i, v in rows.items() if v[column] is None), reverse=descending)
            expected = [i for _value, i in scored] + unscored
            paged = [
                r.assessment_id
                for number in (1, 2, 3)
                for r in cohort_table.firm_page(
                    db_session, programme, QUESTIONNAIRE, sort, descending, number, per_page=2
                ).rows
            ]
            every = cohort_table.firm_page(
                db_session, programme, QUESTIONNAIRE, sort, descending, per_page=None
            )
            assert paged == [r.assessment_id for r in every.rows] == expected, (sort, descending)
