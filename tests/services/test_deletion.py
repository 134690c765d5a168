"""Deleting assessments, organisations and accounts: rows and cached reports gone, rules kept."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlalchemy import select

from readiness.models import Answer
from readiness.models import ApiToken
from readiness.models import Assessment
from readiness.models import AuditEvent
from readiness.models import Invitation
from readiness.models import Membership
from readiness.models import Organisation
from readiness.models import ShareLink
from readiness.models import User
from readiness.services import accounts
from readiness.services import assessments
from readiness.services import deletion
from readiness.services import organisations
from readiness.services import share_links
from readiness.services import tokens
from tests import factories
from tests.web.access_rules import flagship

SECRET = "test-secret"


def _count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def firm(db_session, tmp_path):
    """An organisation with a submitted assessment (share link, cached PDF) and a draft."""
    owner, editor = factories.make_user(db_session), factories.make_user(db_session)
    org = factories.make_org(db_session, owner, "Acme", {editor: "editor"})
    q = flagship()
    done = assessments.start_assessment(db_session, org, q, owner, "Done")
    page = {"data.governance": assessments.PageAnswer("answered", 3, "note")}
    assessments.save_answers(db_session, done, q, page, done.revision, owner)
    assessments.submit(db_session, done, q, owner, confirm_incomplete=True)
    share_links.create_share_link(db_session, done, owner, SECRET)
    draft = assessments.start_assessment(db_session, org, q, editor, "Draft")
    assessments.save_answers(db_session, draft, q, page, draft.revision, editor)
    cache = tmp_path / "reports"
    cache.mkdir()
    for a in (done, draft):
        (cache / f"assessment-{a.id}-20260101T000000000000-en-abc.pdf").write_bytes(b"%PDF")
    (cache / "assessment-999-20260101T000000000000-en-abc.pdf").write_bytes(b"%PDF other")
    return {
        "owner": owner,
        "editor": editor,
        "org": org,
        "done": done,
        "draft": draft,
        "cache": cache,
    }


def test_editor_deletes_a_draft_with_its_answers(db_session, firm) -> None:
    draft_id = firm["draft"].id
    deletion.delete_assessment(
        db_session, firm["editor"], firm["draft"], cache_directory=firm["cache"]
    )
    assert db_session.get(Assessment, draft_id) is None
    assert _count(db_session, Answer, Answer.assessment_id == draft_id) == 0
    assert not list(firm["cache"].glob(f"assessment-{draft_id}-*"))
    assert list(firm["cache"].glob("assessment-999-*")), "another assessment's file stays"
    event = db_session.scalars(select(AuditEvent)).one()
    assert (event.action, event.target) == ("assessment_deleted", f"assessment:{draft_id}")
    assert event.actor_id == firm["editor"].id


def test_submitted_needs_an_owner_and_a_confirmation(db_session, firm) -> None:
    done = firm["done"]
    with pytest.raises(accounts.Forbidden):
        deletion.delete_assessment(db_session, firm["editor"], done, confirm=True)
    with pytest.raises(deletion.ConfirmationRequired):
        deletion.delete_assessment(db_session, firm["owner"], done)
    done_id = done.id
    deletion.delete_assessment(
        db_session, firm["owner"], done, confirm=True, cache_directory=firm["cache"]
    )
    assert db_session.get(Assessment, done_id) is None
    assert _count(db_session, ShareLink) == 0
    assert _count(db_session, Answer, Answer.assessment_id == done_id) == 0
    assert not list(firm["cache"].glob(f"assessment-{done_id}-*"))


def test_organisation_goes_with_everything_after_typing_its_name(db_session, firm) -> None:
    org_id, owner = firm["org"].id, firm["owner"]
    tokens.create_token(db_session, owner, org_id, "t", "read")
    organisations.create_invitation(db_session, owner, org_id, "viewer")
    with pytest.raises(deletion.ConfirmationRequired):
        deletion.delete_organisation(db_session, owner, org_id, "Acme Ltd")
    with pytest.raises(accounts.Forbidden):
        deletion.delete_organisation(db_session, firm["editor"], org_id, "Acme")
    deletion.delete_organisation(db_session, owner, org_id, "Acme", cache_directory=firm["cache"])
    db_session.expire_all()
    assert db_session.get(Organisation, org_id) is None
    for model in (Assessment, Answer, ShareLink, ApiToken, Invitation, Membership):
        assert _count(db_session, model) == 0, model.__name__
    assert [p.name for p in firm["cache"].iterdir()] == [
        "assessment-999-20260101T000000000000-en-abc.pdf"
    ]
    assert _count(db_session, User) == 2, "the people stay"
    events = db_session.scalars(select(AuditEvent)).all()
    assert [e.action for e in events] == ["organisation_deleted"]
    assert events[0].organisation_id is None


def test_account_deletion_refused_while_sole_owner(db_session, firm) -> None:
    owner, editor = firm["owner"], firm["editor"]
    with pytest.raises(accounts.LastOwner):
        deletion.delete_account(db_session, owner, factories.DEFAULT_PASSWORD)
    with pytest.raises(accounts.InvalidCredentials):
        deletion.delete_account(db_session, editor, "wrong password!")
    tokens.create_token(db_session, editor, firm["org"].id, "t", "write")
    editor_id = editor.id
    deletion.delete_account(db_session, editor, factories.DEFAULT_PASSWORD)
    db_session.expire_all()
    assert db_session.get(User, editor_id) is None
    assert _count(db_session, ApiToken) == 0
    assert _count(db_session, Membership, Membership.user_id == editor_id) == 0
    draft = db_session.get(Assessment, firm["draft"].id)
    assert draft is not None and draft.created_by_id is None, "the firm keeps its draft"
    # With a second owner, the first may go.
    organisations.change_role(db_session, owner, firm["org"].id, owner.id, "owner")
    other = factories.make_user(db_session)
    factories.add_member(db_session, firm["org"], other, "owner")
    deletion.delete_account(db_session, owner, factories.DEFAULT_PASSWORD)
    assert _count(db_session, Membership, Membership.role == "owner") == 1
