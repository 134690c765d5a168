"""Shared fixtures: app (on SQLite and PostgreSQL), client, runner, db_session, auth, factories.

Every DB-backed test runs once per backend in READINESS_TEST_DATABASES (default
"sqlite,postgres"); each test gets an empty database migrated to head by Alembic (one per
backend and session, migrated once, emptied after every test). PostgreSQL is a throwaway
cluster started with initdb/pg_ctl; without the server binaries its variants are skipped
with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask.testing import FlaskCliRunner
from hypothesis import HealthCheck
from hypothesis import settings
from jinja2.bccache import Bucket
from jinja2.bccache import BytecodeCache
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from readiness import create_app
from readiness import jobs
from readiness.db import get_sessionmaker
from readiness.models import Organisation
from readiness.models import User
from readiness.services import accounts
from readiness.services import questionnaires as questionnaires_module
from readiness.services.questionnaires import Catalogue
from tests import factories
from tests.databases import DatabaseFactory
from tests.databases import PostgresCluster
from tests.databases import postgres_missing
from tests.databases import selected_backends
from tests.i18n_checks import compile_catalogs
from tests.paths import ROOT

# Property tests check behaviour, not speed: a loaded CI machine must not fail them on timing.
settings.register_profile("readiness", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("readiness")

TEST_PASSWORD = factories.DEFAULT_PASSWORD


def pytest_configure(config: pytest.Config) -> None:
    """Before any test (and before pytest-xdist starts its workers): compile stale catalogs.

    A worker that read a catalog while another rewrote it would keep the old texts for its
    whole run (Flask-Babel keeps loaded translations per process).
    """
    if not hasattr(config, "workerinput"):  # the controller, or a run without workers
        compile_catalogs()


def pytest_report_header() -> str:
    """Say which databases the DB-backed tests run against, and why PostgreSQL is left out."""
    backends = selected_backends()
    missing = postgres_missing() if "postgres" in backends else None
    if missing:
        others = ", ".join(b for b in backends if b != "postgres")
        return f"databases: {others} (postgres skipped: {missing})"
    return f"databases: {', '.join(backends)} (PostgreSQL: a throwaway initdb/pg_ctl cluster)"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test that needs the `backend` fixture once per selected database backend."""
    if "backend" in metafunc.fixturenames:
        backends = selected_backends()
        marks = {"postgres": [pytest.mark.postgres]}
        metafunc.parametrize(
            "backend",
            [pytest.param(b, marks=marks.get(b, []), id=b) for b in backends],
            scope="session",
        )


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """A PostgreSQL cluster for the whole test session (skipped when the binaries are missing)."""
    reason = postgres_missing()
    if reason:
        pytest.skip(reason)
    cluster = PostgresCluster()
    try:
        cluster.start()
    except RuntimeError as exc:
        cluster.stop()
        pytest.skip(f"PostgreSQL could not start: {exc}")
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def databases(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> DatabaseFactory:
    """Fresh databases of the current backend (empty or migrated)."""
    cluster = request.getfixturevalue("postgres_cluster") if backend == "postgres" else None
    return DatabaseFactory(backend, tmp_path_factory.mktemp(f"db-{backend}"), cluster)


@pytest.fixture
def database_url(databases: DatabaseFactory) -> Iterator[str]:
    """The URL of an empty database migrated to head with Alembic (never create_all)."""
    with databases.migrated() as url:
        yield url


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """Hash passwords with few rounds in tests: scrypt costs ~0.1-0.3 s per user."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "PASSWORD_HASH_METHOD", "pbkdf2:sha256:1000")
        yield


class SharedBytecodeCache(BytecodeCache):
    """Compiled templates kept for every app the test session builds.

    Each test builds its own app, and each app's Jinja environment would compile every template
    it renders again (~80 ms a test). Jinja checks a kept template against its source's checksum.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


@pytest.fixture(scope="session", autouse=True)
def shared_template_code() -> Iterator[None]:
    """Every app of the session keeps its compiled templates in one SharedBytecodeCache."""
    options = {**Flask.jinja_options, "bytecode_cache": SharedBytecodeCache()}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Flask, "jinja_options", options)
        yield


@pytest.fixture(scope="session", autouse=True)
def builtin_questionnaires_read_once() -> Iterator[None]:
    """The shipped questionnaire files are parsed once per session, not by every app built.

    Many tests build an app of their own (a command's, one with CSRF on …), and each parsed
    every built-in YAML file again (~0.5 s). The parsed questionnaires are immutable.
    """
    read = questionnaires_module.load_questionnaires
    builtin = Path(questionnaires_module.BUILTIN_QUESTIONNAIRES).resolve()

    @lru_cache(maxsize=1)
    def read_builtin() -> Any:
        return read(builtin)

    def load(directory: str | Path) -> Any:
        return read_builtin() if Path(directory).resolve() == builtin else read(directory)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(questionnaires_module, "load_questionnaires", load)
        yield


@lru_cache(maxsize=1)
def repo_catalogue() -> Catalogue:
    return Catalogue.with_builtin()


def test_config(database_url: str, **overrides: Any) -> dict[str, Any]:
    """The configuration of the test app; tests may override any key.

    The repository's questionnaire catalogue is loaded once per session and handed in;
    overriding QUESTIONNAIRE_DIR makes the app load only that directory.
    """
    directory = overrides.get("QUESTIONNAIRE_DIR")
    preloaded = repo_catalogue() if directory is None else None
    return {
        "QUESTIONNAIRE_CATALOGUE": preloaded,
        "TESTING": True,
        "READINESS_ENV": "production",
        "SECRET_KEY": "test-secret-key-not-for-production",
        "DATABASE_URL": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "BACKGROUND_JOBS": "off",  # tests that need report pre-rendering switch it on
        "ISOLATE_RENDERING": False,  # tests patch renderers; tests/services/test_isolation.py
        "QUESTIONNAIRE_DIR": str(directory) if directory else None,
        "BUILTIN_QUESTIONNAIRES": directory is None,
        "SERVER_NAME": "localhost",
        **overrides,
    }


test_config.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


@pytest.fixture
def app_config(database_url: str) -> dict[str, Any]:
    """The test configuration; override this fixture (or use make_app) to change settings."""
    return test_config(database_url)


@pytest.fixture
def make_app(database_url: str) -> Iterator[Callable[..., Flask]]:
    """Build extra apps on the same fresh database with config overrides (e.g. CSRF on)."""
    apps: list[Flask] = []

    def build(**overrides: Any) -> Flask:
        app = create_app(test_config(database_url, **overrides))
        apps.append(app)
        return app

    yield build
    for app in apps:
        jobs.shutdown(app)
        app.extensions["readiness.db"]["engine"].dispose()


@pytest.fixture
def app(app_config: dict[str, Any]) -> Iterator[Flask]:
    """The app under test, on a fresh migrated database."""
    app = create_app(app_config)
    yield app
    jobs.shutdown(app)  # no job of this test runs on into the next (the tables are emptied)
    app.extensions["readiness.db"]["engine"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of the app."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A CLI runner of the app's commands."""
    return app.test_cli_runner()


@pytest.fixture
def db_session(app: Flask) -> Iterator[Session]:
    """A session on the test database; services commit for real (the tables are emptied after).

    Objects expire at each commit so that they reload what requests changed in between.
    """
    with get_sessionmaker(app)(expire_on_commit=True) as session:
        yield session


class AuthActions:
    """Register, sign in and sign out through the real pages."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def register(
        self, email: str = "ada@example.com", password: str = TEST_PASSWORD, name: str = "Ada"
    ) -> TestResponse:
        """Register an account through the form (which also signs in)."""
        return self._client.post(
            "/register",
            data={"name": name, "email": email, "password": password, "confirm": password},
        )

    def login(self, email: str = "ada@example.com", password: str = TEST_PASSWORD) -> TestResponse:
        """Sign in through the form."""
        return self._client.post("/login", data={"email": email, "password": password})

    def logout(self) -> TestResponse:
        """Sign out."""
        return self._client.post("/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    """Register/login/logout helper bound to `client`."""
    return AuthActions(client)


@pytest.fixture
def make_user(db_session: Session) -> Callable[..., User]:
    """Create users: make_user(email=None, name=None, password=DEFAULT_PASSWORD)."""

    def build(**kwargs: Any) -> User:
        return factories.make_user(db_session, **kwargs)

    return build


@pytest.fixture
def make_org(db_session: Session, make_user: Callable[..., User]) -> Callable[..., Organisation]:
    """Create organisations: make_org(owner=None, name=None, members={user: role})."""

    def build(**kwargs: Any) -> Organisation:
        return factories.make_org(db_session, **kwargs)

    return build


def repo_path(*parts: str) -> Path:
    """A path inside the repository."""
    return ROOT.joinpath(*parts)
