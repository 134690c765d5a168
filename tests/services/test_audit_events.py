"""Audit events the log once missed: a withdrawn invitation and a deleted plan action."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.models import AuditEvent
from readiness.models import Invitation
from readiness.models import PlanAction
from readiness.services import audit
from readiness.services import invitations
from readiness.services import organisations
from readiness.services import plans
from readiness.services.audit import events_of
from tests import factories


def _events(session: Session, action: str) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_withdrawing_an_invitation_is_recorded(db_session: Session) -> None:
    owner = factories.make_user(db_session)
    org = factories.make_org(db_session, owner, "Audit Ltd")
    invitation, _token = organisations.create_invitation(db_session, owner, org.id, "editor")
    where = audit.Origin("192.0.2.7", "test agent")
    invitations.revoke_invitation(db_session, owner, org.id, invitation.id, where)
    assert db_session.get(Invitation, invitation.id) is None
    [event] = _events(db_session, "invitation_revoked")
    assert (event.actor_id, event.organisation_id) == (owner.id, org.id)
    assert event.target == f"invitation:{invitation.id}" and event.details == {"role": "editor"}
    assert event.ip_address == "192.0.2.7"
    assert event in events_of(db_session, owner, org.id)[0]


def test_deleting_a_plan_action_is_recorded_and_outlives_it(db_session: Session) -> None:
    owner = factories.make_user(db_session)
    org = factories.make_org(db_session, owner, "Audit Ltd")
    action = plans.create_action(db_session, org, owner, plans.ActionFields("Train the team"))
    action_id = action.id
    plans.delete_action(db_session, action, owner, audit.Origin("192.0.2.8", "agent"))
    assert db_session.get(PlanAction, action_id) is None
    [event] = _events(db_session, "plan_action_deleted")
    assert event.target == f"plan_action:{action_id}" and event.actor_email == owner.email
    assert event.details["title"] == "Train the team"


def test_the_members_page_withdrawal_records_where_it_came_from(
    client, auth, db_session: Session
) -> None:
    owner = factories.make_user(db_session, email="owner@example.com")
    org = factories.make_org(db_session, owner, "Audit Ltd")
    invitation, _token = organisations.create_invitation(db_session, owner, org.id, "viewer")
    auth.login("owner@example.com")
    response = client.post(f"/organisations/{org.id}/invitations/{invitation.id}/revoke")
    assert response.status_code == 302
    [event] = _events(db_session, "invitation_revoked")
    assert event.ip_address == "127.0.0.1" and event.actor_id == owner.id
    page = client.get(f"/organisations/{org.id}/audit").get_data(as_text=True)
    assert "Invitation withdrawn" in page
