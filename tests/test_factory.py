"""The app factory and configuration: defaults, environment, production safety."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from readiness import create_app
from readiness.cli import cli
from readiness.config import DEFAULTS
from readiness.config import ConfigError
from readiness.config import finalise
from readiness.config import from_env


def test_defaults_are_not_testing_and_production() -> None:
    assert DEFAULTS["TESTING"] is False
    assert DEFAULTS["READINESS_ENV"] == "production"


def test_test_config_is_applied(app) -> None:
    assert app.testing
    assert app.config["SECRET_KEY"] == "test-secret-key-not-for-production"
    assert Path(app.template_folder).name == "templates"
    assert Path(app.static_folder).name == "static"
    assert Path(app.instance_path).name == "instance"
    assert "catalogue" in app.extensions


def test_production_without_secret_key_refuses(tmp_path: Path) -> None:
    config = {"READINESS_ENV": "production", "SECRET_KEY": None, "TESTING": False}
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        finalise(dict(DEFAULTS, **config), tmp_path)


def test_create_app_refuses_production_without_secret_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(
            {"SECRET_KEY": "", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db", "TESTING": False}
        )


def test_cli_prints_one_line_without_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READINESS_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    result = CliRunner().invoke(cli, ["routes"])
    assert result.exit_code != 0
    assert "SECRET_KEY is not set" in result.output
    assert "Traceback" not in result.output


def test_development_generates_and_keeps_a_secret_key(tmp_path: Path) -> None:
    first = dict(DEFAULTS, READINESS_ENV="development")
    finalise(first, tmp_path)
    second = dict(DEFAULTS, READINESS_ENV="development")
    finalise(second, tmp_path)
    assert first["SECRET_KEY"] and first["SECRET_KEY"] == second["SECRET_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert first["SESSION_COOKIE_SECURE"] is False


def test_production_cookies_are_secure(tmp_path: Path) -> None:
    config = dict(DEFAULTS, SECRET_KEY="x" * 40)
    finalise(config, tmp_path)
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_unknown_environment_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="READINESS_ENV"):
        finalise(dict(DEFAULTS, READINESS_ENV="staging", SECRET_KEY="k"), tmp_path)


@pytest.mark.parametrize(
    ("environ", "key", "expected"),
    [
        (
            {"DATABASE_URL": "postgresql+psycopg://db/x"},
            "DATABASE_URL",
            "postgresql+psycopg://db/x",
        ),
        ({}, "DATABASE_URL", "sqlite:///{instance}/readiness.db"),
        ({"MAIL_PORT": "587"}, "MAIL_PORT", 587),
        ({"MAIL_USE_TLS": "true"}, "MAIL_USE_TLS", True),
        ({"MAIL_USE_TLS": "0"}, "MAIL_USE_TLS", False),
        ({"QUESTIONNAIRE_DIR": "/q"}, "QUESTIONNAIRE_DIR", "/q"),
        ({"PROGRAMME_INVITATION_MAX_AGE": "14"}, "PROGRAMME_INVITATION_MAX_AGE", timedelta(14)),
    ],
)
def test_from_env(tmp_path: Path, environ: dict[str, str], key: str, expected: object) -> None:
    if isinstance(expected, str):
        expected = expected.format(instance=tmp_path)
    assert from_env(tmp_path, environ)[key] == expected


def test_from_env_bad_number_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="whole number"):
        from_env(tmp_path, {"MAIL_PORT": "twenty-five"})
    with pytest.raises(ConfigError, match="at least one day"):
        from_env(tmp_path, {"PROGRAMME_INVITATION_MAX_AGE": "0"})
