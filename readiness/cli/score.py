"""`readiness score`: score an answers file and print results and the plan as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import click

from readiness.cli.errors import CliError
from readiness.cli.errors import lang_option
from readiness.cli.errors import unknown_questionnaire
from readiness.cli.language import cli_gettext as _
from readiness.cli.support import catalogue
from readiness.cli.support import detect_file_version
from readiness.cli.support import read_answers
from readiness.cli.support import read_instrument_answers
from readiness.cli.support import version_note
from readiness.domain.aggregation.document import instrument_document
from readiness.domain.aggregation.engine import evaluate
from readiness.domain.aggregation.model import Instrument
from readiness.domain.results import result_document
from readiness.services.crosswalks import estimates
from readiness.services.crosswalks import load_crosswalks
from readiness.services.questionnaires import UnknownQuestionnaire


@click.command("score")
@click.argument("questionnaire_id")
@click.argument("answers_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--version",
    "version",
    type=int,
    default=None,
    help="Default: the version the file names, else the one its question IDs fit, else the latest.",
)
@lang_option()
def score_command(
    questionnaire_id: str, answers_file: Path, version: int | None, lang: str
) -> None:
    """Score ANSWERS_FILE (JSON) against QUESTIONNAIRE_ID; print results and the plan as JSON."""
    found = catalogue()
    # without --version: the version the file names, or the one its question IDs fit
    detected = None
    if version is None:
        detected = detect_file_version(found, questionnaire_id, answers_file)
    try:
        questionnaire = detected.questionnaire if detected else found.get(questionnaire_id, version)
    except UnknownQuestionnaire as exc:
        raise CliError(unknown_questionnaire(exc)) from None
    if questionnaire.is_tree:
        _score_instrument(questionnaire.instrument, answers_file, lang)
        return
    answers, profile = read_answers(questionnaire, answers_file)
    note = version_note(detected)
    if note:
        click.echo(note, err=True)
    document = result_document(questionnaire, answers, profile, lang)
    crosswalked = estimates(load_crosswalks(found), questionnaire, answers)
    if crosswalked:
        document["crosswalks"] = [e.to_dict(instrument, lang) for e, instrument in crosswalked]
    if lang != "en":  # the `rule` fields are the technical working, always in English
        document["notes"] = {
            "rule": _("The “rule” fields give the technical working of each result, in English.")
        }
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))


def _score_instrument(instrument: Instrument, answers_file: Path, lang: str) -> None:
    """Print the result document of a format-2 questionnaire (native scales, its own levels)."""
    answers = read_instrument_answers(instrument, answers_file)
    document = instrument_document(instrument, evaluate(instrument, answers), answers, lang)
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))
