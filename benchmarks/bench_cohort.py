"""Time the cohort view and a firm's peer benchmark over a large synthetic cohort, both databases.

Run: .venv/bin/python benchmarks/bench_cohort.py [--firms N] [--rounds R] [--runs N]
     [--databases sqlite,postgres]
Default: 33,334 firms × 3 rounds ≈ 100,000 submitted assessments. Builds the cohort with
`create_demo_cohort` (what `readiness demo-data` runs) in a throwaway SQLite file and a
throwaway PostgreSQL cluster (as the tests do), then times, as the pages run them:
  cohort   the cohort page's queries (kept counts, breakdowns, rounds; first table page)
  change   a firm withdraws or gives its consent again (the write, counts and pool updated)
  after    the cohort page's queries right after such a change (the first view after it)
  table    table page 8 sorted by a pillar's score
  name     table page 8 sorted by firm name
  page     the cohort page through the app (HTTP, rendering included)
  firm     a firm's peer benchmark (percentiles in every peer group)
  build    the cohort counts built from every firm's share (once, on the first cohort page
           after the upgrade that introduced them; demo data builds them)
  recount  the counts recounted the straightforward way (cohort.compute; tests only)
Target: under 300 ms for every view (cohort, after, table, name, page, firm). Prints medians
of --runs runs (after a warm-up); build and recount: 3 runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from sqlalchemy import select  # noqa: E402

from readiness import create_app  # noqa: E402
from readiness import migrate  # noqa: E402
from readiness.db import get_sessionmaker  # noqa: E402
from readiness.models import Assessment  # noqa: E402
from readiness.models import Membership  # noqa: E402
from readiness.models import Participation  # noqa: E402
from readiness.models import Programme  # noqa: E402
from readiness.services import benchmark  # noqa: E402
from readiness.services import cohort  # noqa: E402
from readiness.services import cohort_pool  # noqa: E402
from readiness.services import cohort_table  # noqa: E402
from readiness.services import programmes  # noqa: E402
from readiness.services.demo_cohort import create_demo_cohort  # noqa: E402
from tests import factories  # noqa: E402
from tests.databases import PostgresCluster  # noqa: E402
from tests.databases import postgres_missing  # noqa: E402


def _time(run, runs: int) -> tuple[float, float, float]:
    run()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times), max(times)


def _measured(run, runs: int) -> tuple[float, float, float]:
    """Like _time, for a function that times (part of) itself and returns milliseconds."""
    run()
    times = [run() for _ in range(runs)]
    return statistics.median(times), min(times), max(times)


def bench(url: str, args: argparse.Namespace) -> dict[str, tuple[float, float, float]]:
    """Build the cohort in the database at `url` and time the four operations."""
    migrate.upgrade(url)
    app = create_app(
        {"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False}
    )
    q = app.extensions["catalogue"].get(app.config["FLAGSHIP_QUESTIONNAIRE"])
    with app.app_context(), get_sessionmaker(app)() as session:
        owner = factories.make_user(session, "bench@example.com", "Bench")
        start = time.perf_counter()
        made = create_demo_cohort(session, q, args.firms, args.rounds, owner=owner)
        print(f"  built {made.assessments} assessments in {time.perf_counter() - start:.0f} s")
        session.connection().exec_driver_sql("ANALYZE")  # fresh statistics, as autovacuum would
        session.commit()
        programme = session.get(Programme, made.programme_id)
        firm = session.scalars(
            select(Assessment).where(Assessment.is_latest.is_(True)).limit(1)
        ).one()

        # The bench user owns one consenting firm, to withdraw and give its consent again.
        joined = session.scalars(
            select(Participation).where(
                Participation.programme_id == programme.id, Participation.consent.is_not(None)
            )
        ).first()
        session.add(
            Membership(user_id=owner.id, organisation_id=joined.organisation_id, role="owner")
        )
        session.commit()
        consents = iter(["results", None] * (args.runs + 1) * 2)

        def cohort_view() -> None:
            numbers = cohort.cohort(session, programme, q.id)
            cohort_table.firm_page(session, programme, q.id, total=numbers.firms)

        def change() -> None:
            programmes.set_consent(
                session, owner, joined.organisation_id, joined.id, next(consents)
            )

        def first_view_after_a_change() -> float:
            change()
            start = time.perf_counter()
            cohort_view()
            return (time.perf_counter() - start) * 1000

        def build() -> None:
            session.execute(
                Programme.__table__.update()
                .where(Programme.id == programme.id)
                .values(cohort_cache={})
            )
            session.commit()
            cohort_pool.ensure_built(session, programme, q.id)

        def page(sort: str):
            firms = cohort.cohort(session, programme, q.id).firms  # as the cohort page does
            return lambda: cohort_table.firm_page(
                session, programme, q.id, sort, True, 8, total=firms
            )

        results = {
            "cohort": _time(cohort_view, args.runs),
            "change": _time(change, args.runs),
            "after": _measured(first_view_after_a_change, args.runs),
            "table": _time(page("data"), args.runs),
            "name": _time(page("name"), args.runs),
            "firm": _time(lambda: benchmark.benchmark(session, firm), args.runs),
            "build": _time(build, 3),
            "recount": _time(lambda: cohort.compute(session, programme, q.id), 3),
        }
    client = app.test_client()
    client.post(
        "/login", data={"email": "bench@example.com", "password": factories.DEFAULT_PASSWORD}
    )
    path = f"/organisations/{made.operator_id}/programmes/{made.programme_id}/cohort"
    assert client.get(path).status_code == 200
    results["page"] = _time(lambda: client.get(path), args.runs)
    return results


def main() -> None:
    """Build the cohort on each database and print a table of timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=33_334)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--databases", default="sqlite,postgres")
    args = parser.parse_args()
    chosen = [d.strip() for d in args.databases.split(",") if d.strip()]
    table: dict[str, dict[str, tuple[float, float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        if "sqlite" in chosen:
            print("SQLite")
            table["SQLite"] = bench(f"sqlite:///{tmp}/bench.db", args)
        if "postgres" in chosen:
            missing = postgres_missing()
            if missing:
                print(f"PostgreSQL skipped: {missing}")
            else:
                cluster = PostgresCluster()
                cluster.start()
                try:
                    print("PostgreSQL")
                    table["PostgreSQL"] = bench(cluster.url(cluster.create_database()), args)
                finally:
                    cluster.stop()
    print()
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; {args.firms} firms × {args.rounds} rounds; "
        f"median (min–max) of {args.runs} runs, ms"
    )
    print(f"{'':12}" + "".join(f"{name:>24}" for name in table))
    for op in ("cohort", "change", "after", "table", "name", "page", "firm", "build", "recount"):
        cells = "".join(
            f"{f'{m:.0f} ({lo:.0f}–{hi:.0f})':>24}" for m, lo, hi in (t[op] for t in table.values())
        )
        print(f"{op:12}{cells}")


if __name__ == "__main__":
    main()
