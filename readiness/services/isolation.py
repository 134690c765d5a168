"""Run a memory-hungry rendering (WeasyPrint PDFs) in a short-lived forked child process.

WeasyPrint, Pango and the CJK fonts add about 80 MB to a process that renders a PDF once, and
that memory stays with a long-lived web worker. Rendering in a forked child (copy-on-write, so it
starts at once with the app already loaded) leaves the worker as small as before. The setting
ISOLATE_RENDERING (default on) switches it off, e.g. for tests that patch the renderer.

A child forked from a process with other threads can block for ever on a lock one of them held
at the fork (seen with a threaded development server during a parallel test run). The parent
therefore waits at most ISOLATED_RENDER_TIMEOUT seconds (default 120): a child that has not
answered by then is killed and the work is done in this process instead, so a download is slow
once rather than never.
"""

from __future__ import annotations

import logging
import os
import pickle
import selectors
import signal
import time
import traceback
from collections.abc import Callable
from typing import Any
from typing import TypeVar

from flask import current_app

T = TypeVar("T")
log = logging.getLogger(__name__)
DEFAULT_TIMEOUT = 120.0  # seconds; a PDF takes about one


class ChildTimedOut(RuntimeError):
    """The child did not answer in time (it was killed)."""


class RenderingFailed(RuntimeError):
    """The child process rendering a document failed; the message carries its traceback."""


def run_isolated(func: Callable[..., T], *args: Any) -> T:
    """`func(*args)` in a forked child inside the current app's context; its result or error."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("ISOLATE_RENDERING", True) or not hasattr(os, "fork"):
        return func(*args)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: render, send the pickled outcome, leave without cleanup handlers
        os.close(read_end)
        code = 0
        try:
            with app.app_context():
                outcome: tuple[bool, Any] = (True, func(*args))
        except BaseException:  # noqa: BLE001 (reported to the parent, which raises)
            outcome, code = (False, traceback.format_exc()), 1
        try:
            with os.fdopen(write_end, "wb") as pipe:
                pickle.dump(outcome, pipe)
        finally:
            os._exit(code)
    os.close(write_end)
    try:
        payload = _read_within(
            read_end, pid, float(app.config.get("ISOLATED_RENDER_TIMEOUT", DEFAULT_TIMEOUT))
        )
    except ChildTimedOut:
        log.warning("rendering child %s did not answer in time; rendering in this process", pid)
        return func(*args)
    if not payload:
        raise RenderingFailed("the rendering process ended without a result")
    ok, value = pickle.loads(payload)  # noqa: S301 (our own child's output)
    if not ok:
        raise RenderingFailed(value)
    return value


def _read_within(fd: int, pid: int, timeout: float) -> bytes:
    """Everything the child writes to `fd` until it closes it, then reap the child; past
    `timeout` seconds kill and reap it and raise ChildTimedOut."""
    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    with selectors.DefaultSelector() as selector, os.fdopen(fd, "rb", buffering=0) as pipe:
        selector.register(pipe, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(left):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                raise ChildTimedOut(pid)
            chunk = pipe.read(1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    os.waitpid(pid, 0)
    return b"".join(chunks)
