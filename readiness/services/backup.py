"""Backing up and restoring a whole installation: the database, the report cache, the settings.

A backup is one tar.gz archive:

- `manifest.json`: format, version, time, database dialect, Alembic revision, file checksums;
- `database.sqlite` (SQLite's online backup API, consistent while the app runs) or
  `database.pgdump` (`pg_dump --format=custom`, restored with `pg_restore`);
- `reports/…`: the cached report PDFs;
- `config.json`: the configuration without secrets (no SECRET_KEY, passwords or
  credentials in URLs), for reference when setting up the new installation.

A restore goes into an empty installation only (a database without tables), so that it can
never overwrite live data.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import inspect
from sqlalchemy import text
from sqlalchemy.engine import make_url

from readiness.db import make_engine
from readiness.models.base import utcnow

FORMAT = "readiness-backup"
VERSION = 1
SECRET_WORDS = ("SECRET", "PASSWORD", "TOKEN", "KEY")
SAFE_TYPES = (str, int, float, bool, type(None))


class BackupError(Exception):
    """A backup or restore cannot be done; the message says why (shown as one line)."""


@dataclass(frozen=True)
class Restored:
    """What a restore did: the dialect, the revision, how many cached reports came back."""

    dialect: str
    revision: str | None
    reports: int


def public_config(config: Mapping[str, Any]) -> dict[str, Any]:
    """The settings that are safe to keep in a backup: no secrets, no credentials."""
    safe: dict[str, Any] = {}
    for name, value in sorted(config.items()):
        if not name.isupper() or any(word in name for word in SECRET_WORDS):
            continue
        if name == "DATABASE_URL" and isinstance(value, str):
            value = make_url(value).render_as_string(hide_password=True)
        if isinstance(value, SAFE_TYPES):
            safe[name] = value
        elif isinstance(value, list | tuple) and all(isinstance(v, SAFE_TYPES) for v in value):
            safe[name] = list(value)
    return safe


def _revision(url: str) -> str | None:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()


def pg_tool(name: str) -> str:
    """The path of pg_dump or pg_restore: on PATH, else Debian's newest server binaries."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    if not candidates:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return str(candidates[0])


def _pg_args(url: str) -> tuple[list[str], dict[str, str]]:
    """libpq connection options and environment of a SQLAlchemy PostgreSQL URL."""
    parsed = make_url(url)
    args = ["--dbname", parsed.database or "postgres"]
    if parsed.host:
        args += ["--host", parsed.host]
    if parsed.port:
        args += ["--port", str(parsed.port)]
    if parsed.username:
        args += ["--username", parsed.username]
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[:500]}")


def _dump_database(url: str, workdir: Path) -> Path:
    """A consistent copy of the database in `workdir`."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise BackupError("an in-memory SQLite database cannot be backed up")
        target = workdir / "database.sqlite"
        source = sqlite3.connect(f"file:{parsed.database}?mode=ro", uri=True)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # the online backup API: safe while the app writes
        finally:
            copy.close()
            source.close()
        return target
    if parsed.get_backend_name() == "postgresql":
        target = workdir / "database.pgdump"
        args, env = _pg_args(url)
        command = [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"]
        _run([*command, "--file", str(target), *args], env)
        return target
    raise BackupError(f"cannot back up a {parsed.get_backend_name()} database")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def create_backup(url: str, report_dir: Path, config: Mapping[str, Any], output: Path) -> dict:
    """Write the backup archive of the installation to `output`; returns its manifest."""
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        database = _dump_database(url, workdir)
        files = {database.name: _sha256(database)}
        reports = (
            sorted(p for p in report_dir.glob("*.pdf") if p.is_file())
            if report_dir.is_dir()
            else []
        )
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": utcnow().isoformat(),
            "dialect": make_url(url).get_backend_name(),
            "revision": _revision(url),
            "files": files,
            "reports": {p.name: _sha256(p) for p in reports},
        }
        with tarfile.open(output, "w:gz") as archive:
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
            _add_bytes(archive, "config.json", json.dumps(public_config(config), indent=2).encode())
            archive.add(database, arcname=database.name)
            for path in reports:
                archive.add(path, arcname=f"reports/{path.name}")
    return manifest


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(utcnow().timestamp())
    archive.addfile(info, io.BytesIO(data))


def _check_empty(url: str) -> None:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            tables = inspect(conn).get_table_names()
    finally:
        engine.dispose()
    if tables:
        raise BackupError(
            "the target database is not empty; restore only into a new, empty database"
        )


def restore_backup(archive_path: Path, url: str, report_dir: Path, instance: Path) -> Restored:
    """Restore an archive into the empty installation at `url`; raises BackupError."""
    try:
        archive = tarfile.open(archive_path, "r:gz")
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"{archive_path}: not a backup archive ({exc})") from None
    with archive, tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        try:
            manifest = json.loads(archive.extractfile("manifest.json").read())  # type: ignore[union-attr]
        except (KeyError, AttributeError, ValueError):
            raise BackupError(f"{archive_path}: no readable manifest.json") from None
        if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
            raise BackupError(f"{archive_path}: not a Readiness backup of version {VERSION}")
        dialect = make_url(url).get_backend_name()
        if manifest.get("dialect") != dialect:
            raise BackupError(
                f"the backup is of a {manifest.get('dialect')} database; the target is {dialect}"
            )
        archive.extractall(workdir, filter="data")
        for name, digest in {
            **manifest["files"],
            **{f"reports/{n}": d for n, d in manifest.get("reports", {}).items()},
        }.items():
            if _sha256(workdir / name) != digest:
                raise BackupError(f"{name}: checksum mismatch; the archive is damaged")
        _check_empty(url)
        _load_database(workdir, url, dialect)
        report_dir.mkdir(parents=True, exist_ok=True)
        reports = (
            sorted((workdir / "reports").glob("*.pdf")) if (workdir / "reports").is_dir() else []
        )
        for path in reports:
            shutil.copy2(path, report_dir / path.name)
        instance.mkdir(parents=True, exist_ok=True)
        shutil.copy2(workdir / "config.json", instance / "restored-config.json")
    return Restored(dialect, manifest.get("revision"), len(reports))


def _load_database(workdir: Path, url: str, dialect: str) -> None:
    if dialect == "sqlite":
        path = make_url(url).database
        if not path or path == ":memory:":
            raise BackupError("restore needs a SQLite database file")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(workdir / "database.sqlite")
        target = sqlite3.connect(path)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        return
    args, env = _pg_args(url)
    command = [pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--single-transaction"]
    _run([*command, "--exit-on-error", *args, str(workdir / "database.pgdump")], env)
