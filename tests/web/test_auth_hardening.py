"""Sign-in hardening: logout ends the session, no account oracles, rate limits, proxies, HSTS.

Findings 5, 6, 7, 8, 9 and 11 of issue 10.
"""

from __future__ import annotations

import logging
import socket

import pytest
from flask import Flask
from flask.testing import FlaskClient

from readiness.services import accounts
from tests.factories import DEFAULT_PASSWORD
from tests.factories import make_user


def _closed_port() -> int:
    """A loopback port nobody listens on (connecting is refused at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _login(client: FlaskClient, email: str = "ada@example.com", **kwargs) -> int:
    data = {"email": email, "password": kwargs.pop("password", DEFAULT_PASSWORD)}
    return client.post("/login", data=data, **kwargs).status_code


# --- finding 7: logout ends the session on the server ----------------------------------------


def test_a_copied_session_cookie_dies_at_logout(app: Flask, client, db_session) -> None:
    make_user(db_session, email="ada@example.com")
    assert _login(client) == 302
    copied = client.get_cookie("session").value
    thief = app.test_client()
    thief.set_cookie("session", copied, domain="localhost")
    assert thief.get("/account/password").status_code == 200  # the copy works while signed in
    assert client.post("/logout").status_code == 302
    refused = thief.get("/account/password")
    assert refused.status_code == 302 and "/login" in refused.headers["Location"]
    assert _login(client) == 302  # signing in again works
    assert client.get("/account/password").status_code == 200


# --- finding 8: the same password work for unknown addresses ----------------------------------


def test_login_checks_a_password_hash_whether_or_not_the_address_is_known(
    client, db_session, monkeypatch
) -> None:
    user = make_user(db_session, email="ada@example.com")
    method = user.password_hash.split("$", 1)[0]
    checked: list[str] = []
    real = accounts.check_password_hash

    def spy(pwhash: str, password: str) -> bool:
        checked.append(pwhash.split("$", 1)[0])
        return real(pwhash, password)

    monkeypatch.setattr(accounts, "check_password_hash", spy)
    assert _login(client, password="wrong password") == 200
    assert _login(client, email="ghost@example.com", password="wrong password") == 200
    assert checked == [method, method]  # one hash of the same method each time


# --- finding 5: forgot-password answers the same, mails after responding ---------------------


@pytest.fixture
def unreachable_mail(make_app) -> Flask:
    """An app whose MAIL_SERVER refuses connections."""
    return make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=_closed_port())


def test_forgot_password_is_the_same_for_any_address_with_mail_down(
    unreachable_mail: Flask, db_session, caplog
) -> None:
    make_user(db_session, email="ada@example.com")
    answers = []
    with caplog.at_level(logging.WARNING):
        for email in ("ada@example.com", "ghost@example.com"):
            client = unreachable_mail.test_client()
            response = client.post("/forgot-password", data={"email": email})
            response.close()  # a WSGI server closes the response once sent: then the mail goes
            page = client.get(response.headers["Location"])
            answers.append((response.status_code, response.headers["Location"], page.text))
    assert answers[0] == answers[1]
    assert answers[0][0] == 302 and "a reset link is on its way" in answers[0][2]
    assert "could not send e-mail" in caplog.text  # logged for the operator, not shown


def test_reset_mail_is_sent_only_after_the_response(make_app, db_session, monkeypatch) -> None:
    from readiness.web import auth

    make_user(db_session, email="ada@example.com")
    sent: list[str] = []
    monkeypatch.setattr(auth, "send_mail", lambda _config, to, *_a: sent.append(to))
    client = make_app().test_client()
    response = client.post("/forgot-password", data={"email": "ada@example.com"})
    assert response.status_code == 302 and sent == []  # answered before any mail work
    response.close()
    assert sent == ["ada@example.com"]


# --- findings 6 and 9: rate limits, per address and per account, behind a trusted proxy -------


def _limited(make_app, **config) -> Flask:
    return make_app(RATELIMIT_ENABLED=True, **config)


def test_login_limit_per_account_across_addresses(make_app, db_session) -> None:
    make_user(db_session, email="ada@example.com")
    client = _limited(make_app, LOGIN_ACCOUNT_RATE_LIMIT="3/minute").test_client()
    statuses = [
        _login(client, password="wrong", environ_base={"REMOTE_ADDR": f"10.0.0.{n}"})
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    assert _login(client, email="bob@example.com", environ_base={"REMOTE_ADDR": "10.0.1.1"}) == 200


@pytest.mark.parametrize(
    ("hops", "separate"), [(0, False), (1, True)], ids=["no-proxy", "one-proxy"]
)
def test_forwarded_addresses_count_only_behind_a_trusted_proxy(
    make_app, hops: int, separate: bool
) -> None:
    app = _limited(make_app, LOGIN_RATE_LIMIT="2/minute", TRUSTED_PROXY_HOPS=hops)
    client = app.test_client()
    statuses = [
        _login(client, email=f"u{n}@example.com", headers={"X-Forwarded-For": f"203.0.113.{n}"})
        for n in range(3)
    ]
    assert statuses == ([200, 200, 200] if separate else [200, 200, 429])


@pytest.mark.parametrize(
    ("path", "data", "setting"),
    [
        ("/register", {"name": "A", "email": "x@example.com", "password": "p"}, "REGISTER"),
        ("/forgot-password", {"email": "x@example.com"}, "PASSWORD"),
        ("/reset-password/not-a-token", {"password": "p", "confirm": "p"}, "PASSWORD"),
    ],
)
def test_account_forms_are_rate_limited(make_app, path: str, data: dict, setting: str) -> None:
    client = _limited(make_app, **{f"{setting}_RATE_LIMIT": "2/minute"}).test_client()
    statuses = [client.post(path, data=data).status_code for _ in range(3)]
    assert statuses[-1] == 429 and 429 not in statuses[:2]
    assert client.get(path).status_code in (200, 302)  # only POST is limited


def test_password_change_is_rate_limited(make_app, db_session) -> None:
    make_user(db_session, email="ada@example.com")
    client = _limited(make_app, PASSWORD_RATE_LIMIT="2/minute").test_client()
    assert _login(client) == 302
    data = {"current": "wrong password", "password": "x" * 12, "confirm": "x" * 12}
    statuses = [client.post("/account/password", data=data).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


# --- finding 11: HSTS when served over HTTPS -------------------------------------------------


@pytest.mark.parametrize("https", [False, True])
def test_hsts_only_when_served_over_https(make_app, https: bool) -> None:
    response = make_app(SERVED_OVER_HTTPS=https).test_client().get("/login")
    if https:
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    else:
        assert "Strict-Transport-Security" not in response.headers
