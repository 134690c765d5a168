"""Seed data for bench_pages.py: organisations with N submitted assessments, and queries per page.

Three assessments per organisation are made through the real services (answered, submitted,
the latest pre-rendered as the background job does after submit); the rest are copies of the
first, older, so that the organisation holds N submitted assessments and one draft.
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy import func
from sqlalchemy import select

from readiness import create_app
from readiness import migrate
from readiness.db import get_sessionmaker
from readiness.models import Answer
from readiness.models import Assessment
from readiness.models import AssessmentScore
from readiness.services import accounts
from readiness.services import assessments
from readiness.services import organisations
from readiness.services.report_render import prerender_reports
from tests.report_data import submitted_assessment

PASSWORD = "bench pages password"
REAL = 3  # assessments per organisation made through the services
REPEAT = 30  # requests per page for the in-process CPU time


def _clone(session: Any, template: Assessment, copies: int) -> None:
    """Insert `copies` older copies of a submitted assessment, its answers and summary rows."""
    table, answers, scores = Assessment.__table__, Answer.__table__, AssessmentScore.__table__
    conn = session.connection()
    row = dict(conn.execute(select(table).where(table.c.id == template.id)).mappings().one())
    answer_rows = [
        {k: v for k, v in r.items() if k != "id"}
        for r in conn.execute(select(answers).where(answers.c.assessment_id == template.id))
        .mappings()
        .all()
    ]
    score_rows = [
        dict(r)
        for r in conn.execute(select(scores).where(scores.c.assessment_id == template.id))
        .mappings()
        .all()
    ]
    next_id = (session.scalar(select(func.max(Assessment.id))) or 0) + 1
    for n in range(copies):
        when = template.submitted_at - timedelta(days=n + 1)
        new_id = next_id + n
        conn.execute(
            table.insert(),
            {
                **row,
                "id": new_id,
                "title": f"Check {n}",
                "submitted_at": when,
                "created_at": when,
                "updated_at": when,
            },
        )
        conn.execute(answers.insert(), [{**a, "assessment_id": new_id} for a in answer_rows])
        conn.execute(scores.insert(), [{**s, "assessment_id": new_id} for s in score_rows])
    session.commit()


def _organisation(app: Any, size: int) -> dict[str, Any]:
    session = get_sessionmaker(app)()
    try:
        email = f"owner{size}@bench.example"
        owner = accounts.register_user(session, email, f"Owner {size}", PASSWORD, "en")
        org = organisations.create_organisation(session, owner, f"Bench {size} GmbH")
        q = app.extensions["catalogue"].get(app.config["FLAGSHIP_QUESTIONNAIRE"])
        real = [submitted_assessment(session, org, owner, q) for _ in range(min(REAL, size))]
        _clone(session, real[0], size - len(real))
        draft = assessments.start_assessment(session, org, q, owner, "Draft")
        ids = sorted(
            session.scalars(
                select(Assessment.id)
                .where(Assessment.organisation_id == org.id, Assessment.status == "submitted")
                .order_by(Assessment.submitted_at)
            )
        )
        prerender_reports(real[-1].id)
        return {
            "email": email,
            "password": PASSWORD,
            "submitted": ids if ids[-1] == real[-1].id else [*ids, real[-1].id],
            "draft": draft.id,
            "first_pillar": q.pillars[0].id,
        }
    finally:
        session.close()


def _queries(app: Any, ids: dict[str, Any], paths: dict[str, str]) -> dict[str, tuple[int, float]]:
    """SQL statements and CPU milliseconds of each page, in-process (signed in, test client).

    CPU time of this process is far less disturbed than throughput by other work on a shared
    machine, so it shows best whether a page's cost grows with the organisation's data.
    """
    engine = app.extensions["readiness.db"]["engine"]
    client = app.test_client()
    client.post("/login", data={"email": ids["email"], "password": ids["password"]})
    counts: dict[str, tuple[int, float]] = {}
    for name, path in paths.items():
        statements: list[str] = []

        def count(*args: Any, _into: list[str] = statements) -> None:
            _into.append(args[2])

        client.get(path)  # warm
        event.listen(engine, "before_cursor_execute", count)
        try:
            client.get(path)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        start = time.process_time()
        for _ in range(REPEAT):
            client.get(path)
        counts[name] = (len(statements), (time.process_time() - start) / REPEAT * 1000)
    return counts


def app_for(url: str, report_dir: Path) -> Any:
    """The app as the seeding and in-process measurements use it (test client over plain HTTP)."""
    config = {
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-seed",
        "TESTING": True,  # the test client signs in over plain HTTP (no secure-only cookies)
        "REPORT_CACHE_DIR": str(report_dir),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "BACKGROUND_JOBS": "off",
        "SERVER_NAME": "localhost",
    }
    return create_app(config)


def seed(
    url: str, sizes: tuple[int, ...], report_dir: Path, measure: bool = True
) -> tuple[dict[int, dict[str, Any]], dict[int, dict[str, tuple[int, float]]]]:
    """Migrate `url`, seed one organisation per size; their IDs, and queries and CPU per page."""
    from benchmarks.bench_pages import pages

    migrate.upgrade(url)
    app = app_for(url, report_dir)
    seeded, queries = {}, {}
    with app.app_context():
        for size in sizes:
            seeded[size] = _organisation(app, size)
    for size in sizes if measure else ():
        with app.app_context():
            client_paths = {k: v for k, v in pages(seeded[size]).items() if k != "login"}
            queries[size] = _queries(app, seeded[size], client_paths)
    app.extensions["readiness.db"]["engine"].dispose()
    return seeded, queries
