"""`readiness crosswalk`: start another questionnaire's answers file from an answered one."""

from __future__ import annotations

import json
from pathlib import Path

import click

from readiness.cli.errors import CliError
from readiness.cli.errors import unknown_questionnaire
from readiness.cli.language import cli_gettext as _
from readiness.cli.support import catalogue
from readiness.cli.support import read_answers
from readiness.cli.support import write_output
from readiness.domain.answers import value_to_json
from readiness.services.crosswalks import estimates
from readiness.services.crosswalks import load_crosswalks
from readiness.services.questionnaires import UnknownQuestionnaire


@click.command("crosswalk")
@click.argument("questionnaire_id")
@click.argument("answers_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--version", "version", type=int, default=None, help="Default: the latest.")
@click.option("--to", "target", required=True, help="The questionnaire to prefill.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
def crosswalk_command(
    questionnaire_id: str, answers_file: Path, version: int | None, target: str, output: Path | None
) -> None:
    """Prefill questionnaire TO from ANSWERS_FILE: print the answers it settles, as a file."""
    found = catalogue()
    try:
        questionnaire = found.get(questionnaire_id, version)
    except UnknownQuestionnaire as exc:
        raise CliError(unknown_questionnaire(exc)) from None
    answers, _profile = read_answers(questionnaire, answers_file)
    matching = [
        (e, i)
        for e, i in estimates(load_crosswalks(found), questionnaire, answers)
        if i.id == target
    ]
    if not matching:
        raise CliError(
            _(
                "no crosswalk leads from %(source)s to %(target)s",
                source=questionnaire.key,
                target=target,
            )
        )
    estimate, instrument = matching[0]
    document = {
        "questionnaire": {"id": instrument.id, "version": instrument.version},
        "answers": {k: value_to_json(v) for k, v in estimate.settled_answers.items()},
    }
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    write_output(output, text.encode("utf-8"))
