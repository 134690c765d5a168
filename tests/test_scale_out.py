"""Scale-out on real engines: two app processes, one RQ worker, Redis and PostgreSQL act as one.

Starts a throwaway redis-server, a database in the test PostgreSQL cluster, two gunicorn app
processes on different ports and one `readiness worker`; submits through one instance, downloads
the PDF the worker pre-rendered through the other, and shows that the login limit is shared.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy.orm import Session

from readiness import migrate
from readiness.db import make_engine
from readiness.domain.answers import NOT_APPLICABLE
from readiness.domain.answers import value_to_json
from readiness.services import accounts
from readiness.services import assessments
from readiness.services import organisations
from tests.conftest import repo_catalogue
from tests.databases import selected_backends
from tests.report_data import complete_answers

pytestmark = pytest.mark.scale_out
PASSWORD = "scale out password"
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _until(check, what: str, seconds: float = 60) -> None:  # noqa: ANN001
    """Poll `check` until it is true (bounded; the processes need a moment to start or render)."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


class Client:
    """A tiny HTTP client for one app instance, carrying a session cookie."""

    def __init__(self, port: int, cookie: str = "") -> None:
        self.port, self.cookie = port, cookie

    def request(self, method: str, path: str, form: dict[str, str] | None = None):  # noqa: ANN201
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = urlencode(form) if form is not None else None
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.body = response.read()
        for header in response.headers.get_all("Set-Cookie") or ():
            if header.startswith("session="):
                self.cookie = header.split(";", 1)[0]
        return response

    def csrf(self, path: str) -> str:
        page = self.request("GET", path)
        return re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page.body)[1].decode()

    def up(self) -> bool:
        try:
            return self.request("GET", "/favicon.ico").status == 200
        except OSError:
            return False


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A throwaway redis-server on a free port (no persistence), stopped afterwards."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is missing (Debian package redis-server); scale-out not tested")
    port = _free_port()
    process = subprocess.Popen(
        [
            server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    _until(lambda: socket.socket().connect_ex(("127.0.0.1", port)) == 0, "redis-server")
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A migrated database of the test PostgreSQL cluster."""
    if "postgres" not in selected_backends():
        pytest.skip("PostgreSQL is not among READINESS_TEST_DATABASES")
    cluster = request.getfixturevalue("postgres_cluster")
    name = cluster.create_database()
    migrate.upgrade(cluster.url(name))
    yield cluster.url(name)
    cluster.drop_database(name)


def _draft(url: str) -> tuple[str, int]:
    """An owner and a fully answered draft of the flagship questionnaire; (e-mail, draft ID)."""
    engine = make_engine(url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            owner = accounts.register_user(session, "owner@scale.example", "Olga", PASSWORD)
            org = organisations.create_organisation(session, owner, "Scale GmbH")
            q = repo_catalogue().get("smart-manufacturing-readiness", 1)  # answers built for v1
            draft = assessments.start_assessment(session, org, q, owner, "Scaled")
            answers = complete_answers(q).values
            page = {
                qid: assessments.PageAnswer("not_applicable")
                if value is NOT_APPLICABLE
                else assessments.PageAnswer("answered", value_to_json(value))
                for qid, value in answers.items()
            }
            assessments.save_answers(session, draft, q, page, draft.revision, owner)
            return owner.email, draft.id
    finally:
        engine.dispose()


def test_two_instances_and_a_worker_behave_as_one(redis_url, postgres_url, tmp_path):
    email, draft_id = _draft(postgres_url)
    reports = tmp_path / "reports"
    env = {
        **os.environ,
        "DATABASE_URL": postgres_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": "scale-out-shared-secret",
        "READINESS_ENV": "production",
        "READINESS_INSTANCE_PATH": str(tmp_path / "instance"),
        "REPORT_CACHE_DIR": str(reports),
        "LOGIN_RATE_LIMIT": "4/minute",
    }
    processes = []
    try:
        ports = [_free_port(), _free_port()]
        for port in ports:
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "--workers",
                        "1",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "readiness:create_app()",
                    ],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        worker_log = (tmp_path / "worker.log").open("wb")
        processes.append(
            subprocess.Popen(
                [str(BIN / "readiness"), "worker"],
                env=env,
                stdout=worker_log,
                stderr=subprocess.STDOUT,
            )
        )
        one, other = Client(ports[0]), Client(ports[1])
        _until(lambda: one.up() and other.up(), "both app instances")

        # Sign in and submit through the first instance.
        token = one.csrf("/login")
        signed_in = one.request(
            "POST", "/login", {"csrf_token": token, "email": email, "password": PASSWORD}
        )
        assert signed_in.status == 302
        token = one.csrf(f"/assessments/{draft_id}/review")
        submitted = one.request("POST", f"/assessments/{draft_id}/submit", {"csrf_token": token})
        assert submitted.status == 302 and "/results" in submitted.getheader("Location")

        # The worker renders both languages; the second instance serves that file.
        _until(lambda: len(list(reports.glob("*.pdf"))) == 2, "the pre-rendered PDFs", 120)
        rendered = {p.name: p.read_bytes() for p in reports.glob("*.pdf")}
        other.cookie = one.cookie  # the same signed session, valid on every instance
        for lang in ("en", "zh"):
            pdf = other.request("GET", f"/assessments/{draft_id}/report.pdf?lang={lang}")
            assert pdf.status == 200 and pdf.body.startswith(b"%PDF")
            assert pdf.body in rendered.values()
        assert {p.name: p.read_bytes() for p in reports.glob("*.pdf")} == rendered

        # Four sign-ins a minute per address, counted across instances: the owner's sign-in
        # on the first instance counts, so the second refuses its own fourth attempt.
        stranger = Client(ports[1])
        statuses = []
        for _attempt in range(4):
            form = {"csrf_token": stranger.csrf("/login"), "email": email, "password": "wrong"}
            statuses.append(stranger.request("POST", "/login", form).status)
        assert statuses == [200, 200, 200, 429], statuses
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
