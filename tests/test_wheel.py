"""The package as a user installs it: a wheel in a fresh virtualenv, run from outside the checkout.

Builds the wheel from this checkout, installs it with the app's lock file into a new virtualenv,
and then, in an empty directory with no checkout in it: migrates a database, lists the
questionnaires, renders a Chinese PDF report, and serves Chinese pages with gunicorn.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.paths import ROOT

pytestmark = pytest.mark.wheel

APP_LOCK = ROOT / "requirements-app.lock"
FULL_LOCK = ROOT / "requirements.lock"
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^\s\\]+)", re.MULTILINE)


def _pins(path: Path) -> dict[str, str]:
    return {name.lower(): version for name, version in PIN.findall(path.read_text())}


def test_the_app_lock_pins_what_the_full_lock_pins() -> None:
    """The production lock is the test lock narrowed to the app: same versions, nothing extra."""
    app, full = _pins(APP_LOCK), _pins(FULL_LOCK)
    assert app, "requirements-app.lock pins nothing"
    assert "pytest" not in app and "flask" in app
    assert {name: full.get(name) for name in app} == app


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: int = 600) -> str:
    result = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh virtualenv with the wheel and the app's locked dependencies; its bin folder."""
    work = tmp_path_factory.mktemp("wheel")
    # Build from a copy of the tracked files, so the checkout gets no build/ or egg-info.
    source = work / "source"
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    for name in filter(None, files):
        target = source / name.decode()
        if (ROOT / name.decode()).is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name.decode(), target)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    dist = work / "dist"
    _run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "-w", str(dist), str(source)],
        cwd=work,
        env=env,
    )
    (wheel,) = dist.glob("readiness-*.whl")
    target = work / "venv"
    # No pip inside: the suite's pip installs into it (--python), and without compiling every
    # module to bytecode first (Python does that on import), which halves the install time.
    venv.EnvBuilder(with_pip=False).create(target)
    pip = [sys.executable, "-m", "pip", "--python", str(target / "bin" / "python"), "install"]
    pip += ["--quiet", "--no-compile"]
    _run([*pip, "--require-hashes", "-r", str(APP_LOCK)], cwd=work, env=env)
    _run([*pip, "--no-deps", str(wheel)], cwd=work, env=env)
    yield target / "bin"


@pytest.fixture
def site(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """An empty directory outside the checkout, and a production environment for it."""
    folder = tmp_path / "site"
    folder.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(
        READINESS_ENV="production",
        SECRET_KEY="wheel-test-secret",
        DATABASE_URL=f"sqlite:///{folder / 'readiness.db'}",
        READINESS_LANG="en",
    )
    env.pop("QUESTIONNAIRE_DIR", None)
    return folder, env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, language: str) -> str:
    request = urllib.request.Request(url, headers={"Accept-Language": language})
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback only
        return response.read().decode("utf-8")


def test_the_installed_wheel_runs_outside_the_checkout(installed: Path, site) -> None:
    folder, env = site
    python = installed / "python"
    location = _run([str(python), "-c", "import readiness; print(readiness.__file__)"], folder, env)
    assert not Path(location.strip()).is_relative_to(ROOT), location

    upgraded = _run([str(installed / "readiness"), "db", "upgrade"], folder, env)
    assert "Database upgraded to head." in upgraded

    listed = _run([str(installed / "readiness"), "questionnaire", "list"], folder, env)
    ids = [line.split("\t")[0] for line in listed.splitlines()]
    assert {"miit-sme-digital-2024", "smart-manufacturing-readiness"} <= set(ids), listed
    # the crosswalks ship too: the flagship's score carries the MIIT estimate
    flagship = folder / "flagship.json"
    flagship.write_text(json.dumps({"answers": {}}), encoding="utf-8")
    command = ["score", "smart-manufacturing-readiness", str(flagship), "--version", "1"]
    scored = json.loads(_run([str(installed / "readiness"), *command], folder, env))
    assert scored["crosswalks"][0]["questionnaire"]["id"] == "miit-sme-digital-2024"

    answers = folder / "answers.json"
    answers.write_text(json.dumps({"answers": {}}), encoding="utf-8")
    pdf = folder / "report.pdf"
    _run(
        [str(installed / "readiness"), "report", str(answers), "--questionnaire",
         "smart-manufacturing-readiness", "--format", "pdf", "--lang", "zh", "-o", str(pdf)],
        folder,
        env,
    )
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "就绪度" in text, text[:500]

    port = _free_port()
    server = subprocess.Popen(
        [str(installed / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "readiness:create_app()"],
        cwd=folder,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        page = ""
        for _attempt in range(100):
            try:
                page = _get(f"http://127.0.0.1:{port}/login", "zh-CN,zh;q=0.9")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                time.sleep(0.1)
        assert 'lang="zh' in page, page[:300]
        assert "登录" in page
        english = _get(f"http://127.0.0.1:{port}/login", "en-GB")
        assert "Sign in" in english
    finally:
        server.terminate()
        server.wait(timeout=10)
