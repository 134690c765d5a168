"""Browser fixtures: the app on a free loopback port, Chromium via Playwright, screenshots."""

from __future__ import annotations

import threading
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from readiness import create_app
from readiness import jobs
from readiness import migrate
from tests.browser import TIMEOUT_MS
from tests.paths import ROOT

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app on a migrated temporary SQLite database, CSRF on, as a browser would use it."""
    url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.db'}"
    migrate.upgrade(url)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "browser-test-secret",
            "DATABASE_URL": url,
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": True,
            "QUESTIONNAIRE_DIR": str(ROOT / "readiness" / "questionnaires"),
            # PDFs render in a forked child as in production; forked from this threaded server a
            # child may block on a lock another request thread held, so give up on it sooner.
            "ISOLATED_RENDER_TIMEOUT": 20,
        }
    )
    yield app
    # Jobs still queued (pre-rendering the module's reports) must not run into later tests,
    # where they would call the renderers those tests patch.
    jobs.shutdown(app)
    app.extensions["readiness.db"]["engine"].dispose()


@pytest.fixture(scope="module")
def live_server(live_app: Flask) -> Iterator[str]:
    """The base URL of the app served by werkzeug in a background thread."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright (skipped with the reason when it is missing)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium to run browser tests")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def screenshot() -> Callable[[Any, str], Path]:
    """Save a full-page screenshot under test-artifacts/screenshots/NAME.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture(scope="session", autouse=True)
def patient_expect() -> None:
    """expect() waits as long as page actions do (its default is five seconds)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    sync_api.expect.set_options(timeout=TIMEOUT_MS)
