"""The `readiness` command: a Flask CLI group; each command group lives in a module of its own."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from readiness import create_app
from readiness.cli.backup import backup_command
from readiness.cli.backup import restore_command
from readiness.cli.crosswalk import crosswalk_command
from readiness.cli.database import db_group
from readiness.cli.demo import demo_data_command
from readiness.cli.questionnaire import questionnaire_group
from readiness.cli.remind import remind_command
from readiness.cli.reports import compare_command
from readiness.cli.reports import report_command
from readiness.cli.score import score_command
from readiness.cli.transfer import export_command
from readiness.cli.transfer import import_command
from readiness.cli.worker import worker_command


@click.group(cls=FlaskGroup, create_app=create_app)
def cli() -> None:
    """Readiness: smart-manufacturing and AI readiness assessments."""


COMMANDS = (
    db_group,
    questionnaire_group,
    score_command,
    compare_command,
    report_command,
    export_command,
    import_command,
    backup_command,
    restore_command,
    worker_command,
    remind_command,
    crosswalk_command,
    demo_data_command,
)
for command in COMMANDS:
    cli.add_command(command)
