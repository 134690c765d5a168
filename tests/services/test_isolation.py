"""PDF rendering in a forked child: results and errors come back, the app context is there."""

from __future__ import annotations

import os
import threading

import pytest
from flask import Flask
from flask import current_app

from readiness import create_app
from readiness.services.isolation import RenderingFailed
from readiness.services.isolation import run_isolated


@pytest.fixture
def isolating_app() -> Flask:
    """An app that renders in child processes (no database needed)."""
    return create_app({"TESTING": True, "SECRET_KEY": "iso", "DATABASE_URL": "sqlite://"})


def _boom() -> None:
    raise ValueError("broken template")


def test_runs_in_another_process_with_the_app_context(isolating_app: Flask) -> None:
    with isolating_app.app_context():
        pid, name = run_isolated(lambda: (os.getpid(), current_app.name))
    assert pid != os.getpid() and name == isolating_app.name


def test_errors_come_back_with_their_traceback(isolating_app: Flask) -> None:
    with isolating_app.app_context(), pytest.raises(RenderingFailed, match="broken template"):
        run_isolated(_boom)


def test_switched_off_it_runs_here(isolating_app: Flask) -> None:
    isolating_app.config["ISOLATE_RENDERING"] = False
    with isolating_app.app_context():
        assert run_isolated(os.getpid) == os.getpid()


def _stuck_in_a_child(parent: int) -> int:
    if os.getpid() != parent:
        threading.Event().wait()  # as a child blocked on a lock another thread held at the fork
    return os.getpid()


def test_a_stuck_child_is_killed_and_the_work_done_here(isolating_app: Flask) -> None:
    isolating_app.config["ISOLATED_RENDER_TIMEOUT"] = 1
    with isolating_app.app_context():
        assert run_isolated(_stuck_in_a_child, os.getpid()) == os.getpid()
