"""Blueprint "main": the home page / dashboard, the language switcher and the favicon."""

from __future__ import annotations

from flask import Blueprint
from flask import current_app
from flask import redirect
from flask import render_template
from flask import send_from_directory
from flask import session
from flask_babel import get_timezone
from flask_login import current_user
from werkzeug.wrappers import Response

from readiness.db import get_session
from readiness.services import accounts
from readiness.services import summaries
from readiness.web.access import current_organisation
from readiness.web.access import user_memberships
from readiness.web.auth import safe_next
from readiness.web.forms import LanguageForm
from readiness.web.page_cache import digest
from readiness.web.template_helpers import has_endpoint
from readiness.web.template_helpers import kept_page

bp = Blueprint("main", __name__)
DASHBOARDS = 64  # whole dashboards kept per app (one per reader, language and organisation)


@bp.route("/")
def index() -> str:
    """The dashboard for signed-in users (organisations, assessments), else a welcome page."""
    if not current_user.is_authenticated:
        return render_template("main/welcome.html")
    memberships, organisation = user_memberships(), current_organisation()
    recent = []
    if organisation is not None and has_endpoint("assessments.index"):
        recent = summaries.recent_rows(get_session(), organisation.id)
    # kept whole under what it shows besides the header: roles, the active organisation, the
    # recent assessments and the time zone their dates are shown in
    key = (
        tuple((m.organisation_id, m.role) for m in memberships),
        organisation.id if organisation else None,
        str(get_timezone()),
        digest(recent),
    )
    return kept_page(
        "dashboards",
        DASHBOARDS,
        key,
        lambda: render_template(
            "main/dashboard.html", memberships=memberships, organisation=organisation, recent=recent
        ),
    )


@bp.route("/language", methods=["POST"])
def set_language() -> Response:
    """Switch the interface language; signed-in users keep it as their setting."""
    form = LanguageForm()
    if form.validate_on_submit():
        session["lang"] = form.lang.data
        if current_user.is_authenticated:
            accounts.set_locale(get_session(), current_user, form.lang.data)
    return redirect(safe_next(form.next.data))


@bp.route("/favicon.ico")
def favicon() -> Response:
    """The site icon where browsers look for it by default (also linked from every page)."""
    return send_from_directory(
        current_app.static_folder or "static",
        "favicon.ico",
        mimetype="image/vnd.microsoft.icon",
        max_age=7 * 24 * 3600,
    )
