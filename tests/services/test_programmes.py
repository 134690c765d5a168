"""Programmes: invitations, joining with consent, withdrawal, and what the operator then sees."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import select

from readiness.models import Assessment
from readiness.models import AuditEvent
from readiness.models import User
from readiness.services import accounts
from readiness.services import assessments
from readiness.services import cohort
from readiness.services import cohort_table
from readiness.services import programme_firms
from readiness.services import programmes
from tests.factories import make_org
from tests.factories import make_user
from tests.programme_data import QUESTIONNAIRE
from tests.programme_data import join_firm
from tests.programme_data import make_programme
from tests.programme_data import store_result
from tests.web.access_rules import flagship


def test_an_invitation_link_works_once(db_session):
    programme = make_programme(db_session)
    operator = db_session.get(User, programme.created_by_id)
    _p, token = programmes.invite_firm(db_session, operator, programme, "Boss@Firm.example")
    owner = make_user(db_session)
    firm = make_org(db_session, owner=owner)
    joined = programmes.join(db_session, owner, token, firm.id, "answers")
    assert (joined.organisation_id, joined.consent, joined.email) == (
        firm.id,
        "answers",
        "boss@firm.example",
    )
    other = make_org(db_session, owner=owner)
    with pytest.raises(accounts.InvalidToken):
        programmes.join(db_session, owner, token, other.id, "results")


def test_only_owners_of_the_firm_may_join_or_withdraw(db_session):
    programme = make_programme(db_session)
    operator = db_session.get(User, programme.created_by_id)
    _p, token = programmes.invite_firm(db_session, operator, programme)
    owner, viewer = make_user(db_session), make_user(db_session)
    firm = make_org(db_session, owner=owner, members={viewer: "viewer"})
    with pytest.raises(accounts.Forbidden):
        programmes.join(db_session, viewer, token, firm.id, "results")
    participation = programmes.join(db_session, owner, token, firm.id, "results")
    with pytest.raises(accounts.Forbidden):
        programmes.set_consent(db_session, viewer, firm.id, participation.id, None)
    with pytest.raises(accounts.NotFound):  # the operator cannot change the firm's consent
        programmes.set_consent(db_session, operator, firm.id, participation.id, "answers")


def test_a_firm_joins_a_programme_once(db_session):
    programme = make_programme(db_session)
    operator = db_session.get(User, programme.created_by_id)
    firm, _p = join_firm(db_session, programme)
    owner = firm.memberships[0].user
    _p2, token = programmes.invite_firm(db_session, operator, programme)
    with pytest.raises(programmes.AlreadyParticipating):
        programmes.join(db_session, owner, token, firm.id, "results")
    with pytest.raises(programmes.OwnProgramme):
        programmes.join(db_session, operator, token, programme.organisation_id, "results")


def test_consent_and_withdrawal_are_in_the_audit_log(db_session):
    programme = make_programme(db_session)
    firm, participation = join_firm(db_session, programme)
    owner = firm.memberships[0].user
    programmes.set_consent(db_session, owner, firm.id, participation.id, "answers")
    programmes.set_consent(db_session, owner, firm.id, participation.id, None)
    events = db_session.scalars(
        select(AuditEvent).where(AuditEvent.organisation_id == firm.id).order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.details.get("to", e.details.get("consent"))) for e in events] == [
        ("programme_joined", "results"),
        ("programme_consent_changed", "answers"),
        ("programme_consent_withdrawn", None),
    ]
    assert all(e.actor_id == owner.id for e in events)


def test_a_withdrawn_firm_leaves_every_aggregate_table_and_status(db_session):
    programme = make_programme(db_session)
    firms = [join_firm(db_session, programme) for _ in range(3)]
    for (firm, _p), score in zip(firms, (30.0, 50.0, 70.0), strict=True):
        store_result(db_session, firm, score, {"technology": score})
    page = cohort_table.firm_page(db_session, programme, QUESTIONNAIRE)
    assert [r.overall_score for r in page.rows] == [70.0, 50.0, 30.0]
    leaving, participation = firms[2]
    owner = leaving.memberships[0].user
    programmes.set_consent(db_session, owner, leaving.id, participation.id, None)
    page = cohort_table.firm_page(db_session, programme, QUESTIONNAIRE)
    assert [r.overall_score for r in page.rows] == [50.0, 30.0]
    numbers = cohort.cohort(db_session, programme, QUESTIONNAIRE)
    assert numbers.firms == 2 and numbers.overall == {30.0: 1, 50.0: 1}
    assert numbers.parts[("pillar", "technology")] == {30.0: 1, 50.0: 1}
    status = programme_firms.programme_status(db_session, programme)
    assert status.withdrawn == 1
    assert leaving.name not in [f.organisation_name for f in status.firms]
    with pytest.raises(LookupError):
        cohort_table.shared_assessment(db_session, programme, participation.id)


def test_firms_outside_the_programme_are_not_in_its_cohort(db_session):
    programme = make_programme(db_session)
    inside, _p = join_firm(db_session, programme)
    store_result(db_session, inside, 40.0)
    store_result(db_session, make_org(db_session), 90.0)  # shares nothing with this programme
    other = make_programme(db_session)
    elsewhere, _p = join_firm(db_session, other)
    store_result(db_session, elsewhere, 80.0)
    assert cohort.cohort(db_session, programme, QUESTIONNAIRE).overall == {40.0: 1}


def test_status_and_rounds(db_session):
    programme = make_programme(db_session)
    operator = db_session.get(User, programme.created_by_id)
    programmes.invite_firm(db_session, operator, programme, "later@example.com")
    joined, _p = join_firm(db_session, programme)
    repeated, _p = join_firm(db_session, programme)
    old = datetime.now(UTC) - timedelta(days=400)
    store_result(db_session, repeated, 20.0, when=old)
    store_result(db_session, repeated, 40.0, when=old + timedelta(days=100))
    once, _p = join_firm(db_session, programme)
    store_result(db_session, once, 60.0)
    status = {
        f.organisation_name or f.email: f.status
        for f in programme_firms.programme_status(db_session, programme).firms
    }
    assert status == {
        "later@example.com": "invited",
        joined.name: "joined",
        repeated.name: "repeat_due",
        once.name: "submitted",
    }
    rounds = cohort.rounds(db_session, programme, QUESTIONNAIRE)
    assert [(r.number, r.firms, r.mean) for r in rounds] == [(1, 1, 20.0), (2, 1, 40.0)]


def test_a_real_submit_fills_the_aggregation_keys_and_the_latest_flag(db_session):
    owner = make_user(db_session)
    firm = make_org(
        db_session,
        owner=owner,
        profile={"sector": "process", "industry": "food", "headcount": "100_299", "region": "east"},
    )
    questionnaire = flagship()
    first = assessments.start_assessment(db_session, firm, questionnaire, owner, "T0")
    assessments.submit(db_session, first, questionnaire, owner, confirm_incomplete=True)
    second = assessments.start_assessment(db_session, firm, questionnaire, owner, "T1")
    assessments.submit(db_session, second, questionnaire, owner, confirm_incomplete=True)
    rows = db_session.execute(
        select(Assessment.id, Assessment.is_latest, Assessment.industry, Assessment.size_band)
        .where(Assessment.organisation_id == firm.id)
        .order_by(Assessment.id)
    ).all()
    assert [tuple(r) for r in rows] == [
        (first.id, False, "food", "100_299"),
        (second.id, True, "food", "100_299"),
    ]
    assessments.reopen(db_session, db_session.get(Assessment, second.id), owner)
    assert db_session.get(Assessment, first.id).is_latest is True


def test_the_firms_are_paged_in_sql_with_the_withdrawn_counted_on_every_page(db_session):
    programme = make_programme(db_session)
    operator = db_session.get(User, programme.created_by_id)
    programmes.invite_firm(db_session, operator, programme, "first@example.com")
    firms = [join_firm(db_session, programme) for _ in range(4)]
    leaving, participation = firms[1]
    owner = leaving.memberships[0].user
    programmes.set_consent(db_session, owner, leaving.id, participation.id, None)
    status_of = programme_firms.programme_status
    pages = [status_of(db_session, programme, page=n, per_page=2) for n in (1, 2)]
    names = [f.organisation_name or f.email for status in pages for f in status.firms]
    shown = ["first@example.com"] + [f.name for f, _p in firms if f is not leaving]
    assert names == shown  # in invitation order, the withdrawn firm on no page
    for status in pages:
        assert (status.listed, status.withdrawn, status.joined, status.pages) == (4, 1, 4, 2)
    assert (pages[0].previous, pages[0].next) == (None, 2)
    assert (pages[1].previous, pages[1].next) == (1, None)
    past = status_of(db_session, programme, page=3, per_page=2)
    assert past.firms == [] and past.pages == 2
