"""Configuration: defaults, reading the environment, and the checks a configuration must pass."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask.cli import NoAppException

# Everything the app needs at run time ships inside the package (so a wheel runs anywhere).
PACKAGE_DIR = Path(__file__).resolve().parent
BUILTIN_QUESTIONNAIRES = PACKAGE_DIR / "questionnaires"
BUILTIN_CROSSWALKS = PACKAGE_DIR / "crosswalks"  # mappings between questionnaires
TRANSLATIONS_DIR = PACKAGE_DIR / "translations"
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"
ENVIRONMENTS = ("development", "production")

DEFAULTS: dict[str, Any] = {
    "READINESS_ENV": "production",
    "TESTING": False,
    "SECRET_KEY": None,
    "DATABASE_URL": None,  # filled in from the instance path
    "QUESTIONNAIRE_DIR": None,  # extra questionnaires, added to (or overriding) the built-in ones
    "BUILTIN_QUESTIONNAIRES": True,  # load the questionnaires shipped in the package
    "FLAGSHIP_QUESTIONNAIRE": "smart-manufacturing-readiness",
    "LANGUAGES": ("en", "zh"),
    "BABEL_DEFAULT_LOCALE": "en",
    "BABEL_TRANSLATION_DIRECTORIES": str(TRANSLATIONS_DIR),
    "MAIL_SERVER": None,
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_DEFAULT_SENDER": "readiness@localhost",
    "MAIL_TIMEOUT": 10,  # seconds an SMTP connection may take (mail goes after the response)
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=8),  # from sign-in, not sliding:
    # a response sets the session cookie only when it changed the session. Refreshed on every
    # request, a late response (a stylesheet, an icon, a slow page) would send back the session
    # it started with and undo what a faster one just stored: a language choice, a flash, a logout.
    "SESSION_REFRESH_EACH_REQUEST": False,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_DURATION": timedelta(days=14),
    "REMEMBER_ME_ENABLED": False,
    "PASSWORD_RESET_MAX_AGE": 3600,
    "INVITATION_MAX_AGE": timedelta(days=7),
    # How long a programme's invitation link works; the operator can issue a new one any time.
    "PROGRAMME_INVITATION_MAX_AGE": timedelta(days=30),
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "memory://",
    # A moving window counts the last minute (or hour) at any moment; a fixed window restarts
    # on the clock, so an attacker could try twice the limit across its edge.
    "RATELIMIT_STRATEGY": "moving-window",
    "RATELIMIT_HEADERS_ENABLED": False,
    "LOGIN_RATE_LIMIT": "10/minute",  # sign-in attempts per client address
    "LOGIN_ACCOUNT_RATE_LIMIT": "10/minute;30/hour",  # sign-in attempts per e-mail address
    "REGISTER_RATE_LIMIT": "10/hour",  # registrations per client address
    "PASSWORD_RATE_LIMIT": "5/minute;30/hour",  # forgot, reset and change password, per address
    "PASSWORD_ACCOUNT_RATE_LIMIT": "5/hour",  # reset mails per e-mail address, changes per user
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host are trusted
    # (Werkzeug's ProxyFix); 0 = none, so clients cannot fake their address.
    "TRUSTED_PROXY_HOPS": 0,
    # Served over HTTPS: send Strict-Transport-Security (max-age HSTS_MAX_AGE seconds).
    "SERVED_OVER_HTTPS": False,
    "HSTS_MAX_AGE": 365 * 24 * 3600,
    "API_RATE_LIMIT": "300/minute",  # API requests per token (else per address)
    "WTF_CSRF_ENABLED": True,
    "WTF_CSRF_TIME_LIMIT": None,  # the session lifetime already bounds the token
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    "REDIS_URL": None,  # background jobs on RQ and shared rate limits; in-process without it
    "BACKGROUND_JOBS": "thread",  # without REDIS_URL: "thread", "sync" or "off" (readiness.jobs)
    "REPORT_CACHE_DIR": None,  # rendered PDFs; default instance/reports
    "ISOLATE_RENDERING": True,  # render PDFs in a forked child, keeping web workers small
    "ISOLATED_RENDER_TIMEOUT": 120,  # seconds before a stuck child is killed (render here instead)
}

# Environment variables read by from_env, with the type each is converted to.
_ENV_VARS: dict[str, type] = {
    "READINESS_ENV": str,
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "QUESTIONNAIRE_DIR": str,
    "MAIL_SERVER": str,
    "MAIL_PORT": int,
    "MAIL_USE_TLS": bool,
    "MAIL_USERNAME": str,
    "MAIL_PASSWORD": str,
    "MAIL_DEFAULT_SENDER": str,
    "MAIL_TIMEOUT": int,
    "RATELIMIT_STORAGE_URI": str,
    "LOGIN_RATE_LIMIT": str,
    "LOGIN_ACCOUNT_RATE_LIMIT": str,
    "REGISTER_RATE_LIMIT": str,
    "PASSWORD_RATE_LIMIT": str,
    "PASSWORD_ACCOUNT_RATE_LIMIT": str,
    "TRUSTED_PROXY_HOPS": int,
    "SERVED_OVER_HTTPS": bool,
    "HSTS_MAX_AGE": int,
    "API_RATE_LIMIT": str,
    "REDIS_URL": str,
    "BACKGROUND_JOBS": str,
    "REPORT_CACHE_DIR": str,
    "PROGRAMME_INVITATION_MAX_AGE": timedelta,  # in days
}


class ConfigError(NoAppException):
    """The configuration is unusable; the message says what to set (printed without a traceback)."""


def instance_path(environ: Mapping[str, str] | None = None) -> Path:
    """READINESS_INSTANCE_PATH, else `instance/` in the working directory (database, keys)."""
    environ = os.environ if environ is None else environ
    configured = environ.get("READINESS_INSTANCE_PATH")
    return Path(configured).resolve() if configured else Path.cwd() / "instance"


def default_database_url(instance_path: str | os.PathLike[str]) -> str:
    """The SQLite database under the instance folder, used when DATABASE_URL is not set."""
    return f"sqlite:///{Path(instance_path) / 'readiness.db'}"


def database_url(
    instance: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> str:
    """DATABASE_URL from the environment, else the default SQLite file (for Alembic's env.py)."""
    environ = os.environ if environ is None else environ
    if instance is None:
        instance = instance_path(environ)
    return environ.get("DATABASE_URL") or default_database_url(instance)


def questionnaire_dir(environ: Mapping[str, str] | None = None) -> str | None:
    """QUESTIONNAIRE_DIR from the environment (extra questionnaires), else None."""
    environ = os.environ if environ is None else environ
    return environ.get("QUESTIONNAIRE_DIR") or None


def _convert(raw: str, kind: type) -> Any:
    if kind is bool:
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if kind in (int, timedelta):
        try:
            number = int(raw)
        except ValueError as exc:
            raise ConfigError(f"expected a whole number, got {raw!r}") from exc
        if kind is timedelta:
            if number < 1:
                raise ConfigError(f"expected at least one day, got {raw!r}")
            return timedelta(days=number)
        return number
    return raw


def from_env(
    instance_path: str | os.PathLike[str], environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The settings given by environment variables (only those that are set)."""
    environ = os.environ if environ is None else environ
    settings: dict[str, Any] = {}
    for name, kind in _ENV_VARS.items():
        raw = environ.get(name)
        if raw not in (None, ""):
            settings[name] = _convert(raw, kind)
    settings.setdefault("DATABASE_URL", default_database_url(instance_path))
    return settings


def is_development(config: Mapping[str, Any]) -> bool:
    """Whether this is a development or test configuration (not production)."""
    return bool(
        config.get("TESTING") or config.get("DEBUG") or config.get("READINESS_ENV") == "development"
    )


def _development_secret_key(instance_path: Path) -> str:
    """A secret key kept in the instance folder, so local sessions survive restarts."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def finalise(config: dict[str, Any], instance_path: str | os.PathLike[str]) -> None:
    """Check the merged configuration and fill in derived values; raise ConfigError if unusable."""
    env = config.get("READINESS_ENV")
    if env not in ENVIRONMENTS:
        raise ConfigError(f"READINESS_ENV must be one of {', '.join(ENVIRONMENTS)} (got {env!r})")
    if not config.get("DATABASE_URL"):
        config["DATABASE_URL"] = default_database_url(instance_path)
    if not config.get("SECRET_KEY"):
        if config.get("TESTING"):
            config["SECRET_KEY"] = secrets.token_hex(32)
        elif is_development(config):
            config["SECRET_KEY"] = _development_secret_key(Path(instance_path))
        else:
            raise ConfigError(
                "SECRET_KEY is not set: set the SECRET_KEY environment variable to a long random "
                "value (or READINESS_ENV=development for local use)"
            )
    if config.get("BACKGROUND_JOBS") not in ("thread", "sync", "off"):
        raise ConfigError("BACKGROUND_JOBS must be one of thread, sync, off")
    if config.get("REDIS_URL") and config.get("RATELIMIT_STORAGE_URI") in (None, "memory://"):
        # Several app instances then count sign-in attempts together.
        config["RATELIMIT_STORAGE_URI"] = config["REDIS_URL"]
    # Cookies travel only over HTTPS in production.
    secure = not is_development(config)
    config["SESSION_COOKIE_SECURE"] = secure
    config["REMEMBER_COOKIE_SECURE"] = secure
    if config.get("SERVED_OVER_HTTPS"):
        config["PREFERRED_URL_SCHEME"] = "https"  # links in e-mails
    if int(config.get("TRUSTED_PROXY_HOPS") or 0) < 0:
        raise ConfigError("TRUSTED_PROXY_HOPS must be 0 or more")
