"""Reports are pre-rendered in the background after submit; a PDF is never rendered twice."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from readiness import jobs
from readiness.services import assessments
from readiness.services import report_render
from tests.assessment_data import write_questionnaires
from tests.conftest import TEST_PASSWORD
from tests.conftest import test_config
from tests.report_data import submitted_assessment


@pytest.fixture
def app_config(database_url: str, tmp_path: Path) -> dict[str, Any]:
    """Small questionnaires, a PDF cache in tmp_path, jobs run at once (BACKGROUND_JOBS=sync)."""
    directory = write_questionnaires(tmp_path / "questionnaires", extra_questions=0)
    return test_config(
        database_url,
        QUESTIONNAIRE_DIR=str(directory),
        REPORT_CACHE_DIR=str(tmp_path / "reports"),
        BACKGROUND_JOBS="sync",
    )


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count PDF renderings (a slow fake, so that concurrent downloads overlap)."""
    calls: list[str] = []

    def fake(data: Any) -> bytes:
        calls.append(data.lang)
        time.sleep(0.3)
        return f"%PDF-fake-{data.lang}".encode()

    monkeypatch.setattr(report_render, "render_pdf", fake)
    return calls


@pytest.fixture
def owner_client(app: Flask, make_user: Any, make_org: Any) -> tuple[FlaskClient, Any, Any]:
    """A signed-in owner of an organisation, the owner, and the organisation."""
    owner = make_user(name="Olga")
    org = make_org(owner=owner, name="Acme")
    client = app.test_client()
    response = client.post("/login", data={"email": owner.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client, owner, org


def _submit_through_the_page(client: FlaskClient, assessment_id: int) -> None:
    response = client.post(f"/assessments/{assessment_id}/submit", data={"confirm_incomplete": "y"})
    assert response.status_code == 302, response.text


def test_submit_prerenders_every_language_and_downloads_serve_it(
    app: Flask, db_session: Session, owner_client, renders, tmp_path
):
    client, owner, org = owner_client
    q = app.extensions["catalogue"].get("mini", 1)
    draft = assessments.start_assessment(db_session, org, q, owner, "Check")
    _submit_through_the_page(client, draft.id)
    assert sorted(renders) == sorted(q.languages)  # rendered right after submit
    assert len(list((tmp_path / "reports").glob("*.pdf"))) == len(q.languages)
    for lang in q.languages:
        pdf = client.get(f"/assessments/{draft.id}/report.pdf?lang={lang}")
        assert pdf.data == f"%PDF-fake-{lang}".encode()
    assert len(renders) == len(q.languages)  # the downloads rendered nothing
    # Reopen and submit again: rendered again for the new submission.
    assert client.post(f"/assessments/{draft.id}/reopen").status_code == 302
    _submit_through_the_page(client, draft.id)
    assert len(renders) == 2 * len(q.languages)


def test_concurrent_first_downloads_render_once(
    app: Flask, db_session: Session, owner_client, renders
):
    client, owner, org = owner_client
    app.extensions["jobs"] = jobs.InProcess(app, "off")  # as if the job had not run yet
    q = app.extensions["catalogue"].get("mini", 1)
    done = submitted_assessment(db_session, org, owner, q)
    cookie = client.get_cookie("session")
    bodies: list[bytes] = []
    start = threading.Barrier(6)

    def download() -> None:
        other = app.test_client()
        other.set_cookie("session", cookie.value)
        start.wait()
        bodies.append(other.get(f"/assessments/{done.id}/report.pdf").data)

    threads = [threading.Thread(target=download) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert bodies == [b"%PDF-fake-en"] * 6
    assert renders == ["en"]


def test_in_process_thread_runs_the_job_in_an_app_context(app: Flask):
    seen: list[str] = []
    runner = jobs.InProcess(app, "thread")
    future = runner.enqueue(f"{__name__}:_record_app_name", seen)
    future.result(timeout=10)
    assert seen == [app.name]


def test_shutdown_waits_for_the_queued_jobs(app: Flask):
    """An app's end lets its queued jobs finish: none runs on into what comes after."""
    seen: list[str] = []
    app.extensions["jobs"] = jobs.InProcess(app, "thread")
    for _ in range(3):
        app.extensions["jobs"].enqueue(f"{__name__}:_slowly_record_app_name", seen)
    jobs.shutdown(app)
    assert seen == [app.name] * 3


def _slowly_record_app_name(seen: list[str]) -> None:
    time.sleep(0.1)
    _record_app_name(seen)


def _record_app_name(seen: list[str]) -> None:
    from flask import current_app

    seen.append(current_app.name)


def test_the_lock_makes_concurrent_callers_wait_for_one_build(tmp_path: Path):
    built: list[int] = []

    def build() -> bytes:
        built.append(1)
        time.sleep(0.2)
        return b"%PDF-once"

    results: list[bytes] = []
    threads = [
        threading.Thread(
            target=lambda: results.append(
                report_render.cached_pdf("assessment-1-x-en-abc.pdf", build, tmp_path)
            )
        )
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [b"%PDF-once"] * 8 and built == [1]


def test_report_page_is_built_once_per_submission(
    app: Flask, db_session: Session, owner_client, monkeypatch
):
    from readiness.web import reports as report_views

    built: list[str] = []
    real = report_views.assessment_report_data

    def counting(*args: Any) -> Any:
        built.append(args[-1])
        return real(*args)

    monkeypatch.setattr(report_views, "assessment_report_data", counting)
    app.extensions["jobs"] = jobs.InProcess(app, "off")
    client, owner, org = owner_client
    q = app.extensions["catalogue"].get("mini", 1)
    draft = assessments.start_assessment(db_session, org, q, owner, "Check")
    _submit_through_the_page(client, draft.id)
    for _ in range(3):
        assert "Acme" in client.get(f"/assessments/{draft.id}/report?lang=en").text
    assert built == ["en"]
    assert client.post(f"/assessments/{draft.id}/reopen").status_code == 302
    _submit_through_the_page(client, draft.id)
    client.get(f"/assessments/{draft.id}/report?lang=en")
    assert built == ["en", "en"]  # a new submission is rendered anew


def test_page_cache_keeps_the_most_recently_used():
    from readiness.web.page_cache import PageCache

    cache: PageCache[int] = PageCache(2)
    made: list[str] = []

    def make(key: str) -> int:
        made.append(key)
        return len(made)

    for key in ("a", "b", "a", "c", "a", "b"):
        cache.get_or_make(key, lambda key=key: make(key))
    assert made == ["a", "b", "c", "b"]  # "b" was dropped for "c"; "a" stayed in use
