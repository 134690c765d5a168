"""The `readiness` command: a Flask CLI group whose commands call the domain and the services."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from readiness import create_app


@click.group(cls=FlaskGroup, create_app=create_app)
def cli() -> None:
    """Readiness: smart-manufacturing and AI readiness assessments."""
