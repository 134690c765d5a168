"""Friendly error pages (HTML or JSON by the Accept header), never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask
from flask import jsonify
from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import InternalServerError
from werkzeug.wrappers import Response

from readiness.services.accounts import Forbidden
from readiness.services.accounts import NotFound
from readiness.web.access import wants_json
from readiness.web.api import is_api_request
from readiness.web.api import problem

log = logging.getLogger(__name__)

ERROR_TITLES = {
    400: _l("Bad request"),
    401: _l("Please sign in"),
    403: _l("Not allowed"),
    404: _l("Page not found"),
    405: _l("Method not allowed"),
    410: _l("This link no longer works"),
    413: _l("Upload too large"),
    429: _l("Too many requests"),
    500: _l("Something went wrong"),
}

ERROR_MESSAGES = {
    400: _l("The request could not be understood. Please go back and try again."),
    401: _l("You need to sign in to see this page."),
    403: _l("Your role in this organisation does not allow this."),
    404: _l("There is nothing here. The page may have moved, or you may not have access to it."),
    405: _l("This page cannot be used that way."),
    410: _l("This link has been withdrawn or has expired."),
    413: _l("The data sent is too large."),
    429: _l("Too many attempts. Please wait a minute and try again."),
    500: _l("An unexpected error occurred. It has been logged; please try again later."),
}


class Gone(HTTPException):
    """410: a genuine link that no longer works, with a sentence saying why."""

    code = 410

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.friendly_message = message


def error_response(code: int, message: str | None = None) -> tuple[Response | str, int]:
    """An error page or JSON error body for HTTP status `code`."""
    if is_api_request():  # the API answers in problem+json, never with a page
        return problem(code, message), code
    title = str(ERROR_TITLES.get(code, ERROR_TITLES[500]))
    text = message or str(ERROR_MESSAGES.get(code, ERROR_MESSAGES[500]))
    if wants_json():
        return jsonify(error=code, title=title, message=text), code
    return render_template("errors/error.html", code=code, title=title, message=text), code


def handle_http_error(error: HTTPException) -> tuple[Response | str, int] | HTTPException:
    """Render an HTTP error (404, 405 …) as a friendly page; redirects pass through."""
    if error.code is None or error.code < 400:
        return error
    return error_response(error.code, getattr(error, "friendly_message", None))


def handle_csrf_error(error: CSRFError) -> tuple[Response | str, int]:
    """A missing or stale form token: ask the user to reload the form."""
    return error_response(
        400, str(_l("The form has expired or was sent from elsewhere. Please reload and retry."))
    )


def handle_unexpected(error: Exception) -> tuple[Response | str, int]:
    """Any uncaught exception: log it with its traceback, show the user a plain 500 page."""
    if isinstance(error, HTTPException):
        return handle_http_error(error)  # type: ignore[return-value]
    log.exception("unhandled error", exc_info=error)
    return error_response(500)


def register_error_handlers(app: Flask) -> None:
    """Turn HTTP errors, CSRF failures, access errors and crashes into friendly pages."""
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(NotFound, lambda _e: error_response(404))
    app.register_error_handler(Forbidden, lambda _e: error_response(403))
    app.register_error_handler(InternalServerError, handle_unexpected)
    app.register_error_handler(Exception, handle_unexpected)
