"""Throwaway test databases: SQLite files and a PostgreSQL cluster, migrated with Alembic."""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy import text

from readiness import migrate
from readiness.db import make_engine
from readiness.models import Base

PG_BIN = Path(os.environ.get("READINESS_PG_BIN", "/usr/lib/postgresql/15/bin"))
BACKENDS = ("sqlite", "postgres")


def selected_backends() -> list[str]:
    """The backends named by READINESS_TEST_DATABASES (default: sqlite,postgres)."""
    raw = os.environ.get("READINESS_TEST_DATABASES", "sqlite,postgres")
    chosen = [b.strip() for b in raw.split(",") if b.strip()]
    unknown = set(chosen) - set(BACKENDS)
    if unknown:
        raise ValueError(
            f"READINESS_TEST_DATABASES: unknown backend(s) {', '.join(sorted(unknown))}"
        )
    return chosen


def postgres_missing() -> str | None:
    """Why PostgreSQL tests cannot run here, or None if they can."""
    for tool in ("initdb", "pg_ctl"):
        if not (PG_BIN / tool).exists():
            return f"PostgreSQL server binaries not found in {PG_BIN} (install postgresql-15)"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(command: list[str]) -> list[str]:
    """Run as the postgres user when we are root (initdb refuses root)."""
    if os.geteuid() == 0:
        return ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(command)]
    return command


class PostgresCluster:
    """A PostgreSQL cluster in a temporary directory on a free loopback port."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="readiness-pg-"))
        self.port = _free_port()
        self._counter = itertools.count()

    def start(self) -> None:
        """initdb and start the server; raises RuntimeError with the server log on failure."""
        self.dir.chmod(0o755)
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        data = self.dir / "data"
        run = [
            str(PG_BIN / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale",
            "C.UTF-8",
        ]
        self._run(run)
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        start = [
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            f"'{options}'",
            "-l",
            str(self.dir / "log"),
            "-w",
            "start",
        ]
        self._run(start)

    def stop(self) -> None:
        """Stop the server and delete its files."""
        stop = [str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate", "stop"]
        subprocess.run(_as_postgres(stop), capture_output=True, check=False)
        shutil.rmtree(self.dir, ignore_errors=True)

    def _run(self, command: list[str]) -> None:
        result = subprocess.run(_as_postgres(command), capture_output=True, text=True, check=False)
        if result.returncode != 0:
            log = self.dir / "log"
            raise RuntimeError(
                f"{command[0]} failed: {result.stderr.strip()}"
                + (f"\n{log.read_text()}" if log.exists() else "")
            )

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of a database of this cluster."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def execute(self, statement: str) -> None:
        """Run one statement outside a transaction (CREATE/DROP DATABASE) on the admin database."""
        engine = create_engine(self.url(), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text(statement))
        finally:
            engine.dispose()

    def create_database(self, template: str | None = None) -> str:
        """A new empty database (or a copy of `template`); returns its name."""
        name = f"test_{os.getpid()}_{next(self._counter)}"
        suffix = f" TEMPLATE {template}" if template else ""
        self.execute(f"CREATE DATABASE {name}{suffix}")
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database, closing any connection still open to it."""
        self.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


class DatabaseFactory:
    """Hands out databases of one backend: new empty ones, or the shared migrated one (emptied)."""

    def __init__(self, backend: str, workdir: Path, cluster: PostgresCluster | None) -> None:
        self.backend = backend
        self.workdir = workdir
        self.cluster = cluster
        self._shared_url: str | None = None
        self._counter = itertools.count()

    @contextmanager
    def empty(self) -> Iterator[str]:
        """The URL of a new empty database, removed afterwards."""
        if self.backend == "sqlite":
            path = self.workdir / f"empty-{next(self._counter)}.db"
            try:
                yield f"sqlite:///{path}"
            finally:
                path.unlink(missing_ok=True)
            return
        assert self.cluster is not None
        name = self.cluster.create_database()
        try:
            yield self.cluster.url(name)
        finally:
            self.cluster.drop_database(name)

    def _shared(self) -> str:
        """The session's database of this backend, migrated to head once."""
        if self._shared_url is None:
            if self.backend == "sqlite":
                url = f"sqlite:///{self.workdir / 'shared.db'}"
            else:
                assert self.cluster is not None
                url = self.cluster.url(self.cluster.create_database())
            migrate.upgrade(url)
            self._shared_url = url
        return self._shared_url

    @contextmanager
    def migrated(self) -> Iterator[str]:
        """The URL of a database migrated to head with Alembic, emptied again afterwards.

        Emptying (TRUNCATE / DELETE) is far cheaper than a new database per test; the app
        fixture disposes its engine first, so nothing holds a lock.
        """
        url = self._shared()
        try:
            yield url
        finally:
            empty_tables(url)


def empty_tables(url: str) -> None:
    """Delete every row of every table but alembic_version, resetting ID sequences."""
    engine = make_engine(url)
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    try:
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                conn.execute(text("SET LOCAL lock_timeout = '10s'"))
                conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    conn.execute(text(f"DELETE FROM {table}"))
                has_sequences = conn.execute(
                    text("SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'")
                ).first()
                if has_sequences:
                    conn.execute(text("DELETE FROM sqlite_sequence"))
    finally:
        engine.dispose()
