"""The named steps of the app factory: configuration, extensions and the questionnaire catalogue."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask

from readiness import i18n
from readiness import jobs
from readiness.config import DEFAULTS
from readiness.config import finalise
from readiness.config import from_env
from readiness.extensions import csrf
from readiness.extensions import limiter
from readiness.services.questionnaires import Catalogue
from readiness.web.access import init_login
from readiness.web.security import init_security

log = logging.getLogger(__name__)


def configure(app: Flask, config: Mapping[str, Any] | None) -> None:
    """Merge defaults, environment and overrides, then check them (ConfigError if unusable)."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_mapping(from_env(app.instance_path))
    if config:
        app.config.from_mapping(config)
    finalise(app.config, app.instance_path)


def register_extensions(app: Flask) -> None:
    """Bind CSRF, logins, translations, rate limiting, security headers and background jobs."""
    csrf.init_app(app)
    init_login(app)
    i18n.init_app(app)
    limiter.init_app(app)
    init_security(app)
    jobs.init_app(app)


def register_catalogue(app: Flask) -> None:
    """Load the questionnaires once per app; a broken file is logged, never fatal.

    A caller may hand in an already loaded catalogue as QUESTIONNAIRE_CATALOGUE (the test
    suite loads it once per session instead of once per app).
    """
    catalogue = app.config.get("QUESTIONNAIRE_CATALOGUE") or Catalogue.for_config(app.config)
    for problem in catalogue.problems:
        log.warning("questionnaire problem: %s", problem)
    app.extensions["catalogue"] = catalogue
