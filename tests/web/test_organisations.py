"""Organisations through the pages: create, switch, company profile, members and invitations."""

from __future__ import annotations

import re

import pytest

from readiness.models import Membership
from readiness.models import Organisation
from tests.factories import add_member


def _login(auth, user) -> None:
    response = auth.login(user.email)
    assert response.status_code == 302


def test_create_organisation_makes_it_active(client, auth, make_user, db_session) -> None:
    user = make_user()
    _login(auth, user)
    response = client.post("/organisations/new", data={"name": "Acme Castings"})
    assert response.status_code == 302
    org = db_session.query(Organisation).filter_by(name="Acme Castings").one()
    assert response.headers["Location"].endswith(f"/organisations/{org.id}/profile")
    page = client.get("/").data.decode()
    assert "Acme Castings" in page
    # the active organisation is named in the header, whole (a switcher only with two or more)
    assert "<strong>Acme Castings</strong>" in page and 'id="org-switcher"' not in page


def test_create_organisation_needs_a_name(client, auth, make_user) -> None:
    _login(auth, make_user())
    response = client.post("/organisations/new", data={"name": " "})
    assert response.status_code == 200
    assert b"This field is required" in response.data


def test_switch_active_organisation(client, auth, make_user, make_org) -> None:
    user = make_user()
    first = make_org(owner=user, name="Alpha")
    second = make_org(owner=user, name="Beta")
    _login(auth, user)
    page = client.get("/").data.decode()
    assert re.search(rf'<option value="{first.id}" selected>', page)  # alphabetical default
    response = client.post(
        "/organisations/switch", data={"organisation_id": second.id, "next": "/"}
    )
    assert response.status_code == 302
    page = client.get("/").data.decode()
    assert re.search(rf'<option value="{second.id}" selected>', page)


def test_switch_to_foreign_organisation_is_404(client, auth, make_user, make_org) -> None:
    user = make_user()
    foreign = make_org()
    _login(auth, user)
    response = client.post("/organisations/switch", data={"organisation_id": foreign.id})
    assert response.status_code == 404


def test_profile_form_saves(client, auth, make_user, make_org, db_session, app) -> None:
    user = make_user()
    org = make_org(owner=user, name="Old name")
    _login(auth, user)
    page = client.get(f"/organisations/{org.id}/profile")
    assert page.status_code == 200
    fields = _profile_fields(app)
    data = {"name": "New name"}
    expected = {}
    for spec in fields:
        if spec.type == "single_choice":
            data[f"profile_{spec.id}"] = spec.options[0].id
            expected[spec.id] = spec.options[0].id
        elif spec.type == "yes_no":
            data[f"profile_{spec.id}"] = "yes"
            expected[spec.id] = True
        else:
            data[f"profile_{spec.id}"] = "  Ningbo "
            expected[spec.id] = "Ningbo"
    response = client.post(f"/organisations/{org.id}/profile", data=data)
    assert response.status_code == 302
    db_session.expire_all()
    org = db_session.get(Organisation, org.id)
    assert org.name == "New name"
    assert org.profile == expected


def _profile_fields(app):
    with app.test_request_context():
        from readiness.web.organisations import profile_fields

        return profile_fields()


def test_profile_form_has_flagship_fields_when_available(client, auth, make_user, make_org, app):
    fields = _profile_fields(app)
    if not fields:
        pytest.skip("the flagship questionnaire is not in questionnaires/ yet")
    user = make_user()
    org = make_org(owner=user)
    _login(auth, user)
    page = client.get(f"/organisations/{org.id}/profile").data.decode()
    for spec in fields:
        assert f'name="profile_{spec.id}"' in page
        assert spec.text.get("en") in page


def test_viewer_sees_profile_read_only(client, auth, make_user, make_org) -> None:
    viewer = make_user()
    org = make_org(members={viewer: "viewer"})
    _login(auth, viewer)
    page = client.get(f"/organisations/{org.id}/profile")
    assert page.status_code == 200
    assert b"fieldset disabled" in page.data
    assert client.post(f"/organisations/{org.id}/profile", data={"name": "x"}).status_code == 403


def test_invite_and_accept(client, auth, make_user, make_org, db_session) -> None:
    owner, guest = make_user(), make_user()
    org = make_org(owner=owner)
    _login(auth, owner)
    response = client.post(f"/organisations/{org.id}/invitations", data={"role": "viewer"})
    assert response.status_code == 200
    link = re.search(r'value="http://localhost(/organisations/join/[^"]+)"', response.data.decode())
    assert link
    auth.logout()
    # Anonymous: sent to the login page, and back afterwards.
    response = client.get(link.group(1))
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    _login(auth, guest)
    assert org.name.encode() in client.get(link.group(1)).data
    response = client.post(link.group(1))
    assert response.status_code == 302
    membership = db_session.query(Membership).filter_by(user_id=guest.id).one()
    assert (membership.organisation_id, membership.role) == (org.id, "viewer")
    # The link works once.
    assert client.get(link.group(1)).status_code == 302


def test_members_page_and_role_change(client, auth, make_user, make_org, db_session) -> None:
    owner, member = make_user(name="Olga Owner"), make_user(name="Eddie Editor")
    org = make_org(owner=owner, members={member: "editor"})
    _login(auth, owner)
    page = client.get(f"/organisations/{org.id}/members").data
    assert b"Olga Owner" in page and b"Eddie Editor" in page
    response = client.post(
        f"/organisations/{org.id}/members/{member.id}/role", data={f"m{member.id}-role": "viewer"}
    )
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.query(Membership).filter_by(user_id=member.id).one().role == "viewer"


def test_last_owner_cannot_demote_or_leave(client, auth, make_user, make_org, db_session) -> None:
    owner = make_user()
    org = make_org(owner=owner)
    _login(auth, owner)
    client.post(
        f"/organisations/{org.id}/members/{owner.id}/role", data={f"m{owner.id}-role": "viewer"}
    )
    client.post(f"/organisations/{org.id}/members/{owner.id}/remove")
    page = client.get(f"/organisations/{org.id}/members")
    assert page.status_code == 200
    db_session.expire_all()
    assert db_session.query(Membership).filter_by(user_id=owner.id).one().role == "owner"


def test_owner_removes_member(client, auth, make_user, make_org, db_session) -> None:
    owner, member = make_user(), make_user()
    org = make_org(owner=owner, members={member: "editor"})
    _login(auth, owner)
    response = client.post(f"/organisations/{org.id}/members/{member.id}/remove")
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.query(Membership).filter_by(user_id=member.id).count() == 0


def test_member_leaves(client, auth, make_user, make_org, db_session) -> None:
    member = make_user()
    org = make_org(members={member: "viewer"})
    _login(auth, member)
    response = client.post(f"/organisations/{org.id}/members/{member.id}/remove")
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.query(Membership).filter_by(user_id=member.id).count() == 0
    assert client.get(f"/organisations/{org.id}/members").status_code == 404


def test_dashboard_lists_all_memberships(client, auth, make_user, make_org, db_session) -> None:
    user = make_user()
    make_org(owner=user, name="Own Firm")
    other = make_org(name="Client Firm")
    add_member(db_session, other, user, "editor")
    _login(auth, user)
    page = client.get("/").data
    assert b"Own Firm" in page and b"Client Firm" in page


def test_choosing_the_same_role_says_it_is_unchanged(client, auth, make_user, make_org) -> None:
    owner, member = make_user(), make_user()
    org = make_org(owner=owner, members={member: "editor"})
    _login(auth, owner)
    url = f"/organisations/{org.id}/members/{member.id}/role"
    page = client.post(url, data={f"m{member.id}-role": "editor"}, follow_redirects=True).data
    assert b"The role is unchanged." in page and b"The role has been changed." not in page
    page = client.post(url, data={f"m{member.id}-role": "viewer"}, follow_redirects=True).data
    assert b"The role has been changed." in page


def test_invitation_link_explains_itself_on_sign_in_and_register(
    client, auth, make_user, make_org
) -> None:
    owner = make_user()
    org = make_org(owner=owner, name="Acme Gears")
    _login(auth, owner)
    page = client.post(f"/organisations/{org.id}/invitations", data={"role": "viewer"}).data
    assert b'data-copy-target="invite-link"' in page
    link = re.search(r'value="http://localhost(/organisations/join/[^"]+)"', page.decode())
    auth.logout()
    login_url = client.get(link.group(1)).headers["Location"]
    invited = b"You have been invited to join Acme Gears"
    assert invited in client.get(login_url).data
    next_path = login_url.split("next=", 1)[1]
    assert invited in client.get(f"/register?next={next_path}").data
    # An ordinary sign-in, or a broken invitation token, shows no invitation.
    assert invited not in client.get("/login").data
    assert invited not in client.get("/login?next=/organisations/join/nonsense").data
