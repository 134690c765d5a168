"""The benchmarks still run: each imports, and the page benchmarks seed and reach every page.

They run on demand only (never timed here), so nothing else would notice when a change to the
services they call leaves them broken.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from tests.paths import ROOT

BENCHMARKS = sorted(p.stem for p in (ROOT / "benchmarks").glob("*.py"))


@pytest.mark.parametrize("name", BENCHMARKS)
def test_every_benchmark_imports(name: str) -> None:
    importlib.import_module(f"benchmarks.{name}")


def test_the_page_benchmarks_seed_and_every_page_answers(tmp_path: Path) -> None:
    from benchmarks.bench_pages import pages
    from benchmarks.bench_seed import REAL
    from benchmarks.bench_seed import app_for
    from benchmarks.bench_seed import seed

    url = f"sqlite:///{tmp_path / 'bench.db'}"
    seeded, _ = seed(url, (REAL,), tmp_path / "reports", measure=False)
    ids = seeded[REAL]
    app = app_for(url, tmp_path / "reports")
    client = app.test_client()
    form = {"email": ids["email"], "password": ids["password"]}
    assert client.post("/login", data=form).status_code == 302
    for name, path in pages(ids).items():
        if name != "login":
            assert client.get(path).status_code == 200, name
    app.extensions["readiness.db"]["engine"].dispose()
