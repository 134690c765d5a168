"""The `readiness` command: a Flask CLI group whose commands call the domain and the services."""

from __future__ import annotations

import json
from pathlib import Path

import click

from readiness import create_app
from readiness import migrate
from readiness.cli_errors import CliError
from readiness.cli_errors import cli_text
from readiness.cli_errors import lang_option
from readiness.cli_errors import unknown_questionnaire
from readiness.cli_language import ReadinessGroup
from readiness.cli_reports import compare_command
from readiness.cli_reports import report_command
from readiness.cli_support import catalogue
from readiness.cli_support import read_answers
from readiness.config import INSTANCE_PATH
from readiness.config import database_url
from readiness.domain.export import questionnaire_to_dict
from readiness.domain.loading import load_questionnaire
from readiness.domain.problems import QuestionnaireError
from readiness.domain.results import result_document
from readiness.i18n import cli_gettext as _
from readiness.services.questionnaires import UnknownQuestionnaire


@click.group(cls=ReadinessGroup, create_app=create_app)
def cli() -> None:
    """Readiness: smart-manufacturing and AI readiness assessments."""


# --- database commands (owner: the foundation) -------------------------------------------------


@cli.group("db")
def db_group() -> None:
    """Create or migrate the database schema (DATABASE_URL, default instance/readiness.db)."""


def _database_url() -> str:
    INSTANCE_PATH.mkdir(parents=True, exist_ok=True)
    return database_url()


@db_group.command("upgrade", with_appcontext=False)
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the database up to REVISION (default: the latest)."""
    migrate.upgrade(_database_url(), revision)
    click.echo(_("Database upgraded to %(revision)s.", revision=revision))


@db_group.command("downgrade", with_appcontext=False)
@click.argument("revision", default="-1")
def db_downgrade(revision: str) -> None:
    """Migrate the database down to REVISION (default: one step back; 'base' empties it)."""
    migrate.downgrade(_database_url(), revision)
    click.echo(_("Database downgraded to %(revision)s.", revision=revision))


@db_group.command("current", with_appcontext=False)
def db_current() -> None:
    """Show the revision the database is at."""
    migrate.current(_database_url())


# --- questionnaire commands (owner: questionnaire loading) --------------------------------------


@cli.group("questionnaire")
def questionnaire_group() -> None:
    """Validate, list and export questionnaire data files."""


@questionnaire_group.command("validate", with_appcontext=False)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def questionnaire_validate(files: tuple[Path, ...]) -> None:
    """Check questionnaire FILES; print every problem, one line each (exit 1 if any)."""
    failed = False
    for path in files:
        try:
            questionnaire = load_questionnaire(path)
        except QuestionnaireError as exc:
            failed = True
            for problem in exc.problems:
                click.echo(cli_text(problem))
            continue
        click.echo(
            _(
                "%(path)s: ok (%(key)s, %(n)d questions)",
                path=path,
                key=questionnaire.key,
                n=len(questionnaire.questions),
            )
        )
    if failed:
        raise SystemExit(1)


@questionnaire_group.command("list", with_appcontext=False)
def questionnaire_list() -> None:
    """List the questionnaires of QUESTIONNAIRE_DIR; problems of broken files go to stderr."""
    found = catalogue()
    for q in found.all():
        click.echo(f"{q.id}\t{q.version}\t{q.title.get('en')}\t{q.title.get('zh')}")
    for problem in found.problems:
        click.echo(cli_text(problem), err=True)


@questionnaire_group.command("export", with_appcontext=False)
@click.argument("questionnaire_id")
@click.option("--version", "version", type=int, default=None, help="Default: the latest.")
def questionnaire_export(questionnaire_id: str, version: int | None) -> None:
    """Print questionnaire QUESTIONNAIRE_ID as JSON."""
    try:
        questionnaire = catalogue().get(questionnaire_id, version)
    except UnknownQuestionnaire as exc:
        raise CliError(unknown_questionnaire(exc)) from None
    click.echo(json.dumps(questionnaire_to_dict(questionnaire), ensure_ascii=False, indent=2))


# --- scoring commands (owner: scoring and recommendations) --------------------------------------


@cli.command("score", with_appcontext=False)
@click.argument("questionnaire_id")
@click.argument("answers_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--version", "version", type=int, default=None, help="Default: the latest.")
@lang_option()
def score_command(
    questionnaire_id: str, answers_file: Path, version: int | None, lang: str
) -> None:
    """Score ANSWERS_FILE (JSON) against QUESTIONNAIRE_ID; print results and the plan as JSON."""
    try:
        questionnaire = catalogue().get(questionnaire_id, version)
    except UnknownQuestionnaire as exc:
        raise CliError(unknown_questionnaire(exc)) from None
    answers, profile = read_answers(questionnaire, answers_file)
    document = result_document(questionnaire, answers, profile, lang)
    if lang != "en":  # the `rule` fields are the technical working, always in English
        document["notes"] = {
            "rule": _("The “rule” fields give the technical working of each result, in English.")
        }
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))


cli.add_command(compare_command)
cli.add_command(report_command)
