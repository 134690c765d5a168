"""Time the tree engine: MIIT 2024 answer sets, the flagship read as a tree, a crosswalk estimate.

Run: .venv/bin/python benchmarks/bench_tree.py [--runs N]. Pin to one core with `taskset -c 0`.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from readiness.domain.aggregation.crosswalk import crosswalk_problems  # noqa: E402
from readiness.domain.aggregation.crosswalk import estimate  # noqa: E402
from readiness.domain.aggregation.engine import evaluate  # noqa: E402
from readiness.domain.aggregation.legacy import evaluate_format_1  # noqa: E402
from readiness.domain.answers import AnswerSet  # noqa: E402
from readiness.domain.loading import load_instrument  # noqa: E402
from readiness.domain.loading import load_questionnaire  # noqa: E402
from readiness.domain.reading import read_questionnaire_file  # noqa: E402
from readiness.domain.scoring import score  # noqa: E402

Q = ROOT / "readiness" / "questionnaires"
CROSSWALK = ROOT / "readiness" / "crosswalks"


def _miit_answers(instrument, rng: random.Random) -> dict:
    answers: dict = {}
    for item in instrument.items:
        if item.type == "level":
            answers[item.id] = rng.choice([lv.level for lv in item.levels])
        elif item.type == "multiple_choice":
            plain = [o.id for o in item.options if not o.exclusive]
            answers[item.id] = tuple(rng.sample(plain, rng.randint(0, len(plain))))
        else:
            answers[item.id] = rng.choice(item.options).id
    return answers


def _median_ms(work, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    """Print the median time of each operation over N runs of 100 answer sets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(12)
    miit = load_instrument(Q / "miit-sme-digital-2024" / "1.yaml")
    flagship = load_questionnaire(Q / "smart-manufacturing-readiness" / "1.yaml")
    sets = [_miit_answers(miit, rng) for _ in range(100)]
    flagship_answers = AnswerSet({"infrastructure.equipment_connected": 35.0})
    path = next(CROSSWALK.glob("*.yaml"))
    crosswalk, _ = crosswalk_problems(read_questionnaire_file(path).data, str(path), flagship, miit)
    rows = [
        ("MIIT 2024, 100 answer sets", lambda: [evaluate(miit, a) for a in sets]),
        (
            "flagship through the tree, 100 times",
            lambda: [evaluate_format_1(flagship, flagship_answers) for _ in range(100)],
        ),
        (
            "flagship, format-1 scoring, 100 times",
            lambda: [score(flagship, flagship_answers) for _ in range(100)],
        ),
        (
            "crosswalk estimate (two MIIT evaluations), 100 times",
            lambda: [estimate(crosswalk, miit, flagship_answers) for _ in range(100)],
        ),
    ]
    for label, work in rows:
        total = _median_ms(work, args.runs)
        print(f"{label}: {total:.1f} ms in all, {total / 100:.3f} ms each (median of {args.runs})")


if __name__ == "__main__":
    main()
