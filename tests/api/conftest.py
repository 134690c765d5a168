"""API test fixtures: an organisation with owner, editor and viewer, tokens, a checking client."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from readiness.models import User
from readiness.services import tokens
from tests import factories
from tests.api.document import check_response


class ApiClient:
    """A test client that sends a bearer token and checks every response against the document."""

    def __init__(self, client: FlaskClient, token: str | None) -> None:
        self.client = client
        self.token = token

    def call(self, method: str, path: str, **kwargs: Any) -> TestResponse:
        """Send a request to /api/v1 + path; fail on a response the document does not allow."""
        headers = dict(kwargs.pop("headers", {}))
        if self.token is not None:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        url = "/api/v1" + path
        response = self.client.open(url, method=method, headers=headers, **kwargs)
        check_response(method, url, response)
        return response

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        """GET."""
        return self.call("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> TestResponse:
        """POST."""
        return self.call("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> TestResponse:
        """PUT."""
        return self.call("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> TestResponse:
        """PATCH."""
        return self.call("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> TestResponse:
        """DELETE."""
        return self.call("DELETE", path, **kwargs)


@pytest.fixture
def team(db_session: Session) -> dict[str, Any]:
    """An organisation with an owner, an editor and a viewer, and a second organisation."""
    owner, editor, viewer = (factories.make_user(db_session) for _ in range(3))
    org = factories.make_org(db_session, owner, "Acme", {editor: "editor", viewer: "viewer"})
    other = factories.make_org(db_session, name="Other firm")
    return {"owner": owner, "editor": editor, "viewer": viewer, "org": org, "other": other}


@pytest.fixture
def make_token(db_session: Session, team: dict[str, Any]) -> Callable[..., str]:
    """A token: make_token(role="owner", scope="write", org=None) -> the secret."""

    def build(role: str = "owner", scope: str = "write", org: Any = None) -> str:
        user: User = team[role]
        organisation = org or team["org"]
        _token, secret = tokens.create_token(db_session, user, organisation.id, "test", scope)
        return secret

    return build


@pytest.fixture
def api_as(client: FlaskClient, make_token: Callable[..., str]) -> Callable[..., ApiClient]:
    """api_as(role="owner", scope="write") -> an ApiClient with a fresh token."""

    def build(role: str = "owner", scope: str = "write") -> ApiClient:
        return ApiClient(client, make_token(role, scope))

    return build


@pytest.fixture
def api(api_as: Callable[..., ApiClient]) -> ApiClient:
    """The owner's write client."""
    return api_as()
