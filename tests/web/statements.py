"""The SQL statements a page runs: query-count tests share this instead of each keeping a copy."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event


def page_statements(app: Flask, client: FlaskClient, path: str) -> list[str]:
    """The statements `client` GET `path` runs (the page must answer 200)."""
    engine = app.extensions["readiness.db"]["engine"]
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return statements
