"""Recording audit events from a request: who is signed in and where the request came from."""

from __future__ import annotations

from typing import Any

from flask import request

from readiness.db import get_session
from readiness.models import User
from readiness.services import audit


def origin() -> audit.Origin:
    """The client address and user agent of the current request.

    The address is the one the WSGI server saw; behind a proxy, wrap the app in Werkzeug's
    ProxyFix so that it is the client's.
    """
    return audit.Origin(request.remote_addr, request.headers.get("User-Agent"))


def note(action: str, actor: User | None = None, **fields: Any) -> None:
    """Record one event of the current request in the audit log (its own transaction)."""
    audit.record(get_session(), action, actor=actor, origin=origin(), **fields)
