"""Everything HTTP: the blueprints, error handlers and template helpers, registered on an app."""

from __future__ import annotations

from flask import Flask

from readiness.web import account
from readiness.web import api
from readiness.web import assessments
from readiness.web import auth
from readiness.web import compare
from readiness.web import crosswalk
from readiness.web import data
from readiness.web import main
from readiness.web import onsite
from readiness.web import organisations
from readiness.web import participation
from readiness.web import plans
from readiness.web import programme_admin
from readiness.web import programmes
from readiness.web import reports
from readiness.web import respondents
from readiness.web.errors import register_error_handlers
from readiness.web.routing import register_converters
from readiness.web.template_helpers import register_template_helpers

__all__ = ["register_blueprints", "register_error_handlers", "register_template_helpers"]


def register_blueprints(app: Flask) -> None:
    """Register every blueprint of the app (integer route parameters are IDs up to MAX_ID)."""
    register_converters(app)
    app.register_blueprint(main.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(organisations.bp)
    app.register_blueprint(assessments.bp)
    app.register_blueprint(compare.bp)
    app.register_blueprint(crosswalk.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(account.bp)
    app.register_blueprint(api.bp)
    app.session_interface = api.CookielessApiSessions()  # the API takes tokens, never cookies
    app.register_blueprint(data.bp)
    app.register_blueprint(plans.bp)
    app.register_blueprint(onsite.bp)
    app.register_blueprint(respondents.bp)
    app.register_blueprint(programmes.bp)
    app.register_blueprint(programme_admin.bp)
    app.register_blueprint(participation.bp)
