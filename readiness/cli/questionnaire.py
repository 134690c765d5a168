"""`readiness questionnaire`: validate, list, export and upgrade questionnaire files."""

from __future__ import annotations

import json
from pathlib import Path

import click
import yaml
from flask.cli import AppGroup

from readiness.cli.errors import CliError
from readiness.cli.errors import cli_text
from readiness.cli.errors import unknown_questionnaire
from readiness.cli.language import cli_gettext as _
from readiness.cli.support import catalogue
from readiness.cli.support import write_output
from readiness.domain.aggregation.export import instrument_to_dict
from readiness.domain.aggregation.model import Instrument
from readiness.domain.aggregation.upgrade import not_carried
from readiness.domain.aggregation.upgrade import upgrade_document
from readiness.domain.export import questionnaire_to_dict
from readiness.domain.loading import load_any
from readiness.domain.problems import QuestionnaireError
from readiness.services.questionnaires import UnknownQuestionnaire


@click.group("questionnaire", cls=AppGroup)
def questionnaire_group() -> None:
    """Validate, list and export questionnaire data files."""


@questionnaire_group.command("validate", with_appcontext=False)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def questionnaire_validate(files: tuple[Path, ...]) -> None:
    """Check questionnaire FILES; print every problem, one line each (exit 1 if any)."""
    failed = False
    for path in files:
        try:
            questionnaire = load_any(path)
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
                n=len(
                    questionnaire.items
                    if isinstance(questionnaire, Instrument)
                    else questionnaire.questions
                ),
            )
        )
    if failed:
        raise SystemExit(1)


@questionnaire_group.command("list", with_appcontext=False)
def questionnaire_list() -> None:
    """List the questionnaires of QUESTIONNAIRE_DIR; problems of broken files go to stderr."""
    found = catalogue()
    for q in found.all():  # both formats: a format-2 file is listed through its fill-in view
        click.echo(f"{q.id}\t{q.version}\t{q.title.get('en')}\t{q.title.get('zh')}")
    for problem in found.problems:
        click.echo(cli_text(problem), err=True)


@questionnaire_group.command("export", with_appcontext=False)
@click.argument("questionnaire_id")
@click.option("--version", "version", type=int, default=None, help="Default: the latest.")
def questionnaire_export(questionnaire_id: str, version: int | None) -> None:
    """Print questionnaire QUESTIONNAIRE_ID as JSON."""
    found = catalogue()
    try:
        found_q = found.get(questionnaire_id, version)
    except UnknownQuestionnaire as exc:
        raise CliError(unknown_questionnaire(exc)) from None
    if found_q.is_tree:
        data = instrument_to_dict(found_q.instrument)
    else:
        data = questionnaire_to_dict(found_q)
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@questionnaire_group.command("upgrade", with_appcontext=False)
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
def questionnaire_upgrade(file: Path, output: Path | None) -> None:
    """Rewrite format-1 FILE as format 2 (YAML): the same items and scores, as a tree."""
    try:
        found = load_any(file)
    except QuestionnaireError as exc:
        raise CliError("\n".join(cli_text(p) for p in exc.problems)) from None
    if isinstance(found, Instrument):
        raise CliError(_("%(path)s is format 2 already", path=file))
    text = yaml.safe_dump(upgrade_document(found), allow_unicode=True, sort_keys=False)
    for line in not_carried(found):
        message = _("not carried over (format 2 has no place for it): %(what)s", what=line)
        click.echo(message, err=True)
    if output is None:
        click.echo(text, nl=False)
        return
    write_output(output, text.encode("utf-8"))
