"""The JSON API under /api/v1: bearer tokens, problem+json errors, an OpenAPI 3.1 document.

The routes live in the modules imported here; each calls the same services as the pages.
"""

from __future__ import annotations

from readiness.web.api import assessments
from readiness.web.api import collaboration
from readiness.web.api import document
from readiness.web.api import plan
from readiness.web.api import programmes
from readiness.web.api import reports
from readiness.web.api.core import CookielessApiSessions
from readiness.web.api.core import bp
from readiness.web.api.core import is_api_request
from readiness.web.api.core import problem

__all__ = [
    "CookielessApiSessions",
    "assessments",
    "bp",
    "collaboration",
    "document",
    "is_api_request",
    "plan",
    "problem",
    "programmes",
    "reports",
]
