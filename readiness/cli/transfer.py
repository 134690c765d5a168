"""`readiness export` and `readiness import`: an organisation as one archive, and back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from readiness.cli.errors import CliError
from readiness.cli.language import cli_gettext as _
from readiness.cli.support import write_output
from readiness.db import get_sessionmaker
from readiness.models import Assessment
from readiness.models import Organisation
from readiness.services import organisation_import
from readiness.services.organisation_export import export_organisation
from readiness.services.report_export import render_format
from readiness.services.reports import assessment_report_data


def report_renderer(session: Any) -> Any:
    """A function rendering a submitted assessment's report in one language and format."""

    def render(assessment: Assessment, questionnaire: Any, lang: str, fmt: str) -> bytes:
        return render_format(assessment_report_data(session, questionnaire, assessment, lang), fmt)

    return render


@click.command("export")
@click.option("--organisation", "organisation_id", type=int, required=True, help="Its ID.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--pdf", is_flag=True, help="Add PDF reports (slower) to the HTML and JSON ones.")
@with_appcontext
def export_command(organisation_id: int, output: Path, pdf: bool) -> None:
    """Write an organisation's data and reports to one ZIP archive (see docs/data.md)."""
    formats = ("html", "json", "pdf") if pdf else ("html", "json")
    with get_sessionmaker()() as session:
        if session.get(Organisation, organisation_id) is None:
            raise CliError(_("no organisation with ID %(id)d", id=organisation_id))
        body = export_organisation(
            session,
            None,
            organisation_id,
            current_app.extensions["catalogue"],
            report_renderer(session),
            formats,
        )
    write_output(output, body)
    click.echo(_("Exported organisation %(id)d to %(path)s.", id=organisation_id, path=output))


@click.command("import")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_command(archive: Path) -> None:
    """Load an archive written by `readiness export` as a new organisation (users by e-mail)."""
    try:
        data = organisation_import.read_archive(archive)
    except organisation_import.ImportError_ as exc:
        raise CliError(str(exc)) from None
    with get_sessionmaker()() as session:
        organisation = organisation_import.import_organisation(
            session, data, catalogue=current_app.extensions["catalogue"]
        )
        click.echo(
            _(
                "Imported “%(name)s” as organisation %(id)d with %(n)d assessments.",
                name=organisation.name,
                id=organisation.id,
                n=len(data["assessments"]),
            )
        )
        if data["participations"]:
            click.echo(
                _(
                    "%(n)d programme participations kept as a record of the firm: this "
                    "installation has no link to those programmes, so they share nothing here; "
                    "to take part here, join a programme with a new invitation.",
                    n=len(data["participations"]),
                )
            )
        if data["programmes"]:
            click.echo(
                _(
                    "%(n)d programmes the organisation operates were created without firms: "
                    "invite the firms again; their data and consent stay theirs.",
                    n=len(data["programmes"]),
                )
            )
