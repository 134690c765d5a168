"""`readiness db`: create or migrate the database schema with Alembic."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from readiness import migrate
from readiness.cli.language import cli_gettext as _
from readiness.config import database_url
from readiness.config import instance_path


@click.group("db", cls=AppGroup)
def db_group() -> None:
    """Create or migrate the database schema (DATABASE_URL, default instance/readiness.db)."""


def _database_url() -> str:
    instance_path().mkdir(parents=True, exist_ok=True)
    return database_url()


@db_group.command("upgrade", with_appcontext=False)
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the database up to REVISION (default: the latest)."""
    migrate.upgrade(_database_url(), revision)
    click.echo(_("Database upgraded to %(revision)s.", revision=revision))


@db_group.command("downgrade", with_appcontext=False)
@click.argument("revision", default="-1")
def db_downgrade(revision: str) -> None:
    """Migrate the database down to REVISION (default: one step back; 'base' empties it)."""
    migrate.downgrade(_database_url(), revision)
    click.echo(_("Database downgraded to %(revision)s.", revision=revision))


@db_group.command("current", with_appcontext=False)
def db_current() -> None:
    """Show the revision the database is at."""
    migrate.current(_database_url())
