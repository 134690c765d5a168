"""A small in-process LRU cache for what a submitted assessment's pages compute or render.

A submission never changes (reopening and submitting again gives it a new submission time), so
whatever is derived from it can be kept under a key that names the submission: its ID, its
submission time, the language and the organisation's name. Bounded, so memory stays flat.

`fragment` keeps rendered HTML the same way, keyed by everything it shows (the caller passes a
digest of what may change: the plan, the rows of a list); the signed-in user's CSRF token is
put in after the cache, never kept in it.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any
from typing import Generic
from typing import TypeVar

from flask import current_app
from flask import g
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from markupsafe import escape

T = TypeVar("T")
# Stands for the reader's CSRF token in kept fragments; random per process, so that no text a
# user typed (a title, a comment) can contain it and be replaced.
CSRF_SLOT = f"__csrf_{secrets.token_hex(8)}__"


class PageCache(Generic[T]):
    """At most `size` values, least recently used dropped first; safe across threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], T]) -> T:
        """The value kept under `key`, else `make()` kept under it."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget everything (tests, or after questionnaires or translations change)."""
        with self._lock:
            self._items.clear()


def app_cache(name: str, size: int) -> PageCache[Any]:
    """The current app's cache called `name` (each app has its own, like its database)."""
    caches = current_app.extensions.setdefault("page_caches", {})
    return caches.setdefault(name, PageCache(size))


def digest(value: Any) -> str:
    """A short, stable fingerprint of plain data (tuples, lists, dataclasses, datetimes).

    It reads `repr`, so a dict or a list counts in its order: build them from ordered queries
    (or sort them) so that equal data gives an equal key.
    """
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()[:16]


def fragment(name: str, size: int, key: Hashable, render: Callable[[str], str]) -> Markup:
    """Rendered HTML kept under `key`; `render(csrf)` writes `csrf` where a form's token goes."""
    html = app_cache(name, size).get_or_make(key, lambda: _render_with_slot(render))
    if CSRF_SLOT in html:
        html = html.replace(CSRF_SLOT, str(escape(generate_csrf())))
    return Markup(html)  # noqa: S704 - rendered by our autoescaping templates


@dataclass(frozen=True)
class Piece:
    """A kept fragment not fetched yet: a template shows it by `{{ piece }}` (its __html__).

    A page that is kept whole puts `key` in its own key and fetches the piece only when it
    renders.
    """

    name: str
    size: int
    key: Hashable
    render: Callable[[str], str]

    def __html__(self) -> str:
        """The fragment's HTML (kept, with the reader's CSRF token put in)."""
        return fragment(self.name, self.size, self.key, self.render)


def _render_with_slot(render: Callable[[str], str]) -> str:
    """`render(CSRF_SLOT)`, with WTForms' own CSRF fields writing the placeholder too.

    Flask-WTF keeps the request's signed token in `g`; while a kept fragment renders, that is
    the placeholder, so a form's hidden_tag() in it never puts one reader's token in the cache.
    """
    name = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    saved = g.pop(name, None)
    setattr(g, name, CSRF_SLOT)
    try:
        return str(render(CSRF_SLOT))
    finally:
        g.pop(name, None)
        if saved is not None:
            setattr(g, name, saved)
