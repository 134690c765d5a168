"""Account use cases on a real database: users, passwords, organisations, members, invitations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from itsdangerous import URLSafeTimedSerializer

from readiness.models import Membership
from readiness.models.base import utcnow
from readiness.services import accounts
from readiness.services import organisations
from tests.factories import DEFAULT_PASSWORD
from tests.factories import add_member

SECRET = "service-test-secret"


def test_register_lowercases_email_and_hashes_password(db_session) -> None:
    user = accounts.register_user(db_session, "  Ada@Example.COM ", "Ada", DEFAULT_PASSWORD)
    assert user.email == "ada@example.com"
    assert user.password_hash != DEFAULT_PASSWORD
    assert user.created_at.tzinfo is not None


def test_register_refuses_duplicate_email_any_case(db_session, make_user) -> None:
    make_user(email="bob@example.com")
    with pytest.raises(accounts.EmailTaken):
        accounts.register_user(db_session, "BOB@example.com", "Bob", DEFAULT_PASSWORD)


def test_register_refuses_short_password(db_session) -> None:
    with pytest.raises(accounts.WeakPassword):
        accounts.register_user(db_session, "c@example.com", "C", "short")


@pytest.mark.parametrize(
    ("email", "password", "ok"),
    [
        ("dee@example.com", DEFAULT_PASSWORD, True),
        ("DEE@EXAMPLE.COM", DEFAULT_PASSWORD, True),
        ("dee@example.com", DEFAULT_PASSWORD + "x", False),
        ("nobody@example.com", DEFAULT_PASSWORD, False),
    ],
)
def test_authenticate(db_session, make_user, email: str, password: str, ok: bool) -> None:
    make_user(email="dee@example.com")
    if ok:
        user = accounts.authenticate(db_session, email, password)
        assert user.last_login_at is not None
    else:
        with pytest.raises(accounts.InvalidCredentials):
            accounts.authenticate(db_session, email, password)


def test_change_password_checks_current(db_session, make_user) -> None:
    user = make_user()
    with pytest.raises(accounts.InvalidCredentials):
        accounts.change_password(db_session, user, "wrong password", "a new long password")
    accounts.change_password(db_session, user, DEFAULT_PASSWORD, "a new long password")
    assert accounts.authenticate(db_session, user.email, "a new long password") == user


def test_reset_token_works_once(db_session, make_user) -> None:
    user = make_user()
    token = accounts.make_reset_token(user, SECRET)
    assert accounts.user_for_reset_token(db_session, token, SECRET) == user
    accounts.reset_password(db_session, token, "brand new password", SECRET)
    assert accounts.authenticate(db_session, user.email, "brand new password") == user
    with pytest.raises(accounts.InvalidToken, match="already been used"):
        accounts.reset_password(db_session, token, "another new password", SECRET)


def test_reset_token_expires(db_session, make_user) -> None:
    user = make_user()
    token = accounts.make_reset_token(user, SECRET)
    with pytest.raises(accounts.InvalidToken, match="expired"):
        accounts.user_for_reset_token(db_session, token, SECRET, max_age=-1)


@pytest.mark.parametrize("tamper", ["wrong-secret", "garbage", "other-salt"])
def test_reset_token_forgery_is_refused(db_session, make_user, tamper: str) -> None:
    user = make_user()
    if tamper == "wrong-secret":
        token = accounts.make_reset_token(user, "another secret")
    elif tamper == "garbage":
        token = "not.a.token"
    else:
        token = URLSafeTimedSerializer(SECRET, salt="other").dumps({"u": user.id, "p": ""})
    with pytest.raises(accounts.InvalidToken):
        accounts.user_for_reset_token(db_session, token, SECRET)


def test_create_organisation_makes_creator_owner(db_session, make_user) -> None:
    user = make_user()
    org = organisations.create_organisation(db_session, user, " Acme ", {"sector": "process"})
    assert org.name == "Acme"
    assert org.profile == {"sector": "process"}
    [membership] = accounts.memberships_of(db_session, user)
    assert (membership.organisation_id, membership.role) == (org.id, "owner")


@pytest.mark.parametrize(
    ("role", "min_role", "outcome"),
    [
        ("viewer", "viewer", None),
        ("viewer", "editor", accounts.Forbidden),
        ("editor", "editor", None),
        ("editor", "owner", accounts.Forbidden),
        ("owner", "owner", None),
        (None, "viewer", accounts.NotFound),
    ],
)
def test_require_role(db_session, make_user, make_org, role, min_role, outcome) -> None:
    user = make_user()
    org = make_org(members={user: role} if role else {})
    if outcome is None:
        assert accounts.require_role(db_session, user, org.id, min_role).role == role
    else:
        with pytest.raises(outcome):
            accounts.require_role(db_session, user, org.id, min_role)


def test_require_role_unknown_org_is_not_found(db_session, make_user) -> None:
    with pytest.raises(accounts.NotFound):
        accounts.require_role(db_session, make_user(), 999_999, "viewer")


def test_update_profile_needs_editor(db_session, make_user, make_org) -> None:
    viewer, editor = make_user(), make_user()
    org = make_org(members={viewer: "viewer", editor: "editor"})
    with pytest.raises(accounts.Forbidden):
        organisations.update_profile(db_session, viewer, org.id, {"sector": "discrete"})
    organisations.update_profile(db_session, editor, org.id, {"sector": "discrete"}, name="New")
    db_session.refresh(org)
    assert (org.name, org.profile) == ("New", {"sector": "discrete"})


def test_invitation_round_trip(db_session, make_user, make_org) -> None:
    owner, guest = make_user(), make_user()
    org = make_org(owner=owner)
    invitation, token = organisations.create_invitation(db_session, owner, org.id, "editor")
    assert invitation.token_hash != token  # only the hash is stored
    membership = organisations.accept_invitation(db_session, guest, token)
    assert (membership.organisation_id, membership.role) == (org.id, "editor")
    with pytest.raises(accounts.InvalidToken):
        organisations.accept_invitation(db_session, make_user(), token)


def test_invitation_needs_owner_and_expires(db_session, make_user, make_org) -> None:
    owner, editor = make_user(), make_user()
    org = make_org(owner=owner, members={editor: "editor"})
    with pytest.raises(accounts.Forbidden):
        organisations.create_invitation(db_session, editor, org.id, "viewer")
    _inv, token = organisations.create_invitation(
        db_session, owner, org.id, "viewer", valid_for=timedelta(minutes=5)
    )
    with pytest.raises(accounts.InvalidToken, match="expired"):
        organisations.invitation_for_token(db_session, token, now=utcnow() + timedelta(minutes=6))


def test_existing_member_cannot_accept_again(db_session, make_user, make_org) -> None:
    owner = make_user()
    org = make_org(owner=owner)
    _inv, token = organisations.create_invitation(db_session, owner, org.id, "viewer")
    with pytest.raises(accounts.AlreadyMember):
        organisations.accept_invitation(db_session, owner, token)


def test_last_owner_is_protected(db_session, make_user, make_org) -> None:
    owner, other = make_user(), make_user()
    org = make_org(owner=owner, members={other: "editor"})
    with pytest.raises(accounts.LastOwner):
        organisations.change_role(db_session, owner, org.id, owner.id, "editor")
    with pytest.raises(accounts.LastOwner):
        organisations.remove_member(db_session, owner, org.id, owner.id)
    organisations.change_role(db_session, owner, org.id, other.id, "owner")
    organisations.remove_member(db_session, owner, org.id, owner.id)  # now allowed: another owner
    assert [m.user_id for m in organisations.members_of(db_session, org.id)] == [other.id]


def test_members_can_leave_but_not_remove_others(db_session, make_user, make_org) -> None:
    owner, a, b = make_user(), make_user(), make_user()
    org = make_org(owner=owner, members={a: "editor", b: "viewer"})
    with pytest.raises(accounts.Forbidden):
        organisations.remove_member(db_session, a, org.id, b.id)
    organisations.remove_member(db_session, b, org.id, b.id)
    assert {m.user_id for m in organisations.members_of(db_session, org.id)} == {owner.id, a.id}


def test_membership_is_unique_per_user_and_org(db_session, make_user, make_org) -> None:
    user = make_user()
    org = make_org(owner=user)
    with pytest.raises(Exception, match="(?i)unique"):
        add_member(db_session, org, user, "viewer")
    db_session.rollback()
    assert db_session.query(Membership).filter_by(user_id=user.id).count() == 1
