"""`readiness backup` and `readiness restore`: a whole installation in one archive, and back."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from readiness.cli.errors import CliError
from readiness.cli.language import cli_gettext as _
from readiness.db import get_sessionmaker
from readiness.services import audit
from readiness.services import backup
from readiness.services.summary_repair import fill_missing_summaries


def _report_dir() -> Path:
    configured = current_app.config.get("REPORT_CACHE_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "reports"


@click.command("backup")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@with_appcontext
def backup_command(output: Path) -> None:
    """Back up the database, the report cache and the settings (without secrets) to FILE."""
    url = current_app.config["DATABASE_URL"]
    try:
        manifest = backup.create_backup(url, _report_dir(), current_app.config, output)
    except (backup.BackupError, OSError) as exc:
        raise CliError(str(exc)) from None
    with get_sessionmaker()() as session:
        audit.record(session, "backup_created", details={"revision": manifest["revision"]})
    click.echo(_("Backup written to %(path)s.", path=output))


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(archive: Path) -> None:
    """Restore a backup into this installation, whose database must be empty."""
    url = current_app.config["DATABASE_URL"]
    instance = Path(current_app.instance_path)
    try:
        restored = backup.restore_backup(archive, url, _report_dir(), instance)
    except (backup.BackupError, OSError) as exc:
        raise CliError(str(exc)) from None
    with get_sessionmaker()() as session:
        # Submitted assessments without a summary (imported before imports wrote them) get one.
        fill_missing_summaries(session, current_app.extensions["catalogue"])
        audit.record(session, "backup_restored", details={"revision": restored.revision})
    click.echo(
        _(
            "Restored the %(dialect)s database (revision %(revision)s) and %(n)d cached reports; "
            "the backed-up settings are in %(path)s.",
            dialect=restored.dialect,
            revision=restored.revision,
            n=restored.reports,
            path=instance / "restored-config.json",
        )
    )
