"""Background jobs: in a thread of this process by default, on an RQ queue on Redis with REDIS_URL.

A job is a module-level function taking plain arguments; it runs inside an app context. With
REDIS_URL set the job goes to the RQ queue "readiness", served by `readiness worker`, so any app
instance may enqueue and any worker may run it. BACKGROUND_JOBS chooses the in-process mode:
"thread" (default: one background thread per process), "sync" (run at once, for tests) or "off".
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from flask import Flask
from flask import current_app

QUEUE_NAME = "readiness"
MODES = ("thread", "sync", "off")

log = logging.getLogger(__name__)
_worker_app: Flask | None = None  # the app an RQ worker runs jobs in (set by `readiness worker`)


def _path(func: Callable[..., Any]) -> str:
    return f"{func.__module__}:{func.__qualname__}"


def _resolve(path: str) -> Callable[..., Any]:
    module, name = path.split(":", 1)
    return getattr(importlib.import_module(module), name)


def run_in_app(app: Flask, path: str, *args: Any) -> None:
    """Run the job `path` ("module:function") with `args` in an app context; failures are logged."""
    with app.app_context():
        try:
            _resolve(path)(*args)
        except Exception:
            log.exception("background job %s%r failed", path, args)
            raise


class InProcess:
    """Jobs in this process: one background thread (created lazily, after a server forks)."""

    def __init__(self, app: Flask, mode: str) -> None:
        self.app = app
        self.mode = mode
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def enqueue(self, path: str, *args: Any) -> Future[None] | None:
        """Run the job now (sync), in the background thread (thread), or not at all (off)."""
        if self.mode == "off":
            return None
        if self.mode == "sync":
            run_in_app(self.app, path, *args)
            return None
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="readiness-job")
        return self._pool.submit(run_in_app, self.app, path, *args)

    def shutdown(self) -> None:
        """Wait for the jobs already queued, then stop the thread (an app's end, e.g. in tests)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)


class RedisQueue:
    """Jobs on the RQ queue of REDIS_URL, run by `readiness worker` processes."""

    def __init__(self, url: str) -> None:
        from redis import Redis
        from rq import Queue

        self.connection = Redis.from_url(url)
        self.queue = Queue(QUEUE_NAME, connection=self.connection)

    def enqueue(self, path: str, *args: Any) -> None:
        """Put the job on the queue (the worker runs it in its app)."""
        self.queue.enqueue(perform, path, *args, job_timeout=600)


def perform(path: str, *args: Any) -> None:
    """Run a queued job inside the worker's app (RQ calls this)."""
    global _worker_app
    if _worker_app is None:
        from readiness import create_app

        _worker_app = create_app()
    run_in_app(_worker_app, path, *args)


def set_worker_app(app: Flask) -> None:
    """The app queued jobs run in (the `readiness worker` command sets it before working)."""
    global _worker_app
    _worker_app = app


def init_app(app: Flask) -> None:
    """Choose the app's job runner: RQ on REDIS_URL if set, else in-process (BACKGROUND_JOBS)."""
    mode = app.config.get("BACKGROUND_JOBS", "thread")
    url = app.config.get("REDIS_URL")
    if url and mode != "off":
        app.extensions["jobs"] = RedisQueue(url)
    else:
        app.extensions["jobs"] = InProcess(app, mode)


def shutdown(app: Flask) -> None:
    """Let the app's in-process jobs finish (nothing to do for a Redis queue: workers run them)."""
    runner = app.extensions.get("jobs")
    if isinstance(runner, InProcess):
        runner.shutdown()


def enqueue(func: Callable[..., Any], *args: Any) -> Any:
    """Run `func(*args)` in the background, in an app context (see the module docstring)."""
    return current_app.extensions["jobs"].enqueue(_path(func), *args)
