"""Where a page's time goes: cProfile of each key page in-process, at 5 and 1,000 assessments.

Seeds the same data as bench_pages.py (SQLite in a temporary directory), builds the app as
gunicorn runs it (production settings: CSRF protection, rate limits, secure cookies, so the
client speaks HTTPS), signs in through the login form, warms every page, then profiles
`--repeat` requests of each and prints the mean CPU milliseconds per request and the functions
with the most own time (tottime) and cumulative time. The floor app is measured the same way.

Run: .venv/bin/python benchmarks/profile_pages.py [--repeat 30] [--top 15] [--page results]
     (--plain: only the CPU milliseconds per request, without the profiler's overhead)
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from benchmarks.bench_pages import SIZES  # noqa: E402
from benchmarks.bench_pages import pages  # noqa: E402
from benchmarks.bench_seed import seed  # noqa: E402
from benchmarks.floor_app import create_app as create_floor  # noqa: E402
from benchmarks.floor_app import make_database  # noqa: E402
from readiness import create_app  # noqa: E402

BASE = "https://localhost"  # production cookies are secure-only


def production_app(url: str, report_dir: Path) -> Any:
    """The app with the settings gunicorn serves it with in bench_pages.py."""
    return create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "profile-pages-secret",
            "READINESS_ENV": "production",
            "REPORT_CACHE_DIR": str(report_dir),
            "BACKGROUND_JOBS": "off",
        }
    )


def signed_in(app: Any, email: str, password: str) -> Any:
    """A test client signed in through the login form (with its CSRF token), as a browser is."""
    client = app.test_client()
    page = client.get("/login", base_url=BASE).text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "email": email, "password": password}
    headers = {"Referer": f"{BASE}/login"}  # HTTPS: Flask-WTF checks the referrer
    response = client.post("/login", base_url=BASE, data=form, headers=headers)
    assert response.status_code == 302, response.status_code
    return client


def floor_cpu(work: Path, repeat: int) -> float:
    """CPU milliseconds per request of the floor app, in-process."""
    make_database(str(work / "floor.db"))
    os.environ["FLOOR_DATABASE"] = str(work / "floor.db")
    client = create_floor().test_client()
    client.get("/")
    start = time.process_time()
    for _ in range(repeat):
        client.get("/")
    return (time.process_time() - start) / repeat * 1000


def main() -> None:
    """Seed, then profile each page at each size and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--page", action="append", help="only these pages (by name)")
    parser.add_argument("--sort", default="tottime", choices=("tottime", "cumulative"))
    parser.add_argument("--plain", action="store_true", help="CPU time only, no profiler")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="profile-pages-"))
    url = f"sqlite:///{work / 'readiness.db'}"
    seeded, _queries = seed(url, SIZES, work / "reports", measure=False)
    app = production_app(url, work / "reports")
    summary = []
    for size in SIZES:
        ids = seeded[size]
        client = signed_in(app, ids["email"], ids["password"])
        for name, path in pages(ids).items():
            if name == "login" or (args.page and name not in args.page):
                continue
            assert client.get(path, base_url=BASE).status_code == 200, path
            if args.plain:
                start = time.process_time()
                for _ in range(args.repeat):
                    client.get(path, base_url=BASE)
                summary.append((size, name, (time.process_time() - start) / args.repeat * 1000))
                continue
            profile = cProfile.Profile()
            start = time.process_time()
            profile.enable()
            for _ in range(args.repeat):
                client.get(path, base_url=BASE)
            profile.disable()
            ms = (time.process_time() - start) / args.repeat * 1000
            summary.append((size, name, ms))
            out = io.StringIO()
            stats = pstats.Stats(profile, stream=out)
            stats.sort_stats(args.sort).print_stats(args.top)
            print(f"===== {name} at {size}: {ms:.1f} ms CPU per request (profiled) =====")
            print("\n".join(out.getvalue().splitlines()[6:]))
    print(f"{'assessments':>11} | {'page':<18} | CPU ms{'' if args.plain else ' (profiled)'}")
    for size, name, ms in summary:
        print(f"{size:>11} | {name:<18} | {ms:.1f}")
    print(f"{'':>11} | {'floor':<18} | {floor_cpu(work, args.repeat * 5):.1f}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process (seeding included): {rss:.0f} MB")
    app.extensions["readiness.db"]["engine"].dispose()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
