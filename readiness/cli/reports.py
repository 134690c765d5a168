"""The `readiness compare` and `readiness report` commands (answer files, stored assessments)."""

from __future__ import annotations

import json
from datetime import UTC
from datetime import datetime
from pathlib import Path

import click
from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from readiness.cli.errors import CliError
from readiness.cli.errors import lang_option
from readiness.cli.errors import unknown_questionnaire
from readiness.cli.language import cli_gettext as _
from readiness.cli.support import catalogue
from readiness.cli.support import read_answers
from readiness.cli.support import report_app
from readiness.cli.support import write_output
from readiness.db import get_sessionmaker
from readiness.domain.answers import AnswerSet
from readiness.domain.comparison import compare
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.scoring import score
from readiness.models import Assessment
from readiness.models.base import MAX_ID
from readiness.services.comparison_exports import comparison_rows
from readiness.services.comparison_exports import to_csv
from readiness.services.comparison_render import render_comparison_pdf
from readiness.services.comparison_view import pair_view
from readiness.services.comparisons import Scored
from readiness.services.questionnaires import UnknownQuestionnaire
from readiness.services.report_export import FORMATS as REPORT_FORMATS
from readiness.services.report_export import render_format
from readiness.services.report_model import ReportData
from readiness.services.report_model import ReportUnavailable
from readiness.services.reports import assessment_report_data
from readiness.services.reports import report_data
from readiness.services.tree_report import tree_report_from_answers


@click.command("compare")
@click.argument("before_file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("after_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--questionnaire", "questionnaire_id", required=True, help="Questionnaire ID.")
@click.option(
    "--version",
    "versions",
    type=int,
    multiple=True,
    help="Once: both files; twice: BEFORE_FILE's, then AFTER_FILE's. Default: the latest.",
)
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "pdf"]), default="json")
@lang_option("The language of the PDF and of the messages.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
def compare_command(
    before_file: Path,
    after_file: Path,
    questionnaire_id: str,
    versions: tuple[int, ...],
    fmt: str,
    lang: str,
    output: Path | None,
) -> None:
    """Compare two answers files (before, after): score and level changes as JSON, CSV or PDF."""
    if fmt == "pdf" and output is None:
        raise click.UsageError(_("--format pdf needs -o FILE"))
    if len(versions) > 2:
        raise click.UsageError(_("give --version at most twice (before, after)"))
    try:
        found = catalogue()
        before_q = found.get(questionnaire_id, versions[0] if versions else None)
        after_q = found.get(questionnaire_id, versions[-1] if versions else None)
    except UnknownQuestionnaire as exc:
        raise CliError(unknown_questionnaire(exc)) from None
    if before_q.is_tree or after_q.is_tree:
        raise CliError(_("format-2 questionnaires are compared in the web app or through the API"))
    before, _before_profile = read_answers(before_q, before_file, name_file=True)
    after, _after_profile = read_answers(after_q, after_file, name_file=True)
    comparison = compare(
        before_q, score(before_q, before), before, after_q, score(after_q, after), after
    )
    if fmt == "pdf":
        _write_comparison_pdf(
            [(before_file, before_q, before), (after_file, after_q, after)], lang, output
        )
        return
    if fmt == "csv":
        text = to_csv(comparison_rows(comparison))
    else:
        text = json.dumps(comparison.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    write_output(output, text.encode("utf-8"))


def _write_comparison_pdf(
    files: list[tuple[Path, Questionnaire, AnswerSet]], lang: str, output: Path
) -> None:
    """Render the comparison report of answers files (labelled by file date and name) to PDF."""
    items = []
    for number, (path, questionnaire, answers) in enumerate(files, start=1):
        when = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        # A transient, never-saved Assessment carries the file's name and date into the report.
        stand_in = Assessment(
            id=number, title=path.name, status="submitted", submitted_at=when, created_at=when
        )
        items.append(Scored(stand_in, questionnaire, answers, score(questionnaire, answers)))
    app = report_app()
    with app.app_context():
        pdf = render_comparison_pdf(pair_view(items[0], items[1], lang))
    write_output(output, pdf)


def _file_report(
    app: Flask,
    path: Path,
    questionnaire_id: str,
    version: int | None,
    lang: str,
    organisation: str,
    filled_in_by: str,
) -> ReportData:
    """The report of an answers file, parsed with the same one-line errors as `readiness score`."""
    try:
        questionnaire = app.extensions["catalogue"].get(questionnaire_id, version)
    except UnknownQuestionnaire as exc:
        raise CliError(unknown_questionnaire(exc)) from None
    answers, profile = read_answers(questionnaire, path)
    if questionnaire.is_tree:  # format 2: native scores, its own levels and conditions
        return tree_report_from_answers(  # type: ignore[return-value]
            questionnaire, answers.values, lang, organisation, filled_in_by
        )
    return report_data(
        questionnaire,
        answers,
        profile,
        lang=lang,
        organisation=organisation,
        filled_in_by=filled_in_by,
    )


def _stored_report(app: Flask, assessment_id: int, lang: str) -> ReportData:
    """The report of a submitted assessment in the app's database."""
    if not 1 <= assessment_id <= MAX_ID:  # no row has such an ID; the database would refuse it
        raise CliError(_("no assessment %(id)d", id=assessment_id))
    with get_sessionmaker(app)() as session:
        try:
            assessment = session.get(Assessment, assessment_id)
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", exc)).splitlines()[0]
            raise CliError(
                _(
                    "cannot read the database (%(reason)s); is it set up (`readiness db upgrade`)?",
                    reason=reason,
                )
            ) from None
        if assessment is None:
            raise CliError(_("no assessment %(id)d", id=assessment_id))
        try:
            questionnaire = app.extensions["catalogue"].get(
                assessment.questionnaire_id, assessment.questionnaire_version
            )
            return assessment_report_data(session, questionnaire, assessment, lang)
        except UnknownQuestionnaire as exc:
            raise CliError(unknown_questionnaire(exc)) from None
        except ReportUnavailable as exc:
            raise CliError(str(exc)) from None


@click.command("report")
@click.argument("answers_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--questionnaire", "questionnaire_id", help="Questionnaire ID (answers files).")
@click.option("--version", "version", type=int, default=None, help="Default: the latest.")
@click.option("--assessment", "assessment_id", type=int, help="A stored, submitted assessment.")
@click.option(
    "--format", "fmt", type=click.Choice(list(REPORT_FORMATS)), default="pdf", show_default=True
)
@lang_option()
@click.option("--organisation", default="", help="Organisation named on the cover (answers files).")
@click.option("--by", "filled_in_by", default="", help="Who filled it in (answers files).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def report_command(
    answers_file: Path | None,
    questionnaire_id: str | None,
    version: int | None,
    assessment_id: int | None,
    fmt: str,
    lang: str,
    organisation: str,
    filled_in_by: str,
    output: Path,
) -> None:
    """Write the report of ANSWERS_FILE (with --questionnaire) or of --assessment N to -o FILE."""
    if (answers_file is None) == (assessment_id is None):
        raise click.UsageError(
            _("give either ANSWERS_FILE (with --questionnaire) or --assessment N")
        )
    if answers_file is not None and not questionnaire_id:
        raise click.UsageError(_("ANSWERS_FILE needs --questionnaire ID"))
    app = report_app()
    with app.app_context():
        if answers_file is not None:
            data = _file_report(
                app, answers_file, questionnaire_id or "", version, lang, organisation, filled_in_by
            )
        else:
            data = _stored_report(app, assessment_id if assessment_id is not None else 0, lang)
        try:
            body = render_format(data, fmt)
        except ValueError:  # Word and Excel are not offered for a format-2 questionnaire
            raise CliError(
                _("the %(format)s report is not offered for this questionnaire", format=fmt)
            ) from None
    write_output(output, body)
    click.echo(
        _("%(path)s: %(format)s report, %(size)d bytes", path=output, format=fmt, size=len(body))
    )
