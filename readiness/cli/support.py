"""Helpers shared by the `readiness` commands: catalogue, answers files, output files, the app."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask
from flask import current_app
from flask.cli import ScriptInfo

from readiness import create_app
from readiness.cli.errors import CliError
from readiness.cli.errors import cli_text
from readiness.cli.language import cli_gettext as _
from readiness.config import questionnaire_dir
from readiness.domain.aggregation.answers import parse_instrument_answers
from readiness.domain.aggregation.model import Instrument
from readiness.domain.answer_files import parse_answer_file
from readiness.domain.answers import AnswerError
from readiness.domain.answers import AnswerSet
from readiness.domain.answers import parse_answers
from readiness.domain.answers import parse_profile
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.versions import DetectedVersion
from readiness.domain.versions import detect_version
from readiness.services.questionnaires import Catalogue


def catalogue() -> Catalogue:
    """The app's catalogue; without a usable app, QUESTIONNAIRE_DIR's (needs no SECRET_KEY)."""
    if current_app:
        stored = current_app.extensions.get("catalogue")
        if isinstance(stored, Catalogue):
            return stored
        return Catalogue.for_config(current_app.config)
    info = click.get_current_context().find_object(ScriptInfo)
    if info is not None:
        try:
            app = info.load_app()
        except Exception:  # no usable app (e.g. production config without SECRET_KEY)
            app = None
        if app is not None:
            with app.app_context():
                return catalogue()
    return Catalogue.with_builtin(questionnaire_dir())


def read_answers(
    questionnaire: Questionnaire, path: Path, *, name_file: bool = False
) -> tuple[AnswerSet, dict]:
    """The answers and profile of an answers file (the shape `readiness score` reads).

    :raises CliError: one line naming the question (and the file, with `name_file`).
    """
    try:
        raw_answers, raw_profile = parse_answer_file(path.read_text(encoding="utf-8"))
        answers = parse_answers(questionnaire, raw_answers)
        profile = parse_profile(questionnaire, raw_profile)
    except AnswerError as exc:
        message = cli_text(exc)
        raise CliError(f"{path}: {message}" if name_file else message) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc).splitlines()[0]
        raise CliError(_("cannot read %(path)s: %(reason)s", path=path, reason=reason)) from None
    return answers, profile


def read_instrument_answers(instrument: Instrument, path: Path) -> dict[str, object]:
    """The answers of an answers file for a format-2 questionnaire (the profile is not used).

    :raises CliError: one line naming the question.
    """
    try:
        raw_answers, _raw_profile = parse_answer_file(path.read_text(encoding="utf-8"))
        return parse_instrument_answers(instrument, raw_answers)
    except AnswerError as exc:
        raise CliError(cli_text(exc)) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc).splitlines()[0]
        raise CliError(_("cannot read %(path)s: %(reason)s", path=path, reason=reason)) from None


def write_output(path: Path, body: bytes) -> None:
    """Write a command's output file, or fail with a one-line error."""
    try:
        path.write_bytes(body)
    except OSError as exc:
        raise CliError(
            _("cannot write %(path)s: %(reason)s", path=path, reason=exc.strerror or exc)
        ) from None


def report_app() -> Flask:
    """The app whose templates and database a report uses (built without SECRET_KEY if need be)."""
    if current_app:
        return current_app._get_current_object()  # type: ignore[attr-defined]
    info = click.get_current_context().find_object(ScriptInfo)
    try:
        return info.load_app() if info is not None else create_app()
    except Exception:  # e.g. production without SECRET_KEY: sessions are not needed for a file
        return create_app({"SECRET_KEY": "readiness-report-cli-no-sessions"})


def detect_file_version(
    found: Catalogue, questionnaire_id: str, path: Path
) -> DetectedVersion | None:
    """The version an answers file is for, when the questionnaire has several (None: use latest).

    A file that cannot be read or parsed gives None: `read_answers` then reports the problem.

    :raises CliError: the file names a version that is not installed (or not a number).
    """
    versions = [q for q in found.all() if q.id == questionnaire_id]
    if len(versions) < 2:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    try:
        return detect_version(versions, data)
    except AnswerError as exc:
        raise CliError(cli_text(exc)) from None


def version_note(detected: DetectedVersion | None) -> str | None:
    """One line for stderr when the version was guessed from the IDs (None: nothing to say)."""
    if detected is None or detected.source == "file":
        return None
    q = detected.questionnaire
    if detected.ambiguous:
        return _(
            "Note: the answers fit versions %(versions)s of %(id)s; scored against version "
            '%(version)d. To choose, add "version": N to the file or pass --version N.',
            versions=", ".join(str(v) for v in detected.fits),
            id=q.id,
            version=q.version,
        )
    if detected.source == "questions":
        return _(
            "Note: scored against version %(version)d of %(id)s, the only version whose "
            "questions match the answers file.",
            version=q.version,
            id=q.id,
        )
    return None
