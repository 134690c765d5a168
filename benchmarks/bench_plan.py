"""Time the plan page, its exports and the reminder query for a large plan (median of runs).

Run: .venv/bin/python benchmarks/bench_plan.py [--actions N] [--runs N]. Pin to one core with
`taskset -c 0`. Uses a throwaway SQLite file.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from readiness import create_app  # noqa: E402
from readiness import migrate  # noqa: E402
from readiness.db import get_sessionmaker  # noqa: E402
from readiness.domain.plan import ActionStatus  # noqa: E402
from readiness.models import PlanAction  # noqa: E402
from readiness.services import plan_loop  # noqa: E402
from tests import factories  # noqa: E402


def _median_ms(run, runs: int) -> str:
    run()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return f"median {statistics.median(times):.1f} ms (min {min(times):.1f}, max {max(times):.1f})"


def main() -> None:
    """Build an organisation with N actions, then time the pages and exports."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=300)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        migrate.upgrade(url)
        app = create_app(
            {"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False}
        )
        with get_sessionmaker(app)() as session:
            owner = factories.make_user(session, "bench@example.com", "Bench")
            org = factories.make_org(session, owner, "Bench GmbH")
            statuses = list(ActionStatus)
            today = date.today()
            for n in range(args.actions):
                status = statuses[n % 4].value
                session.add(
                    PlanAction(
                        organisation_id=org.id,
                        title=f"Action {n} of the plan",
                        measure_id=f"6.{n % 4 + 1}",
                        status=status,
                        dropped_reason="no budget" if status == "dropped" else "",
                        owner_id=owner.id,
                        start_date=today - timedelta(days=n % 90),
                        due_date=today + timedelta(days=(n % 120) - 30),
                    )
                )
            session.commit()
            org_id = org.id
            client = app.test_client()
            client.post(
                "/login",
                data={"email": "bench@example.com", "password": factories.DEFAULT_PASSWORD},
            )
            base = f"/organisations/{org_id}/plan"
            print(f"{args.actions} actions, {args.runs} runs each")
            for label, path in (
                ("plan page", f"{base}/"),
                ("plan page, overdue only", f"{base}/?overdue=1"),
                ("plan.xlsx", f"{base}/plan.xlsx"),
                ("plan.ics", f"{base}/plan.ics"),
            ):
                print(f"{label}: {_median_ms(lambda p=path: client.get(p), args.runs)}")
            print(
                "reminder query (7 days): "
                + _median_ms(lambda: plan_loop.due_reminders(session, today, 7), args.runs)
            )


if __name__ == "__main__":
    main()
