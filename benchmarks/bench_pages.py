"""Page throughput as data grows: every key page at 5 and 1,000 assessments, against the floor.

Starts the app and a minimal "floor" app (one SQLite query, a small template) under the same
gunicorn settings (2 sync workers), seeds one organisation with 5 submitted assessments and
another with 1,000, drives every key page with wrk (loopback, bounded in time) and prints one
table: req/s, p50, p99, share of the floor, queries per page, and the workers' memory after a
warm-up of every page and report type.

Run: .venv/bin/python benchmarks/bench_pages.py [--duration 5] [--connections 32]
Needs Debian's wrk (`apt-get install -y wrk`).
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from benchmarks.bench_seed import seed  # noqa: E402
from benchmarks.floor_app import make_database  # noqa: E402

GUNICORN = [sys.executable, "-m", "gunicorn", "--workers", "2", "--worker-class", "sync"]
SIZES = (5, 1000)


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(app: str, env: dict[str, str], log: Path) -> tuple[subprocess.Popen, int]:
    """Start gunicorn serving `app` on a free loopback port; wait until it answers."""
    port = free_port()
    command = [*GUNICORN, "--bind", f"127.0.0.1:{port}", "--timeout", "120", app]
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/favicon.ico" if "readiness" in app else "/")
            connection.getresponse().read()
            return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"{app} did not start; see {log}")


def stop_server(process: subprocess.Popen) -> None:
    """Stop a gunicorn master (and its workers) that this script started."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def load_average() -> str:
    """The machine's 1-, 5- and 15-minute load averages, for the record (the machine is shared)."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def worker_memory(master: subprocess.Popen) -> list[float]:
    """The resident memory (MB) of each gunicorn worker of `master`."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master.pid}$", text, re.M):
            rss = re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)
            if rss:
                sizes.append(int(rss.group(1)) / 1024)
    return sorted(sizes)


def request(port: int, path: str, cookie: str = "", method: str = "GET", body: str = "") -> Any:
    """One HTTP request; returns the response with its body read into .body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Cookie": cookie} if cookie else {}
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body or None, headers=headers)
    response = connection.getresponse()
    response.body = response.read()
    return response


def sign_in(port: int, email: str, password: str) -> str:
    """Sign in through the login form; returns the Cookie header of the session."""
    page = request(port, "/login")
    cookie = _session_cookie(page) or ""
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page.body)
    if token is None:
        token = re.search(
            rb'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', page.body
        )
    from urllib.parse import urlencode

    form = urlencode({"csrf_token": token.group(1).decode(), "email": email, "password": password})
    response = request(port, "/login", cookie, "POST", form)
    if response.status != 302:
        raise SystemExit(f"sign-in failed ({response.status})")
    cookie = _session_cookie(response) or cookie
    # Sign-in starts a fresh session; the first page adds the CSRF token to it. A browser keeps
    # that cookie, so wrk must too: with the sign-in cookie every request would make a new token
    # and send a new session cookie, which no browser's requests do.
    return _session_cookie(request(port, "/", cookie)) or cookie


def _session_cookie(response: Any) -> str | None:
    for header in response.headers.get_all("Set-Cookie") or ():
        if header.startswith("session="):
            return header.split(";", 1)[0]
    return None


def wrk(port: int, path: str, cookie: str, duration: int, connections: int) -> dict[str, float]:
    """req/s, p50 and p99 (ms) of `path` under wrk; non-2xx answers are counted as errors."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "30s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": rate,
        "p50": _ms(re.search(r"50%\s+([\d.]+\w+)", output).group(1)),
        "p99": _ms(re.search(r"99%\s+([\d.]+\w+)", output).group(1)),
        "errors": float(errors.group(1)) if errors else 0.0,
    }


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def pages(ids: dict[str, Any]) -> dict[str, str]:
    """The key pages of one seeded organisation."""
    done, before = ids["submitted"][-1], ids["submitted"][-2]
    return {
        "login": "/login",
        "dashboard": "/",
        "assessments list": "/assessments/",
        "questionnaire page": f"/assessments/{ids['draft']}/pillars/{ids['first_pillar']}",
        "results": f"/assessments/{done}/results",
        "report (HTML)": f"/assessments/{done}/report",
        "history": "/compare/history",
        "comparison of two": f"/compare/?ids={before}&ids={done}",
    }


def warm_up(port: int, cookie: str, ids: dict[str, Any]) -> float:
    """Every page and report type once (both languages); returns the first PDF download's time."""
    done, before = ids["submitted"][-1], ids["submitted"][-2]
    start = time.perf_counter()
    assert request(port, f"/assessments/{done}/report.pdf", cookie).status == 200
    first_pdf = time.perf_counter() - start
    for lang in ("en", "zh"):
        for path in pages(ids).values():
            request(port, f"{path}{'&' if '?' in path else '?'}lang={lang}", cookie)
        for fmt in ("pdf", "docx", "xlsx", "csv", "json"):
            request(port, f"/assessments/{done}/report.{fmt}?lang={lang}", cookie)
        for fmt in ("html", "pdf", "csv"):
            request(port, f"/compare/report.{fmt}?ids={before}&ids={done}&lang={lang}", cookie)
    request(port, "/?lang=en", cookie)
    return first_pdf


def main() -> None:
    """Seed, serve, load, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    work = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    database = f"sqlite:///{work / 'readiness.db'}"
    print(f"seeding {' and '.join(map(str, SIZES))} assessments in {work} …", flush=True)
    seeded, queries = seed(database, SIZES, work / "reports")
    make_database(str(work / "floor.db"))
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "SECRET_KEY": "bench-pages-secret",
        "READINESS_ENV": "production",
        "READINESS_INSTANCE_PATH": str(work),
        "REPORT_CACHE_DIR": str(work / "reports"),
        "FLOOR_DATABASE": str(work / "floor.db"),
        "PYTHONPATH": str(ROOT),
    }
    floor, floor_port = start_server("benchmarks.floor_app:create_app()", env, work / "floor.log")
    app, port = start_server("readiness:create_app()", env, work / "app.log")
    rows = []
    try:
        first_pdf = {}
        cookies = {}
        for size in SIZES:
            ids = seeded[size]
            cookies[size] = sign_in(port, ids["email"], ids["password"])
            first_pdf[size] = warm_up(port, cookies[size], ids)
        memory = worker_memory(app)
        loads = [load_average()]
        for size in SIZES:
            for name, path in pages(seeded[size]).items():
                cookie = "" if name == "login" else cookies[size]
                # The floor is measured right before each page, so that both see the same load
                # on a shared machine; the share compares the two.
                floor_result = wrk(floor_port, "/", "", args.duration, args.connections)
                result = wrk(port, path, cookie, args.duration, args.connections)
                rows.append((size, name, result, floor_result, queries[size].get(name)))
            loads.append(load_average())
        memory_after = worker_memory(app)
    finally:
        stop_server(app)
        stop_server(floor)
    floors = [f["rps"] for _s, _n, _r, f, _q in rows]
    print()
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"{when}, {os.cpu_count()} CPUs, {platform.processor() or platform.machine()}")
    print(f"load average (1/5/15 min) before the load and after each size: {' | '.join(loads)}")
    print(f"floor (one SQLite query, small template): {min(floors):.0f}–{max(floors):.0f} req/s")
    print(
        f"{'assessments':>11} | {'page':<18} | {'req/s':>6} | {'p50 ms':>7} | {'p99 ms':>7} | "
        f"{'floor':>6} | {'share':>5} | {'queries':>7} | {'vs 5':>5} | {'CPU ms':>6} | {'vs 5':>5}"
    )
    print("-" * 112)
    at_five = {name: r["rps"] / f["rps"] for size, name, r, f, _q in rows if size == SIZES[0]}
    cpu_five = {name: q[1] for size, name, _r, _f, q in rows if size == SIZES[0] and q}
    for size, name, result, floor_result, measured in rows:
        share = result["rps"] / floor_result["rps"]
        ratio = at_five[name] / share if share else float("inf")
        count, cpu = measured if measured else ("", None)
        cpu_text = f"{cpu:>6.1f} | {cpu / cpu_five[name]:>4.2f}×" if cpu else f"{'':>6} | {'':>5}"
        errors = f"  ({result['errors']:.0f} non-2xx!)" if result["errors"] else ""
        print(
            f"{size:>11} | {name:<18} | {result['rps']:>6.0f} | {result['p50']:>7.1f} | "
            f"{result['p99']:>7.1f} | {floor_result['rps']:>6.0f} | {share * 100:>4.0f}% | "
            f"{count:>7} | {ratio:>4.2f}× | {cpu_text}{errors}"
        )
    print("(vs 5: the share of the floor at 5 assessments divided by the share here; CPU ms: one")
    print(" request in-process, mean of 30, and its ratio to the same page at 5 assessments)")
    print()
    for size in SIZES:
        print(f"first PDF download at {size}: {first_pdf[size]:.2f} s (pre-rendered after submit)")
    print(
        "gunicorn worker memory after a warm-up of every page and report type: "
        f"{', '.join(f'{m:.0f} MB' for m in memory)}; after the load: "
        f"{', '.join(f'{m:.0f} MB' for m in memory_after)}"
    )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
