"""Deletion pages and the audit log through the browser-facing routes."""

from __future__ import annotations

import io
import json
import re
import zipfile

from sqlalchemy import select

from readiness.models import Assessment
from readiness.models import AuditEvent
from readiness.models import Organisation
from readiness.models import User
from readiness.services import assessments
from readiness.services import plans
from readiness.services import share_links
from tests import factories
from tests.web.access_rules import flagship


class _Ids:
    """An assessment's ID that outlives the deleted row."""

    def __init__(self, assessment_id: int) -> None:
        self.id = assessment_id


def _setup(db_session):
    """Owner and editor of Acme, a draft and a submitted assessment (IDs read before deletion)."""
    owner = factories.make_user(db_session, email="owner@example.com")
    editor = factories.make_user(db_session, email="editor@example.com")
    org = factories.make_org(db_session, owner, "Acme", {editor: "editor"})
    q = flagship()
    draft = assessments.start_assessment(db_session, org, q, editor, "Draft")
    done = assessments.start_assessment(db_session, org, q, owner, "Done")
    assessments.submit(db_session, done, q, owner, confirm_incomplete=True)
    return owner, editor, org, _Ids(draft.id), done


def test_editor_deletes_a_draft_from_its_page(client, auth, db_session) -> None:
    _owner, _editor, _org, draft, done = _setup(db_session)
    done = _Ids(done.id)
    auth.login("editor@example.com")
    assert client.get(f"/assessments/{draft.id}/review").status_code == 200
    assert f"/assessments/{draft.id}/delete" in client.get(
        f"/assessments/{draft.id}/review"
    ).get_data(as_text=True)
    assert client.post(f"/assessments/{draft.id}/delete").status_code == 302
    db_session.expire_all()
    assert db_session.get(Assessment, draft.id) is None
    assert client.get(f"/assessments/{done.id}/delete").status_code == 403


def test_owner_deletes_a_submitted_assessment_only_when_ticked(client, auth, db_session) -> None:
    _owner, _editor, _org, _draft, done = _setup(db_session)
    done = _Ids(done.id)
    auth.login("owner@example.com")
    page = client.post(f"/assessments/{done.id}/delete", data={})
    assert page.status_code == 200 and "has-error" in page.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Assessment, done.id) is not None
    response = client.post(f"/assessments/{done.id}/delete", data={"confirm": "y"})
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(Assessment, done.id) is None


def test_owner_deletes_the_organisation_by_typing_its_name(client, auth, db_session) -> None:
    _owner, _editor, org, _draft, _done = _setup(db_session)
    org = _Ids(org.id)
    auth.login("owner@example.com")
    wrong = client.post(f"/organisations/{org.id}/delete", data={"name": "Acme Inc"})
    assert wrong.status_code == 200
    db_session.expire_all()
    assert db_session.get(Organisation, org.id) is not None
    assert client.post(f"/organisations/{org.id}/delete", data={"name": "Acme"}).status_code == 302
    db_session.expire_all()
    assert db_session.get(Organisation, org.id) is None
    assert db_session.scalars(select(Assessment)).all() == []


def test_account_deletion_page(client, auth, db_session) -> None:
    _owner, editor, _org, _draft, _done = _setup(db_session)
    editor = _Ids(editor.id)
    auth.login("owner@example.com")
    page = client.get("/account/delete").get_data(as_text=True)
    assert "Acme" in page and 'name="password"' not in page  # the only owner: refused
    auth.logout()
    auth.login("editor@example.com")
    wrong = client.post("/account/delete", data={"password": "not my password"})
    assert wrong.status_code == 200
    gone = client.post("/account/delete", data={"password": factories.DEFAULT_PASSWORD})
    assert gone.status_code == 302
    db_session.expire_all()
    assert db_session.get(User, editor.id) is None
    assert client.get("/account/").status_code == 302, "signed out"


def test_audit_log_records_security_events_for_owners(client, auth, db_session, app) -> None:
    _owner, editor, org, _draft, done = _setup(db_session)
    auth.login("editor@example.com", "wrong password")
    auth.login("editor@example.com")
    client.post(
        "/account/password",
        data={
            "current": factories.DEFAULT_PASSWORD,
            "password": "a new long password",
            "confirm": "a new long password",
        },
    )
    client.post(
        "/account/", data={"name": "ERP", "organisation_id": org.id, "scope": "read", "days": 30}
    )
    token_id = db_session.scalar(
        select(AuditEvent.target).where(AuditEvent.action == "token_created")
    ).split(":")[1]
    client.post(f"/account/tokens/{token_id}/revoke")
    auth.logout()
    auth.login("owner@example.com")
    client.post(f"/organisations/{org.id}/invitations", data={"role": "viewer"})
    client.post(
        f"/organisations/{org.id}/members/{editor.id}/role", data={f"m{editor.id}-role": "viewer"}
    )
    client.post(f"/assessments/{done.id}/share", data={"days": "7"})
    link = share_links.links_of(db_session, done)[0]
    client.post(f"/assessments/{done.id}/share/{link.id}/revoke")
    client.post(f"/assessments/{done.id}/delete", data={"confirm": "y"})
    actions = {e.action for e in db_session.scalars(select(AuditEvent))}
    assert {
        "sign_in_failed",
        "sign_in",
        "password_changed",
        "token_created",
        "token_revoked",
        "invitation_created",
        "role_changed",
        "share_link_created",
        "share_link_revoked",
        "assessment_deleted",
    } <= actions
    failed = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "sign_in_failed"))
    assert failed.actor_email == "editor@example.com" and failed.ip_address == "127.0.0.1"
    page = client.get(f"/organisations/{org.id}/audit").get_data(as_text=True)
    for label in ("Failed sign-in", "Password changed", "Share link revoked", "Role changed"):
        assert label in page, label
    assert "<form" not in page.split("<main", 1)[1].split("</main>")[0]
    auth.logout()
    auth.login("editor@example.com", "a new long password")
    assert client.get(f"/organisations/{org.id}/audit").status_code == 403


def test_audit_log_has_no_writing_route(app) -> None:
    for rule in app.url_map.iter_rules():
        if re.search(r"audit", rule.rule):
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule.rule


def test_owner_exports_from_the_members_page(client, auth, db_session) -> None:
    owner, editor, org, _draft, _done = _setup(db_session)
    fields = plans.ActionFields("Pilot the MES", measure_id="6.2", owner_id=editor.id)
    plans.create_action(db_session, org, owner, fields)
    auth.login("editor@example.com")
    assert client.post(f"/organisations/{org.id}/export").status_code == 403
    auth.logout()
    auth.login("owner@example.com")
    members_page = client.get(f"/organisations/{org.id}/members").get_data(as_text=True)
    assert f"/organisations/{org.id}/export" in members_page
    response = client.post(f"/organisations/{org.id}/export")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        data = json.loads(archive.read("organisation.json"))
    assert data["organisation"]["name"] == "Acme"
    assert {a["title"] for a in data["assessments"]} == {"Draft", "Done"}
    assert data["version"] == 3 and data["participations"] == []
    assert [(a["title"], a["owner"]) for a in data["plan"]] == [
        ("Pilot the MES", "editor@example.com")
    ]
    event = db_session.scalar(
        select(AuditEvent).where(AuditEvent.action == "organisation_exported")
    )
    assert event is not None and event.actor_email == "owner@example.com"


def test_token_name_is_cleaned_of_control_characters(client, auth, db_session) -> None:
    from readiness.models import ApiToken

    _owner, _editor, org, _draft, _done = _setup(db_session)
    auth.login("owner@example.com")
    data = {"name": "ERP\x00\x07", "organisation_id": org.id, "scope": "read", "days": 30}
    assert client.post("/account/", data=data).status_code == 200
    assert [t.name for t in db_session.scalars(select(ApiToken))] == ["ERP"]
