"""Blueprint "auth": register, sign in and out, change password, forgotten-password reset."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required
from flask_login import login_user
from flask_login import logout_user
from flask_login.config import COOKIE_NAME
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from readiness.db import get_session
from readiness.extensions import limiter
from readiness.i18n import current_language
from readiness.i18n import use_language
from readiness.models import User
from readiness.services import accounts
from readiness.services import organisations
from readiness.services.mail import send_mail
from readiness.web.audit_trail import note
from readiness.web.forms import ActionForm
from readiness.web.forms import ChangePasswordForm
from readiness.web.forms import ForgotPasswordForm
from readiness.web.forms import LoginForm
from readiness.web.forms import RegisterForm
from readiness.web.forms import ResetPasswordForm
from readiness.web.security import account_key
from readiness.web.security import login_account_rate_limit
from readiness.web.security import login_rate_limit
from readiness.web.security import password_account_rate_limit
from readiness.web.security import password_rate_limit
from readiness.web.security import register_rate_limit

bp = Blueprint("auth", __name__)
log = logging.getLogger(__name__)


def safe_next(target: str | None, default: str = "main.index") -> str:
    """`target` if it is a path on this site, else the URL of `default` (no open redirects)."""
    # Control characters and spaces never belong in our paths (and CR/LF would split headers).
    if target and target.isprintable() and not any(c.isspace() for c in target):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and "\\" not in target:
            return target
    return url_for(default)


def invited_to(target: str | None) -> str | None:
    """The organisation of the open invitation that a `next` path accepts, if it is one."""
    if not target:
        return None
    try:
        endpoint, args = current_app.url_map.bind("").match(urlsplit(target).path)
    except HTTPException:
        return None
    if endpoint != "organisations.accept_invitation":
        return None
    try:
        return organisations.invitation_for_token(get_session(), args["token"]).organisation.name
    except accounts.InvalidToken:
        return None


def _sign_in(user: User, remember: bool = False) -> None:
    lang = session.get("lang")
    session.clear()  # a fresh session on sign-in: no fixation, no leftovers
    if lang:
        session["lang"] = lang
    session.permanent = True
    login_user(user, remember=remember and current_app.config["REMEMBER_ME_ENABLED"])


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(register_rate_limit, methods=["POST"])
def register() -> Response | str:
    """Create an account and sign in."""
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.register_user(
                get_session(), form.email.data, form.name.data, form.password.data
            )
        except accounts.EmailTaken:
            form.email.errors.append(_("An account with this e-mail address already exists."))
        except accounts.WeakPassword:
            form.password.errors.append(_("The password is too short."))
        else:
            _sign_in(user)
            flash(_("Welcome, %(name)s! Your account is ready.", name=user.name), "success")
            return redirect(safe_next(request.args.get("next"), "organisations.create"))
    return render_template(
        "auth/register.html", form=form, invited_to=invited_to(request.args.get("next"))
    )


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_rate_limit, methods=["POST"])
@limiter.limit(login_account_rate_limit, key_func=account_key, methods=["POST"])
def login() -> Response | str:
    """Sign in with e-mail address and password."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(get_session(), form.email.data, form.password.data)
        except accounts.InvalidCredentials:
            known = accounts.user_by_email(get_session(), form.email.data)
            note("sign_in_failed", known, actor_email=accounts.normalise_email(form.email.data))
            flash(_("Invalid e-mail address or password."), "error")
        else:
            note("sign_in", user)
            _sign_in(user, form.remember.data)
            return redirect(safe_next(request.args.get("next")))
    return render_template(
        "auth/login.html",
        form=form,
        remember=current_app.config["REMEMBER_ME_ENABLED"],
        invited_to=invited_to(request.args.get("next")),
    )


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    """Sign out (POST only, so that a link elsewhere cannot sign you out).

    The user's session token is replaced, so a copy of the session cookie opens nothing more.
    """
    if ActionForm().validate_on_submit():
        if current_user.is_authenticated:
            accounts.end_sessions(get_session(), current_user._get_current_object())
        logout_user()
        session.clear()
        flash(_("You have signed out, on this device and every other."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit(password_rate_limit, methods=["POST"])
@limiter.limit(password_account_rate_limit, key_func=account_key, methods=["POST"])
def change_password() -> Response | str:
    """Change one's own password."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            accounts.change_password(get_session(), user, form.current.data, form.password.data)
        except accounts.InvalidCredentials:
            form.current.errors.append(_("The current password is wrong."))
        else:
            note("password_changed", user)
            # The change ended every session of the user; this one continues with the new token.
            remembered = (
                current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) in request.cookies
            )
            login_user(user, remember=remembered and current_app.config["REMEMBER_ME_ENABLED"])
            flash(
                _("Your password has been changed. You were signed out everywhere else."), "success"
            )
            return redirect(url_for("main.index"))
    return render_template("auth/change_password.html", form=form)


def _mail_after(response: Response, to: str, subject: str, body: str) -> None:
    """Send a message once the response has gone out; a failure is logged, never shown.

    The answer thus takes the same time whether or not a message is sent, and a slow or
    unreachable mail server tells the client nothing.
    """
    config: Mapping[str, Any] = {
        k: v for k, v in current_app.config.items() if k.startswith("MAIL_")
    }

    def send() -> None:
        try:
            send_mail(config, to, subject, body)
        except Exception:  # the mail server is down or refuses: the operator reads the log
            log.exception("could not send e-mail to %s", to)

    response.call_on_close(send)


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(password_rate_limit, methods=["POST"])
@limiter.limit(password_account_rate_limit, key_func=account_key, methods=["POST"])
def forgot_password() -> Response | str:
    """Send a reset link; the answer is the same, in the same time, whatever the address."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = accounts.user_by_email(get_session(), form.email.data)
        flash(_("If an account uses this address, a reset link is on its way."), "info")
        response = redirect(url_for("auth.login"))
        if user is not None:
            token = accounts.make_reset_token(user, current_app.config["SECRET_KEY"])
            link = url_for("auth.reset_password", token=token, _external=True)
            with use_language(user.locale or current_language()):  # the recipient's language
                subject = _("Reset your Readiness password")
                body = _(
                    "Open this link within an hour to choose a new password:\n\n%(link)s",
                    link=link,
                )
            _mail_after(response, user.email, subject, body)
        return response
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit(password_rate_limit, methods=["POST"])
def reset_password(token: str) -> Response | str:
    """Choose a new password through a reset link."""
    secret = current_app.config["SECRET_KEY"]
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    try:
        accounts.user_for_reset_token(get_session(), token, secret, max_age)
    except accounts.InvalidToken:
        flash(_("This reset link is not valid or has expired. Please ask for a new one."), "error")
        return redirect(url_for("auth.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = accounts.reset_password(
                get_session(), token, form.password.data, secret, max_age
            )
        except accounts.InvalidToken:  # used a moment ago in another request
            flash(
                _("This reset link is not valid or has expired. Please ask for a new one."),
                "error",
            )
            return redirect(url_for("auth.forgot_password"))
        note("password_reset", user)
        flash(_("Your password has been changed. Please sign in."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)
