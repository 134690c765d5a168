"""The API blueprint's plumbing: bearer-token callers, problem+json errors, bodies, rate limit."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any
from typing import TypeVar

from flask import Blueprint
from flask import Flask
from flask import Request
from flask import Response
from flask import current_app
from flask import g
from flask import request
from flask.sessions import SecureCookieSession
from flask.sessions import SecureCookieSessionInterface

from readiness.db import get_session
from readiness.extensions import csrf
from readiness.extensions import limiter
from readiness.models import Assessment
from readiness.services import assessments
from readiness.services import tokens
from readiness.services.accounts import Forbidden
from readiness.services.accounts import NotFound

API_PREFIX = "/api/"
bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Tokens, not cookies, authenticate API calls, so a forged cross-site request carries nothing.
csrf.exempt(bp)

F = TypeVar("F", bound=Callable[..., Any])
PROBLEM_TYPE = "application/problem+json"
MAX_ID = 2**31 - 1
PROBLEM_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    428: "Precondition required",
    429: "Too many requests",
    500: "Internal server error",
}


class ApiProblem(Exception):
    """An API error with its HTTP status, a one-line detail and extension members."""

    def __init__(self, status: int, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.extra = extra


def problem(status: int, detail: str | None = None, **extra: Any) -> Response:
    """An RFC 9457 problem document."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": PROBLEM_TITLES.get(status, "Error"),
        "status": status,
    }
    if detail:
        body["detail"] = detail
    body.update(extra)
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_TYPE)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="readiness"'
    return response


class CookielessApiSessions(SecureCookieSessionInterface):
    """The app's signed-cookie sessions, except that API requests neither read nor set one.

    So a browser's session cookie can never authenticate (or be refreshed by) an API call.
    """

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """An empty session for the API, the cookie's session elsewhere."""
        if request.path.startswith(API_PREFIX):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: Any, response: Response) -> None:
        """Never a Set-Cookie on API responses."""
        if request.path.startswith(API_PREFIX):
            return
        super().save_session(app, session, response)


def is_api_request() -> bool:
    """Whether the current request is addressed to the API (its errors are problem+json)."""
    return request.path.startswith(bp.url_prefix or "/api/v1")


@bp.errorhandler(ApiProblem)
def _api_problem(error: ApiProblem) -> Response:
    return problem(error.status, error.detail, **error.extra)


@bp.errorhandler(NotFound)
def _not_found(_error: NotFound) -> Response:
    return problem(404, "No such resource in this organisation.")


@bp.errorhandler(Forbidden)
def _forbidden(error: Forbidden) -> Response:
    return problem(403, str(error))


def api_rate_limit() -> str:
    """The API's rate limit per token (else per address), setting API_RATE_LIMIT."""
    return current_app.config["API_RATE_LIMIT"]


def _rate_key() -> str:
    header = request.headers.get("Authorization", "")
    return (
        "api-token:" + tokens.hash_token(header)
        if header
        else "api-ip:" + (request.remote_addr or "?")
    )


limiter.limit(api_rate_limit, key_func=_rate_key)(bp)


def _bearer() -> str:
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise ApiProblem(401, "Send a personal access token: Authorization: Bearer rdy_…")
    return secret.strip()


def token_required(min_role: str = "viewer", write: bool = False) -> Callable[[F], F]:
    """Authenticate the bearer token; require a role and, for changes, a write token.

    Sets g.caller. Session cookies are never looked at.
    """

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            try:
                caller = tokens.authenticate_token(get_session(), _bearer())
            except tokens.InvalidApiToken as exc:
                raise ApiProblem(401, str(exc)) from None
            if write and not caller.can_write:
                raise ApiProblem(403, "This token is read-only.")
            if not caller.has_role(min_role):
                raise ApiProblem(403, "Your role in this organisation does not allow this.")
            g.caller = caller
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def caller() -> tokens.Caller:
    """The authenticated caller of this request."""
    return g.caller


def caller_assessment(assessment_id: int, min_role: str = "viewer") -> Assessment:
    """An assessment of the token's organisation (404 for any other), by the pages' service."""
    who = caller()
    if not 0 < assessment_id <= MAX_ID:  # beyond what an integer column holds: none such
        raise ApiProblem(404, "No such assessment in this organisation.")
    assessment = assessments.get_assessment(get_session(), who.user, assessment_id, min_role)
    if assessment.organisation_id != who.organisation_id:
        raise ApiProblem(404, "No such assessment in this organisation.")
    return assessment


def int_arg(name: str, default: int, low: int, high: int | None = None) -> int:
    """A whole-number query argument within bounds (400 with a line otherwise)."""
    raw = request.args.get(name)
    if raw is None:
        return default
    if (
        not raw.isascii()
        or not raw.isdigit()
        or len(raw) > 9
        or not low <= int(raw) <= (high or int(raw))
    ):
        bound = f"from {low} to {high}" if high else f"at least {low}"
        raise ApiProblem(400, f"{name} must be a whole number {bound}.")
    return int(raw)


def json_body(required: bool = True) -> dict[str, Any]:
    """The request's JSON object (415 if not JSON, 400 if malformed or not an object)."""
    if not request.get_data(cache=True):
        if required:
            raise ApiProblem(400, "Send a JSON object as the request body.")
        return {}
    if not request.is_json:
        raise ApiProblem(415, "Send the body as application/json.")
    try:
        body = json.loads(request.get_data(cache=True))
    except (ValueError, RecursionError):
        raise ApiProblem(400, "The body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise ApiProblem(400, "The body must be a JSON object.")
    if _has_nul(body):
        raise ApiProblem(422, "Text may not contain NUL characters.")
    return body


def _has_nul(value: Any) -> bool:
    """Whether a JSON value holds a NUL character anywhere (PostgreSQL text cannot store one)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


@bp.before_request
def _refuse_nul_in_address() -> None:
    """A NUL character in the path or query is refused before it reaches the database."""
    queries = (text for pair in request.args.lists() for text in (pair[0], *pair[1]))
    if "\x00" in request.path or any("\x00" in text for text in queries):
        raise ApiProblem(400, "The address may not contain NUL characters.")


def json_response(data: Any, status: int = 200, etag: int | None = None) -> Response:
    """A JSON response (with the assessment revision as a strong ETag when given)."""
    response = Response(
        json.dumps(data, ensure_ascii=False, default=str),
        status=status,
        mimetype="application/json",
    )
    if etag is not None:
        response.headers["ETag"] = f'"{etag}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
