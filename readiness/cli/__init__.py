"""The `readiness` command: a Flask CLI group; each command group lives in a module of its own."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from readiness import create_app
from readiness.cli.crosswalk import crosswalk_command
from readiness.cli.database import db_group
from readiness.cli.questionnaire import questionnaire_group
from readiness.cli.reports import compare_command
from readiness.cli.reports import report_command
from readiness.cli.score import score_command


@click.group(cls=FlaskGroup, create_app=create_app)
def cli() -> None:
    """Readiness: smart-manufacturing and AI readiness assessments."""


for command in (
    db_group,
    questionnaire_group,
    score_command,
    compare_command,
    report_command,
    crosswalk_command,
):
    cli.add_command(command)
