"""Registration, sign-in, sign-out, password change and password reset through the pages."""

from __future__ import annotations

import logging
import re

import pytest

from readiness.models import User
from readiness.services import accounts
from tests.factories import DEFAULT_PASSWORD


def test_pages_render(client) -> None:
    for path in ("/register", "/login", "/forgot-password", "/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert b"<form" in response.data or path == "/"


def test_register_signs_in_and_leads_to_new_organisation(client, auth, db_session) -> None:
    response = auth.register(email="New@Example.com", name="Newton")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/organisations/new")
    user = db_session.query(User).filter_by(email="new@example.com").one()
    assert user.name == "Newton"
    page = client.get("/")
    assert b"Newton" in page.data and b"Dashboard" in page.data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "email": "a@example.com"}, b"Please enter your name."),
        ({"name": "A", "email": "not-an-email"}, b"This is not a valid e-mail address."),
        (
            {"name": "A", "email": "a@example.com", "password": "short", "confirm": "short"},
            b"The password needs at least 10 characters.",
        ),
        (
            {"name": "A", "email": "a@example.com", "confirm": "something else"},
            b"The passwords differ",
        ),
    ],
)
def test_register_validates_input(client, data: dict, message: bytes) -> None:
    form = {"password": DEFAULT_PASSWORD, "confirm": DEFAULT_PASSWORD, **data}
    response = client.post("/register", data=form)
    assert response.status_code == 200
    assert message in response.data
    assert b'aria-invalid="true"' in response.data


def test_register_duplicate_email(client, auth) -> None:
    auth.register(email="dup@example.com")
    auth.logout()
    response = auth.register(email="DUP@example.com")
    assert b"already exists" in response.data


def test_login_and_logout(client, auth, make_user) -> None:
    make_user(email="ada@example.com")
    response = auth.login()
    assert response.status_code == 302
    assert client.get("/account/password").status_code == 200
    auth.logout()
    assert client.get("/account/password").status_code == 302


def test_login_failure_is_generic(client, auth, make_user) -> None:
    make_user(email="ada@example.com")
    for email, password in (("ada@example.com", "wrong password!"), ("x@example.com", "whatever1")):
        response = auth.login(email, password)
        assert response.status_code == 200
        assert b"Invalid e-mail address or password" in response.data


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/organisations/new", "/organisations/new"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
    ],
)
def test_login_redirects_only_to_local_next(client, make_user, next_url, expected) -> None:
    make_user(email="ada@example.com")
    response = client.post(
        "/login",
        query_string={"next": next_url},
        data={"email": "ada@example.com", "password": DEFAULT_PASSWORD},
    )
    assert response.headers["Location"].removeprefix("http://localhost") == expected


def test_logout_needs_post(client, auth, make_user) -> None:
    make_user(email="ada@example.com")
    auth.login()
    assert client.get("/logout").status_code == 405
    assert client.get("/account/password").status_code == 200


def test_session_is_permanent_with_lifetime(app, client, auth, make_user) -> None:
    make_user(email="ada@example.com")
    auth.login()
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.expires is not None
    assert app.permanent_session_lifetime.total_seconds() == 8 * 3600


def test_change_password(client, auth, make_user, db_session) -> None:
    user = make_user(email="ada@example.com")
    auth.login()
    response = client.post(
        "/account/password",
        data={
            "current": "wrong one!!",
            "password": "a brand new one",
            "confirm": "a brand new one",
        },
    )
    assert b"The current password is wrong" in response.data
    response = client.post(
        "/account/password",
        data={
            "current": DEFAULT_PASSWORD,
            "password": "a brand new one",
            "confirm": "a brand new one",
        },
    )
    assert response.status_code == 302
    assert accounts.authenticate(db_session, user.email, "a brand new one").id == user.id


def test_forgot_and_reset_password(client, make_user, caplog, db_session) -> None:
    user = make_user(email="ada@example.com")
    with caplog.at_level(logging.WARNING, logger="readiness.services.mail"):
        response = client.post("/forgot-password", data={"email": "ADA@example.com"})
        response.close()  # the mail goes once the response is sent (as a WSGI server closes it)
    assert response.status_code == 302
    link = re.search(r"http://localhost(/reset-password/\S+)", caplog.text)
    assert link, caplog.text
    path = link.group(1)
    assert client.get(path).status_code == 200
    response = client.post(path, data={"password": "fresh password!", "confirm": "fresh password!"})
    assert response.status_code == 302
    assert accounts.authenticate(db_session, user.email, "fresh password!").id == user.id
    # The link is spent once the password has changed.
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/forgot-password")


def test_forgot_password_unknown_address_reveals_nothing(client, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="readiness.services.mail"):
        response = client.post("/forgot-password", data={"email": "ghost@example.com"})
        response.close()
    assert response.status_code == 302
    assert "reset-password" not in caplog.text


def test_invalid_reset_token(client) -> None:
    response = client.get("/reset-password/not-a-token")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/forgot-password")


def test_language_switch_and_query(client, auth, db_session) -> None:
    auth.register(email="lang@example.com")
    response = client.post("/language", data={"lang": "zh", "next": "/"})
    assert response.status_code == 302
    page = client.get("/")
    assert b'lang="zh-Hans"' in page.data
    assert db_session.query(User).filter_by(email="lang@example.com").one().locale == "zh"
    assert b'lang="en"' in client.get("/?lang=en").data


def test_accept_language_picks_chinese(client) -> None:
    page = client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert b'lang="zh-Hans"' in page.data
    page = client.get("/", headers={"Accept-Language": "fr"})
    assert b'lang="en"' in page.data


def _signed_in_client(app, email: str = "ada@example.com", password: str = DEFAULT_PASSWORD):
    """Another browser: a fresh test client signed in as `email`."""
    other = app.test_client()
    response = other.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302
    assert other.get("/account/password").status_code == 200
    return other


def test_changing_password_ends_other_sessions_but_not_this_one(app, client, auth, make_user):
    make_user(email="ada@example.com")
    auth.login()
    stolen = _signed_in_client(app)
    new = "a brand new one"
    response = client.post(
        "/account/password", data={"current": DEFAULT_PASSWORD, "password": new, "confirm": new}
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert page.status_code == 200  # this session continues with the new token
    assert b"signed out everywhere else" in page.data
    assert client.get("/account/password").status_code == 200
    refused = stolen.get("/account/password")
    assert refused.status_code == 302 and "/login" in refused.headers["Location"]
    # Signing in again with the new password works in the other browser.
    assert _signed_in_client(app, password=new).get("/account/password").status_code == 200


def test_failed_password_change_keeps_other_sessions(app, client, auth, make_user):
    make_user(email="ada@example.com")
    auth.login()
    other = _signed_in_client(app)
    response = client.post(
        "/account/password",
        data={
            "current": "wrong one!!",
            "password": "a brand new one",
            "confirm": "a brand new one",
        },
    )
    assert response.status_code == 200
    assert other.get("/account/password").status_code == 200


def test_password_reset_ends_every_session(app, client, make_user, caplog):
    make_user(email="ada@example.com")
    stolen = _signed_in_client(app)
    with caplog.at_level(logging.WARNING, logger="readiness.services.mail"):
        client.post("/forgot-password", data={"email": "ada@example.com"}).close()
    path = re.search(r"http://localhost(/reset-password/\S+)", caplog.text).group(1)
    response = client.post(path, data={"password": "fresh password!", "confirm": "fresh password!"})
    assert response.status_code == 302
    refused = stolen.get("/account/password")
    assert refused.status_code == 302 and "/login" in refused.headers["Location"]


def test_remember_cookie_dies_with_the_password_but_follows_this_session(
    make_app, make_user
) -> None:
    app = make_app(REMEMBER_ME_ENABLED=True)
    make_user(email="ada@example.com")
    browsers = [app.test_client() for _ in range(2)]
    for browser in browsers:
        data = {"email": "ada@example.com", "password": DEFAULT_PASSWORD, "remember": "y"}
        assert browser.post("/login", data=data).status_code == 302
        assert browser.get_cookie("remember_token") is not None
    mine, stolen = browsers
    new = "a brand new one"
    response = mine.post(
        "/account/password", data={"current": DEFAULT_PASSWORD, "password": new, "confirm": new}
    )
    assert response.status_code == 302
    for browser in browsers:
        browser.delete_cookie("session")  # the browser closed: only the remember cookie is left
    assert mine.get("/account/password").status_code == 200
    assert stolen.get("/account/password").status_code == 302
