"""Run the flagship's stability property tests over many generated firms and print the figures.

.venv/bin/python benchmarks/stability.py [EXAMPLES]   (default 2000 firms per property)
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    """Run tests/domain/test_stability.py with many examples; print the time it took."""
    examples = sys.argv[1] if len(sys.argv) > 1 else "2000"
    env = {**os.environ, "READINESS_STABILITY_EXAMPLES": examples}
    start = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:randomly",
            "tests/domain/test_stability.py",
        ],
        cwd=ROOT,
        env=env,
        check=False,
    )
    elapsed = time.perf_counter() - start
    print(f"{examples} generated firms per property: exit {result.returncode}, {elapsed:.1f} s")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
