"""Session IDs carry a per-user token: a password change or reset ends every older session."""

from __future__ import annotations

import pytest

from readiness.services import accounts
from tests.factories import DEFAULT_PASSWORD

SECRET = "test-secret"


def test_session_id_names_the_user_and_their_token(db_session, make_user) -> None:
    user = make_user()
    other = make_user()
    assert user.session_token != other.session_token and len(user.session_token) == 32
    assert accounts.user_for_session_id(db_session, user.get_id()) is user
    assert accounts.user_for_session_id(db_session, other.get_id()) is other


@pytest.mark.parametrize("how", ["change", "reset"])
def test_new_password_ends_old_session_ids(db_session, make_user, how: str) -> None:
    user = make_user()
    bystander = make_user()
    old_id, bystander_id = user.get_id(), bystander.get_id()
    if how == "change":
        accounts.change_password(db_session, user, DEFAULT_PASSWORD, "a brand new one")
    else:
        token = accounts.make_reset_token(user, SECRET)
        accounts.reset_password(db_session, token, "a brand new one", SECRET)
    assert user.get_id() != old_id
    assert accounts.user_for_session_id(db_session, old_id) is None
    assert accounts.user_for_session_id(db_session, user.get_id()) is user
    assert accounts.user_for_session_id(db_session, bystander_id) is bystander


def test_wrong_current_password_keeps_the_token(db_session, make_user) -> None:
    user = make_user()
    before = user.get_id()
    with pytest.raises(accounts.InvalidCredentials):
        accounts.change_password(db_session, user, "not my password", "a brand new one")
    assert accounts.user_for_session_id(db_session, before) is user


@pytest.mark.parametrize(
    "session_id",
    ["", "{id}", "{id}:", ":abc", "x:abc", "١:abc", "999999:abc", "{id}:wrong-token", "{id}:ü"],
)
def test_malformed_or_unknown_session_ids_sign_nobody_in(db_session, make_user, session_id):
    user = make_user()
    session_id = session_id.format(id=user.id)
    assert accounts.user_for_session_id(db_session, session_id) is None
