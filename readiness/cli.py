"""The `readiness` command: a Flask CLI group whose commands call the domain and the services."""

from __future__ import annotations

import json
from datetime import UTC
from datetime import datetime
from pathlib import Path

import click
from flask import Flask
from flask import current_app
from flask.cli import FlaskGroup
from flask.cli import ScriptInfo
from sqlalchemy.exc import SQLAlchemyError

from readiness import create_app
from readiness import migrate
from readiness.cli_errors import CliError
from readiness.cli_errors import cli_text
from readiness.cli_errors import unknown_questionnaire
from readiness.config import INSTANCE_PATH
from readiness.config import database_url
from readiness.config import questionnaire_dir
from readiness.db import get_sessionmaker
from readiness.domain.answers import AnswerError
from readiness.domain.answers import AnswerSet
from readiness.domain.answers import parse_answer_file
from readiness.domain.answers import parse_answers
from readiness.domain.answers import parse_profile
from readiness.domain.comparison import compare
from readiness.domain.export import questionnaire_to_dict
from readiness.domain.loading import load_questionnaire
from readiness.domain.problems import QuestionnaireError
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.results import result_document
from readiness.domain.scoring import score
from readiness.i18n import cli_gettext as _
from readiness.models import Assessment
from readiness.services.comparison_exports import comparison_rows
from readiness.services.comparison_exports import to_csv
from readiness.services.comparison_render import render_comparison_pdf
from readiness.services.comparison_view import pair_view
from readiness.services.comparisons import Scored
from readiness.services.questionnaires import Catalogue
from readiness.services.questionnaires import UnknownQuestionnaire
from readiness.services.report_export import FORMATS as REPORT_FORMATS
from readiness.services.report_export import render_format
from readiness.services.reports import ReportData
from readiness.services.reports import ReportUnavailable
from readiness.services.reports import assessment_report_data
from readiness.services.reports import report_data


@click.group(cls=FlaskGroup, create_app=create_app)
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
    catalogue = _catalogue()
    for q in catalogue.all():
        click.echo(f"{q.id}\t{q.version}\t{q.title.get('en')}\t{q.title.get('zh')}")
    for problem in catalogue.problems:
        click.echo(cli_text(problem), err=True)


@questionnaire_group.command("export", with_appcontext=False)
@click.argument("questionnaire_id")
@click.option("--version", "version", type=int, default=None, help="Default: the latest.")
def questionnaire_export(questionnaire_id: str, version: int | None) -> None:
    """Print questionnaire QUESTIONNAIRE_ID as JSON."""
    try:
        questionnaire = _catalogue().get(questionnaire_id, version)
    except UnknownQuestionnaire as exc:
        raise CliError(unknown_questionnaire(exc)) from None
    click.echo(json.dumps(questionnaire_to_dict(questionnaire), ensure_ascii=False, indent=2))


def _catalogue() -> Catalogue:
    """The app's catalogue; without a usable app, QUESTIONNAIRE_DIR's (needs no SECRET_KEY)."""
    if current_app:
        catalogue = current_app.extensions.get("catalogue")
        if isinstance(catalogue, Catalogue):
            return catalogue
        return Catalogue.load(current_app.config["QUESTIONNAIRE_DIR"])
    info = click.get_current_context().find_object(ScriptInfo)
    if info is not None:
        try:
            app = info.load_app()
        except Exception:  # no usable app (e.g. production config without SECRET_KEY)
            app = None
        if app is not None:
            with app.app_context():
                return _catalogue()
    return Catalogue.load(questionnaire_dir())


# --- scoring commands (owner: scoring and recommendations) --------------------------------------


@cli.command("score", with_appcontext=False)
@click.argument("questionnaire_id")
@click.argument("answers_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--version", "version", type=int, default=None, help="Default: the latest.")
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True)
def score_command(
    questionnaire_id: str, answers_file: Path, version: int | None, lang: str
) -> None:
    """Score ANSWERS_FILE (JSON) against QUESTIONNAIRE_ID; print results and the plan as JSON."""
    try:
        questionnaire = _catalogue().get(questionnaire_id, version)
        text = answers_file.read_text(encoding="utf-8")
        raw_answers, raw_profile = parse_answer_file(text)
        answers = parse_answers(questionnaire, raw_answers)
        profile = parse_profile(questionnaire, raw_profile)
    except UnknownQuestionnaire as exc:
        raise CliError(unknown_questionnaire(exc)) from None
    except AnswerError as exc:
        raise CliError(cli_text(exc)) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc).splitlines()[0]
        raise CliError(
            _("cannot read %(path)s: %(reason)s", path=answers_file, reason=reason)
        ) from None
    document = result_document(questionnaire, answers, profile, lang)
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))


# --- comparison commands (owner: repeat assessments) --------------------------------------------


def _answers_from_file(questionnaire: Questionnaire, path: Path) -> AnswerSet:
    """The answers of an answers file (the shape `readiness score` reads); one-line errors."""
    try:
        raw_answers, raw_profile = parse_answer_file(path.read_text(encoding="utf-8"))
        parse_profile(questionnaire, raw_profile)
        return parse_answers(questionnaire, raw_answers)
    except AnswerError as exc:
        raise CliError(f"{path}: {cli_text(exc)}") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc).splitlines()[0]
        raise CliError(_("cannot read %(path)s: %(reason)s", path=path, reason=reason)) from None


@cli.command("compare", with_appcontext=False)
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
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", help="PDF language.")
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
        catalogue = _catalogue()
        before_q = catalogue.get(questionnaire_id, versions[0] if versions else None)
        after_q = catalogue.get(questionnaire_id, versions[-1] if versions else None)
    except UnknownQuestionnaire as exc:
        raise CliError(unknown_questionnaire(exc)) from None
    before = _answers_from_file(before_q, before_file)
    after = _answers_from_file(after_q, after_file)
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
    try:
        output.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise CliError(
            _("cannot write %(path)s: %(reason)s", path=output, reason=exc.strerror or exc)
        ) from None


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
    app = _report_app()
    with app.app_context():
        pdf = render_comparison_pdf(pair_view(items[0], items[1], lang))
    try:
        output.write_bytes(pdf)
    except OSError as exc:
        raise CliError(
            _("cannot write %(path)s: %(reason)s", path=output, reason=exc.strerror or exc)
        ) from None


# --- report commands (owner: reports) -----------------------------------------------------------


def _report_app() -> Flask:
    """The app whose templates and database a report uses (built without SECRET_KEY if need be)."""
    if current_app:
        return current_app._get_current_object()  # type: ignore[attr-defined]
    info = click.get_current_context().find_object(ScriptInfo)
    try:
        return info.load_app() if info is not None else create_app()
    except Exception:  # e.g. production without SECRET_KEY: sessions are not needed for a file
        return create_app({"SECRET_KEY": "readiness-report-cli-no-sessions"})


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
        raw_answers, raw_profile = parse_answer_file(path.read_text(encoding="utf-8"))
        answers = parse_answers(questionnaire, raw_answers)
        profile = parse_profile(questionnaire, raw_profile)
    except UnknownQuestionnaire as exc:
        raise CliError(unknown_questionnaire(exc)) from None
    except AnswerError as exc:
        raise CliError(cli_text(exc)) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc).splitlines()[0]
        raise CliError(_("cannot read %(path)s: %(reason)s", path=path, reason=reason)) from None
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


@cli.command("report", with_appcontext=False)
@click.argument("answers_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--questionnaire", "questionnaire_id", help="Questionnaire ID (answers files).")
@click.option("--version", "version", type=int, default=None, help="Default: the latest.")
@click.option("--assessment", "assessment_id", type=int, help="A stored, submitted assessment.")
@click.option(
    "--format", "fmt", type=click.Choice(list(REPORT_FORMATS)), default="pdf", show_default=True
)
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True)
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
    app = _report_app()
    with app.app_context():
        if answers_file is not None:
            data = _file_report(
                app, answers_file, questionnaire_id or "", version, lang, organisation, filled_in_by
            )
        else:
            data = _stored_report(app, assessment_id or 0, lang)
        body = render_format(data, fmt)
    try:
        output.write_bytes(body)
    except OSError as exc:
        raise CliError(
            _("cannot write %(path)s: %(reason)s", path=output, reason=exc.strerror or exc)
        ) from None
    click.echo(
        _("%(path)s: %(format)s report, %(size)d bytes", path=output, format=fmt, size=len(body))
    )
