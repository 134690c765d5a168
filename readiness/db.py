"""The database engine and session per app, and the request-scoped session on `g`."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask import current_app
from flask import g
from sqlalchemy import Engine
from sqlalchemy import create_engine
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

# How long a SQLite connection waits for another's write lock before "database is locked".
SQLITE_BUSY_TIMEOUT_MS = 30_000


def make_engine(url: str, **options: Any) -> Engine:
    """An engine for `url`; SQLite connections get foreign keys, WAL and a busy timeout."""
    engine = create_engine(url, **options)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Per connection: foreign keys on (SQLite ignores them unless asked), WAL, a busy timeout.

    WAL lets readers go on while one writer writes; the busy timeout makes a second writer
    (another gunicorn worker or thread) wait for the lock instead of failing at once.
    """
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")  # kept in the file; in-memory databases say "memory"
    # With WAL, NORMAL syncs at checkpoints instead of on every commit: a commit no longer waits
    # for the disk (~5 ms each), and the file stays consistent; a power cut may roll back the
    # last commits before a checkpoint, never corrupt (SQLite's recommended setting for WAL).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def get_sessionmaker(app: Flask | None = None) -> sessionmaker[Session]:
    """The app's session factory (for CLI commands and tests that need their own sessions)."""
    app = app or current_app
    return app.extensions["readiness.db"]["sessionmaker"]


def get_session() -> Session:
    """The database session of the current request, opened on first use."""
    if "db_session" not in g:
        g.db_session = get_sessionmaker()()
    return g.db_session


def close_session(_exc: BaseException | None = None) -> None:
    """Close the request's session, rolling back anything not committed."""
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def init_app(app: Flask) -> None:
    """Create the app's engine and session factory and close sessions after each request."""
    engine = make_engine(app.config["DATABASE_URL"], **app.config.get("DATABASE_OPTIONS", {}))
    app.extensions["readiness.db"] = {
        "engine": engine,
        "sessionmaker": sessionmaker(bind=engine, expire_on_commit=False),
    }
    app.teardown_appcontext(close_session)
