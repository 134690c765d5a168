"""Readiness: a self-hosted smart-manufacturing and AI readiness assessment (the app factory)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then the environment, then `config` (tests pass theirs here)."""
    # Imported here, as flaskr does, so that `import readiness.config` or `readiness.models`
    # (Alembic's env.py, the domain tests) does not load the whole web stack.
    from readiness import db
    from readiness.app_setup import configure
    from readiness.app_setup import register_catalogue
    from readiness.app_setup import register_extensions
    from readiness.config import PACKAGE_DIR
    from readiness.config import instance_path
    from readiness.web import register_blueprints
    from readiness.web import register_error_handlers
    from readiness.web import register_template_helpers

    app = Flask(
        __name__,
        instance_path=str(instance_path()),
        template_folder=str(PACKAGE_DIR / "templates"),
        static_folder=str(PACKAGE_DIR / "static"),
    )
    # A path with "//" is none of ours: 404, not Werkzeug's 308 to the path with the slashes
    # merged (an API client must never be redirected, and a page has one address).
    app.url_map.merge_slashes = False
    configure(app, config)
    db.init_app(app)
    register_extensions(app)
    register_catalogue(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_template_helpers(app)
    return app
