"""Where a page's time goes: cProfile of each key page in-process, at 5 and 1,000 assessments.

Seeds the same data as bench_pages.py (SQLite in a temporary directory), signs in with the test
client, warms every page, then profiles `--repeat` requests of each and prints the mean CPU
milliseconds per request and the functions with the most own time (tottime) and cumulative time.

Run: .venv/bin/python benchmarks/profile_pages.py [--repeat 30] [--top 15] [--page results]
     (--plain: only the CPU milliseconds per request, without the profiler's overhead)
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from benchmarks.bench_pages import SIZES  # noqa: E402
from benchmarks.bench_pages import pages  # noqa: E402
from benchmarks.bench_seed import app_for  # noqa: E402
from benchmarks.bench_seed import seed  # noqa: E402


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
    app = app_for(url, work / "reports")
    summary = []
    for size in SIZES:
        ids = seeded[size]
        client = app.test_client()
        client.post("/login", data={"email": ids["email"], "password": ids["password"]})
        for name, path in pages(ids).items():
            if name == "login" or (args.page and name not in args.page):
                continue
            assert client.get(path).status_code == 200, path
            if args.plain:
                start = time.process_time()
                for _ in range(args.repeat):
                    client.get(path)
                summary.append((size, name, (time.process_time() - start) / args.repeat * 1000))
                continue
            profile = cProfile.Profile()
            start = time.process_time()
            profile.enable()
            for _ in range(args.repeat):
                client.get(path)
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
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process (seeding included): {rss:.0f} MB")
    app.extensions["readiness.db"]["engine"].dispose()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
