"""Time PDF generation of a complete flagship report (median of several runs, English and Chinese).

Run: .venv/bin/python benchmarks/bench_pdf.py [--runs N]. Pin to one core with `taskset -c 0`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from readiness import create_app  # noqa: E402
from readiness.services.report_render import render_html  # noqa: E402
from readiness.services.report_render import render_pdf  # noqa: E402
from readiness.services.reports import report_data  # noqa: E402
from tests.report_data import complete_answers  # noqa: E402


def main() -> None:
    """Render the flagship report N times per language and print the median and spread."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "bench"})
    with app.app_context():
        q = app.extensions["catalogue"].get(app.config["FLAGSHIP_QUESTIONNAIRE"])
        answers = complete_answers(q)
        print(f"{q.key}: {len(q.questions)} questions, {args.runs} runs per language")
        for lang in ("en", "zh"):
            data = report_data(
                q, answers, {}, lang=lang, organisation="Bench GmbH", filled_in_by="Benchmark"
            )
            render_pdf(data)  # warm-up: fonts and the template are loaded once per process
            times, size = [], 0
            for _ in range(args.runs):
                start = time.perf_counter()
                pdf = render_pdf(data)
                times.append(time.perf_counter() - start)
                size = len(pdf)
            html_start = time.perf_counter()
            render_html(data)
            html_ms = (time.perf_counter() - html_start) * 1000
            print(
                f"{lang}: PDF median {statistics.median(times):.3f} s "
                f"(min {min(times):.3f}, max {max(times):.3f}), {size / 1024:.0f} KiB; "
                f"HTML {html_ms:.1f} ms"
            )


if __name__ == "__main__":
    main()
