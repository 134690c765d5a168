"""Who may see what: Flask-Login setup, the active organisation, the member_required decorator."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from typing import TypeVar

from flask import Flask
from flask import abort
from flask import g
from flask import jsonify
from flask import redirect
from flask import request
from flask import session
from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_login import login_required
from werkzeug.wrappers import Response

from readiness.db import get_session
from readiness.extensions import login_manager
from readiness.models import ROLES
from readiness.models import Membership
from readiness.models import Organisation
from readiness.models import User
from readiness.services import accounts

__all__ = [
    "current_membership",
    "current_organisation",
    "init_login",
    "login_required",
    "member_required",
    "set_active_organisation",
    "wants_json",
]

F = TypeVar("F", bound=Callable[..., Any])
ACTIVE_ORG_KEY = "active_org_id"
READ_METHODS = ("GET", "HEAD", "OPTIONS")


def wants_json() -> bool:
    """Whether the client prefers JSON to HTML (API calls, fetch requests)."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def _load_user(session_id: str) -> User | None:
    """Flask-Login's user loader: the user whose ID and current session token the session holds."""
    return accounts.user_for_session_id(get_session(), session_id)


def _unauthorized() -> Response:
    """Anonymous users: 401 for JSON clients, otherwise a redirect to the login page."""
    if wants_json():
        response = jsonify(error=401, message=str(_l("Please sign in.")))
        response.status_code = 401
        return response
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def init_login(app: Flask) -> None:
    """Bind Flask-Login: the user loader and the anonymous-user behaviour."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"
    login_manager.user_loader(_load_user)
    login_manager.unauthorized_handler(_unauthorized)


def set_active_organisation(organisation_id: int | None) -> None:
    """Remember which of the user's organisations the pages show (None forgets it)."""
    if organisation_id is None:
        session.pop(ACTIVE_ORG_KEY, None)
    else:
        session[ACTIVE_ORG_KEY] = organisation_id
    g.pop("active_membership", None)
    g.pop("user_memberships", None)


def user_memberships() -> list[Membership]:
    """The signed-in user's memberships, read once per request (navigation and checks share it)."""
    if not current_user.is_authenticated:
        return []
    if "user_memberships" not in g:
        # A page that only reads checks roles from these (no query per check); a change reads
        # the membership again in its own transaction.
        keep = request.method in READ_METHODS
        g.user_memberships = accounts.memberships_of(get_session(), current_user, keep=keep)
    return g.user_memberships


def has_role(organisation_id: int, min_role: str) -> bool:
    """Whether the signed-in user's role in the organisation is at least `min_role`.

    For what a page offers (buttons, forms), from the memberships read once per request; the
    services check the role again, in their transaction, when the action is taken.
    """
    membership = next((m for m in user_memberships() if m.organisation_id == organisation_id), None)
    return membership is not None and ROLES.index(membership.role) >= ROLES.index(min_role)


def current_membership() -> Membership | None:
    """The signed-in user's membership of the active organisation (their first one by default)."""
    if not current_user.is_authenticated:
        return None
    if "active_membership" not in g:
        memberships = user_memberships()
        active_id = session.get(ACTIVE_ORG_KEY)
        chosen = next((m for m in memberships if m.organisation_id == active_id), None)
        g.active_membership = chosen or (memberships[0] if memberships else None)
    return g.active_membership


def current_organisation() -> Organisation | None:
    """The active organisation of the signed-in user, or None if they belong to none."""
    membership = current_membership()
    return membership.organisation if membership else None


def member_required(min_role: str = "viewer", write_role: str | None = None) -> Callable[[F], F]:
    """Require membership of the organisation `org_id` in the URL (else of the active one).

    `min_role` applies to every request, `write_role` (if given) to non-GET requests. Sets
    `g.membership` and `g.organisation`. Non-members get 404, too-low roles 403, users
    without any organisation a redirect to create one.
    """

    def decorator(view: F) -> F:
        @functools.wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            role = min_role
            if write_role is not None and request.method not in READ_METHODS:
                role = write_role
            org_id = kwargs.get("org_id")
            if org_id is None:
                active = current_membership()
                if active is None:
                    return redirect(url_for("organisations.create"))
                org_id = active.organisation_id
            user_memberships()  # read once: the navigation and the role checks share them
            try:
                membership = accounts.require_role(get_session(), current_user, org_id, role)
            except accounts.NotFound:
                abort(404)
            except accounts.Forbidden:
                abort(403)
            g.membership = membership
            g.organisation = membership.organisation
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
