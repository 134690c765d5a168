"""What every template sees: the active organisation, the switchers, and endpoint helpers."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask import current_app
from flask import request
from flask import url_for
from flask_login import current_user
from werkzeug.routing import BuildError

from readiness.i18n import LANGUAGE_NAMES
from readiness.i18n import current_language
from readiness.web.access import current_membership
from readiness.web.access import user_memberships
from readiness.web.forms import ActionForm
from readiness.web.forms import LanguageForm
from readiness.web.forms import SwitchOrganisationForm


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


def _navigation() -> dict[str, Any]:
    """Context for base.html: memberships, active organisation, switcher and language forms."""
    here = request.full_path.rstrip("?") if request else "/"
    language_form = LanguageForm(formdata=None, lang=current_language(), next=here)
    context: dict[str, Any] = {
        "language_form": language_form,
        "language_names": LANGUAGE_NAMES,
        "current_locale": current_language(),
        "has_endpoint": has_endpoint,
        "url_if": url_if,
        "nav_memberships": [],
        "active_membership": None,
    }
    if current_user.is_authenticated:
        context["nav_memberships"] = user_memberships()
        context["active_membership"] = current_membership()
        context["switch_form"] = SwitchOrganisationForm(formdata=None, next=here)
        context["logout_form"] = ActionForm(formdata=None)
    return context


def register_template_helpers(app: Flask) -> None:
    """Make the navigation context and endpoint helpers available to every template."""
    app.context_processor(_navigation)
