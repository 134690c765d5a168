"""`readiness demo-data`: a synthetic cohort (an operator, a programme, firms, rounds) for demos."""

from __future__ import annotations

import time

import click
from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from readiness.cli.errors import CliError
from readiness.cli.language import cli_gettext as _
from readiness.cli.support import catalogue
from readiness.cli.support import report_app
from readiness.db import get_sessionmaker
from readiness.services.accounts import user_by_email
from readiness.services.demo_cohort import create_demo_cohort


@click.command("demo-data")
@click.option("--firms", type=click.IntRange(1, 1_000_000), default=100, show_default=True)
@click.option("--rounds", type=click.IntRange(1, 10), default=3, show_default=True)
@click.option(
    "--owner", "owner_email", default=None, help="E-mail of an existing user to own the operator."
)
@click.option("--seed", type=int, default=14, show_default=True)
@click.option(
    "--distinct",
    type=click.IntRange(1, 100_000),
    default=2000,
    show_default=True,
    help="Distinct answer sets scored by the real scoring (each costs a few milliseconds).",
)
def demo_data_command(
    firms: int, rounds: int, owner_email: str | None, seed: int, distinct: int
) -> None:
    """Create FIRMS synthetic firms with ROUNDS submitted assessments each, in a demo programme."""
    app: Flask = report_app()
    started = time.perf_counter()
    with app.app_context():
        questionnaire = catalogue().get(app.config["FLAGSHIP_QUESTIONNAIRE"])
        try:
            with get_sessionmaker(app)() as session:
                owner = user_by_email(session, owner_email) if owner_email else None
                if owner_email and owner is None:
                    raise CliError(
                        _("No user with the e-mail address %(email)s.", email=owner_email)
                    )
                made = create_demo_cohort(
                    session,
                    questionnaire,
                    firms,
                    rounds,
                    owner=owner,
                    seed=seed,
                    distinct=distinct,
                    progress=lambda message: click.echo(message, err=True),
                )
        except SQLAlchemyError as exc:
            raise CliError(_("The database cannot be written: %(error)s", error=exc)) from None
    click.echo(
        _(
            "Created %(firms)d firms and %(assessments)d assessments in programme %(programme)d"
            " of organisation %(operator)d in %(seconds).1f s.",
            firms=made.firms,
            assessments=made.assessments,
            programme=made.programme_id,
            operator=made.operator_id,
            seconds=time.perf_counter() - started,
        )
    )
