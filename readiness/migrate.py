"""Running the Alembic migrations in migrations/ from Python (the CLI and the tests use this)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from readiness.config import MIGRATIONS_DIR

ALEMBIC_INI = MIGRATIONS_DIR / "alembic.ini"


def alembic_config(url: str) -> Config:
    """An Alembic configuration for the database at `url`, keeping the caller's logging."""
    config = Config(str(ALEMBIC_INI))
    config.attributes["url"] = url
    config.attributes["skip_logging"] = True
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the database at `url` up to `revision`."""
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str = "-1") -> None:
    """Migrate the database at `url` down to `revision` (default: one step)."""
    command.downgrade(alembic_config(url), revision)


def current(url: str) -> None:
    """Print the revision the database at `url` is at."""
    command.current(alembic_config(url))
