"""Time a failed sign-in for a registered and an unknown address (scrypt both ways; issue 10).

Run: .venv/bin/python benchmarks/bench_login_timing.py [--runs N]. The two medians should be
close: an unknown address costs the same password-hash check as a known one.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from sqlalchemy.orm import Session  # noqa: E402

from readiness import migrate  # noqa: E402
from readiness.db import make_engine  # noqa: E402
from readiness.services import accounts  # noqa: E402


def _failed_login(session: Session, email: str) -> float:
    start = time.perf_counter()
    try:
        accounts.authenticate(session, email, "wrong password, surely")
    except accounts.InvalidCredentials:
        pass
    return time.perf_counter() - start


def main() -> None:
    """Print the median time of failed sign-ins for a known and an unknown address."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        migrate.upgrade(url)
        engine = make_engine(url)
        with Session(engine) as session:
            accounts.register_user(session, "known@example.com", "Known", "a long password 1")
            _failed_login(session, "ghost@example.com")  # warm-up: the dummy hash is made once
            times: dict[str, list[float]] = {"known@example.com": [], "ghost@example.com": []}
            for _ in range(args.runs):  # interleaved, so that load on the machine hits both
                for email, values in times.items():
                    values.append(_failed_login(session, email))
        engine.dispose()
    print(f"failed sign-in, scrypt ({accounts.PASSWORD_HASH_METHOD}), {args.runs} runs each")
    for email, values in times.items():
        print(
            f"  {email:<20} median {statistics.median(values) * 1000:6.1f} ms"
            f"  (min {min(values) * 1000:.1f}, max {max(values) * 1000:.1f})"
        )


if __name__ == "__main__":
    main()
