"""Run a memory-hungry rendering (WeasyPrint PDFs) in a short-lived forked child process.

WeasyPrint, Pango and the CJK fonts add about 80 MB to a process that renders a PDF once, and
that memory stays with a long-lived web worker. Rendering in a forked child (copy-on-write, so it
starts at once with the app already loaded) leaves the worker as small as before. The setting
ISOLATE_RENDERING (default on) switches it off, e.g. for tests that patch the renderer.
"""

from __future__ import annotations

import os
import pickle
import traceback
from collections.abc import Callable
from typing import Any
from typing import TypeVar

from flask import current_app

T = TypeVar("T")


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
    with os.fdopen(read_end, "rb") as pipe:
        payload = pipe.read()
    os.waitpid(pid, 0)
    if not payload:
        raise RenderingFailed("the rendering process ended without a result")
    ok, value = pickle.loads(payload)  # noqa: S301 (our own child's output)
    if not ok:
        raise RenderingFailed(value)
    return value
