"""Alembic environment: the target is readiness.models.Base.metadata; no app is built."""

from __future__ import annotations

from logging.config import fileConfig
from typing import Any

from alembic import context
from sqlalchemy import Connection

from readiness.config import database_url
from readiness.db import make_engine
from readiness.models import Base
from readiness.models.base import UTCDateTime

config = context.config
target_metadata = Base.metadata

# Programmatic callers (the CLI, the tests) pass their own URL and keep their logging.
if config.config_file_name is not None and not config.attributes.get("skip_logging"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _url() -> str:
    return config.attributes.get("url") or database_url()


def _render_item(kind: str, obj: Any, autogen_context: Any) -> str | bool:
    """Write our UTC timestamp type as a plain DateTime so migrations never import the models."""
    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
    )


def run_migrations_offline() -> None:
    """Emit SQL to stdout instead of running it."""
    context.configure(
        url=_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=_url().startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def _foreign_keys(conn: Connection, on: bool) -> None:
    """Turn SQLite's foreign keys off for the migrations, on again after (checked first).

    Batch mode rebuilds a table by copying it, dropping the old one and renaming the copy;
    with foreign keys on, dropping the old table would cascade-delete every row that refers
    to it (all answers, scores … when `assessments` is rebuilt). SQLite ignores the pragma
    inside a transaction, so it is set before the migrations' transaction and after it.
    """
    if on:
        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        conn.commit()
        if broken:
            raise RuntimeError(f"migrations left rows with broken references: {broken[:5]}")
    conn.exec_driver_sql(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    conn.commit()


def run_migrations_online() -> None:
    """Run the migrations against the database."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(_url())
    try:
        with engine.connect() as conn:
            sqlite = conn.dialect.name == "sqlite"
            if sqlite:
                _foreign_keys(conn, on=False)
            _configure(conn)
            with context.begin_transaction():
                context.run_migrations()
            if sqlite:
                _foreign_keys(conn, on=True)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
