"""Security headers on every response, trusted proxies, and the rate limits of the account forms.

Limits count per client address (behind TRUSTED_PROXY_HOPS trusted proxies, the address they
forward) and, where a form names an account, per account too, so that neither many addresses
against one account nor one address against many accounts gets far.
"""

from __future__ import annotations

from flask import Flask
from flask import current_app
from flask import request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from readiness.services.accounts import normalise_email

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}


def login_rate_limit() -> str:
    """Sign-in attempts per client address (setting LOGIN_RATE_LIMIT)."""
    return current_app.config["LOGIN_RATE_LIMIT"]


def login_account_rate_limit() -> str:
    """Sign-in attempts per e-mail address (setting LOGIN_ACCOUNT_RATE_LIMIT)."""
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


def register_rate_limit() -> str:
    """Registrations per client address (setting REGISTER_RATE_LIMIT)."""
    return current_app.config["REGISTER_RATE_LIMIT"]


def password_rate_limit() -> str:
    """Forgot, reset and change password per client address (setting PASSWORD_RATE_LIMIT)."""
    return current_app.config["PASSWORD_RATE_LIMIT"]


def password_account_rate_limit() -> str:
    """Reset mails per e-mail address, changes per user (setting PASSWORD_ACCOUNT_RATE_LIMIT)."""
    return current_app.config["PASSWORD_ACCOUNT_RATE_LIMIT"]


def account_key() -> str:
    """The rate-limit key of the account a form names: its e-mail address, or the user."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return "account:" + normalise_email(str(request.form.get("email", "")))[:254]


def add_security_headers(response: Response) -> Response:
    """Set the security headers, unless a view chose its own (e.g. a stricter policy)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config.get("SERVED_OVER_HTTPS"):
        max_age = int(current_app.config.get("HSTS_MAX_AGE") or 0)
        response.headers.setdefault("Strict-Transport-Security", f"max-age={max_age}")
    return response


def init_security(app: Flask) -> None:
    """Trust the configured number of proxies and add the security headers to every response."""
    hops = int(app.config.get("TRUSTED_PROXY_HOPS") or 0)
    if hops:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )
    app.after_request(add_security_headers)
