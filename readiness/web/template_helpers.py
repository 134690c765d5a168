"""What every template sees: the active organisation, the kept page header, endpoint helpers."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from collections.abc import Hashable
from typing import Any

from flask import Flask
from flask import current_app
from flask import g
from flask import get_flashed_messages
from flask import render_template
from flask import request
from flask import url_for
from flask_login import current_user
from markupsafe import Markup
from markupsafe import escape
from werkzeug.routing import BuildError

from readiness.i18n import LANGUAGE_NAMES
from readiness.i18n import current_language
from readiness.web.access import current_membership
from readiness.web.access import user_memberships
from readiness.web.page_cache import fragment

KEEPING_PAGE = "readiness.keeping_page"  # g: a kept page is rendering
HEADERS = 64  # rendered page headers kept per app (one per reader, language and organisation)
# Stands for the page's own path in the kept header (the switchers come back to it); random per
# process, like the CSRF placeholder, so that no name a user typed can contain it.
NEXT_SLOT = f"__next_{secrets.token_hex(8)}__"


def has_endpoint(endpoint: str) -> bool:
    """Whether an endpoint is registered (so templates can link to pages other blueprints add)."""
    return endpoint in current_app.view_functions


def url_if(endpoint: str, **values: Any) -> str | None:
    """The URL of `endpoint`, or None when it is not registered or cannot be built."""
    if not has_endpoint(endpoint):
        return None
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def header_key() -> tuple[Any, ...]:
    """Everything the page header shows: language, script root, reader and organisations."""
    key: tuple[Any, ...] = (current_language(), request.script_root)
    if current_user.is_authenticated:
        active = current_membership()
        key += (
            current_user.id,
            current_user.name,
            tuple((m.organisation_id, m.organisation.name) for m in user_memberships()),
            active.organisation_id if active else None,
        )
    return key


def _here() -> str:
    """This page's path and query, escaped (where the header's switchers return)."""
    return str(escape(request.full_path.rstrip("?")))


def site_header() -> Markup:
    """The page header (navigation, organisation and language switchers, account), kept.

    Rendered once per header_key() and kept; the reader's CSRF token and this page's path
    (where the switchers return) are put in on every request, or by kept_page after its cache.
    """
    key = header_key()

    def render(csrf: str) -> str:
        # no token field when CSRF protection is off (as WTForms renders the forms then)
        enabled = current_app.config.get("WTF_CSRF_ENABLED", True)
        return render_template("_site_header.html", csrf=csrf if enabled else "", next=NEXT_SLOT)

    html = str(fragment("site_headers", HEADERS, key, render))
    if g.get(KEEPING_PAGE):
        return Markup(html)  # noqa: S704 - kept_page puts the path in
    return Markup(html.replace(NEXT_SLOT, _here()))  # noqa: S704 - escaped in _here


def kept_page(name: str, size: int, key: Hashable, render: Callable[[], str]) -> str:
    """A whole page (layout included), kept under `key` and the reader's header_key().

    `key` must name everything the page shows besides the header. While a flash message waits
    to be shown the page is rendered anew (a message is shown once). The reader's CSRF token
    and the page's path are put in after the cache.
    """
    if get_flashed_messages():
        return render()

    def make(_csrf: str) -> str:
        g.setdefault(KEEPING_PAGE, True)
        try:
            return render()
        finally:
            g.pop(KEEPING_PAGE, None)

    html = str(fragment(name, size, (key, header_key()), make))
    return html.replace(NEXT_SLOT, _here())


def _navigation() -> dict[str, Any]:
    """Context for every template: memberships, active organisation, language, the header."""
    context: dict[str, Any] = {
        "language_names": LANGUAGE_NAMES,
        "current_locale": current_language(),
        "has_endpoint": has_endpoint,
        "url_if": url_if,
        "site_header": site_header,
        "nav_memberships": [],
        "active_membership": None,
    }
    if current_user.is_authenticated:
        context["nav_memberships"] = user_memberships()
        context["active_membership"] = current_membership()
    return context


def register_template_helpers(app: Flask) -> None:
    """Make the navigation context and endpoint helpers available to every template."""
    app.context_processor(_navigation)
