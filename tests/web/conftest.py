"""Fixtures the page tests share: a signed-in client for a member of the module's `team`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import TEST_PASSWORD


@pytest.fixture
def login(app: Flask, team: dict[str, Any]) -> Callable[[str], FlaskClient]:
    """A signed-in test client for a team member by name (`team`: each test module's own)."""

    def sign_in(who: str) -> FlaskClient:
        client = app.test_client()
        response = client.post("/login", data={"email": team[who].email, "password": TEST_PASSWORD})
        assert response.status_code == 302, response.text
        return client

    return sign_in
