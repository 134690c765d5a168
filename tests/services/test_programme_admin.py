"""Editing and deleting a programme, and invitation links that expire, are revoked or renewed."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlalchemy import select

from readiness.models import Assessment
from readiness.models import Participation
from readiness.models import PeerScore
from readiness.models import Programme
from readiness.models import User
from readiness.models.base import utcnow
from readiness.services import accounts
from readiness.services import cohort
from readiness.services import programme_admin
from readiness.services import programme_firms
from readiness.services import programmes
from readiness.services.peer_pool import refresh_peers
from tests.factories import make_org
from tests.factories import make_user
from tests.programme_data import QUESTIONNAIRE
from tests.programme_data import join_firm
from tests.programme_data import make_programme
from tests.programme_data import store_result

OTHER = "miit-sme-digital-2024"


def _operator(session, programme) -> User:
    return session.get(User, programme.created_by_id)


def _fields(programme, **changes) -> programme_admin.ProgrammeFields:
    base = {
        "name": programme.name,
        "questionnaire_ids": list(programme.questionnaire_ids),
        "starts_on": programme.starts_on,
    }
    return programme_admin.ProgrammeFields(**(base | changes))


def test_an_answered_questionnaire_stays_and_an_unanswered_one_goes(db_session):
    programme = make_programme(db_session)
    operator = _operator(db_session, programme)
    pid, oid = programme.id, programme.organisation_id
    fields = _fields(programme, questionnaire_ids=[QUESTIONNAIRE, OTHER])
    programme_admin.update_programme(db_session, operator, oid, pid, fields)
    firm, _p = join_firm(db_session, programme)
    store_result(db_session, firm, 50.0, when=datetime(2020, 6, 1, tzinfo=UTC))
    assert cohort.cohort(db_session, programme, QUESTIONNAIRE).firms == 1  # counts kept
    revision = db_session.get(Programme, pid).revision
    with pytest.raises(programme_admin.QuestionnaireInUse) as refused:
        programme_admin.update_programme(
            db_session, operator, oid, pid, _fields(programme, questionnaire_ids=[OTHER])
        )
    assert refused.value.questionnaire_ids == [QUESTIONNAIRE]
    assert db_session.get(Programme, pid).questionnaire_ids == [QUESTIONNAIRE, OTHER]
    changed = _fields(
        programme,
        name=" Renamed ",
        questionnaire_ids=[QUESTIONNAIRE],
        starts_on=date(2021, 1, 1),
        ends_on=date(2030, 1, 1),
        sector_focus="Textiles",
        repeat_after_days=90,
    )
    programme_admin.update_programme(db_session, operator, oid, pid, changed)
    saved = db_session.get(Programme, pid)
    assert (saved.name, saved.questionnaire_ids, saved.ends_on, saved.repeat_after_days) == (
        "Renamed",
        [QUESTIONNAIRE],
        date(2030, 1, 1),
        90,
    )
    assert saved.revision > revision  # the cohort's kept counts were dropped and rebuilt
    assert cohort.cohort(db_session, saved, QUESTIONNAIRE) == cohort.compute(
        db_session, saved, QUESTIONNAIRE
    )
    assert cohort.cohort(db_session, saved, QUESTIONNAIRE).firms == 0  # submitted before 2021
    assert db_session.scalar(select(func.count()).select_from(Assessment)) == 1  # untouched
    viewer = make_user(db_session)
    make_org(db_session, owner=viewer)
    with pytest.raises(accounts.NotFound):  # not a member of the operator
        programme_admin.update_programme(db_session, viewer, oid, pid, changed)


def test_deleting_needs_the_name_and_keeps_the_firms_data(db_session):
    programme = make_programme(db_session)
    operator = _operator(db_session, programme)
    pid, oid, name = programme.id, programme.organisation_id, programme.name
    firm, _p = join_firm(db_session, programme, "answers")
    store_result(db_session, firm, 60.0, {"technology": 55.0})
    refresh_peers(db_session, [firm.id])
    db_session.commit()
    assert db_session.scalar(select(func.count()).select_from(PeerScore)) > 0
    programmes.invite_firm(db_session, operator, programme, "later@example.com")
    with pytest.raises(programme_admin.NameMismatch):
        programme_admin.delete_programme(db_session, operator, oid, pid, "Pilot")
    assert db_session.get(Programme, pid) is not None
    assert programme_admin.delete_programme(db_session, operator, oid, pid, f" {name} ") == 1
    db_session.expire_all()
    assert db_session.get(Programme, pid) is None
    assert db_session.scalar(select(func.count()).select_from(Participation)) == 0
    assert db_session.scalar(select(func.count()).select_from(Assessment)) == 1
    # the firm shares with no programme now: out of the benchmark pool
    assert db_session.scalar(select(func.count()).select_from(PeerScore)) == 0
    [ended] = programme_admin.ended_programmes(db_session, firm.id)
    assert (ended.name, ended.operator) == (name, "Park operator")


def test_deleting_the_operator_tells_its_firms(db_session):
    from readiness.services import deletion

    programme = make_programme(db_session)
    operator = _operator(db_session, programme)
    firm, _p = join_firm(db_session, programme)
    deletion.delete_organisation(db_session, operator, programme.organisation_id, "Park operator")
    assert [e.name for e in programme_admin.ended_programmes(db_session, firm.id)] == ["Pilot park"]


def test_expired_revoked_and_used_links_say_why(db_session):
    programme = make_programme(db_session)
    operator = _operator(db_session, programme)
    owner = make_user(db_session)
    firm = make_org(db_session, owner=owner)
    invitation, token = programmes.invite_firm(
        db_session, operator, programme, valid_for=timedelta(days=2)
    )
    assert programmes.invitation_for_token(db_session, token).id == invitation.id
    with pytest.raises(accounts.InvitationExpired) as expired:
        programmes.invitation_for_token(db_session, token, now=utcnow() + timedelta(days=3))
    assert expired.value.programme.name == "Pilot park"
    [status] = programme_firms.programme_status(
        db_session, programme, now=utcnow() + timedelta(days=3)
    ).firms
    assert (status.status, status.expires_at) == ("expired", invitation.expires_at)

    programme_admin.revoke_invitation(db_session, operator, programme, invitation.id)
    with pytest.raises(programmes.InvitationRevoked):
        programmes.join(db_session, owner, token, firm.id, "results")
    assert programme_firms.programme_status(db_session, programme).firms[0].status == "revoked"

    renewed, fresh = programme_admin.renew_invitation(
        db_session, operator, programme, invitation.id, timedelta(days=5)
    )
    assert renewed.revoked_at is None and renewed.expires_at > utcnow() + timedelta(days=4)
    with pytest.raises(accounts.InvalidToken) as old:
        programmes.invitation_for_token(db_session, token)
    assert type(old.value) is accounts.InvalidToken  # the old link is simply unknown now
    programmes.join(db_session, owner, fresh, firm.id, "results")
    with pytest.raises(accounts.InvitationUsed):
        programmes.invitation_for_token(db_session, fresh)
    with pytest.raises(programme_admin.InvitationClosed):  # a firm that joined stays
        programme_admin.revoke_invitation(db_session, operator, programme, invitation.id)
    with pytest.raises(accounts.NotFound):  # the firm's owner is no member of the operator
        programme_admin.renew_invitation(db_session, owner, programme, invitation.id)
